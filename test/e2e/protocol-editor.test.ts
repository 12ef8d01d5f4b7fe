/**
 * A real protocol built in the window, end to end in Chromium (browser
 * mode): an SMTP-like table made in the editor (greeting, CRLF framing, a
 * DATA state that swallows lines until "."), a rule tried in the rule
 * tester, then served to Python's smtplib, whose conversation shows in the
 * connection log.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { occupyPort } from '../helpers/net.js';
import type { CliProcess } from '../helpers/process.js';
import { browserRunsSkipped, launchChromium, screenshotDir, startWebMode } from '../helpers/browser.js';
import { runPython } from '../presets/run-client.js';

const missing = browserRunsSkipped('protocol editor end-to-end tests');

const SEND_MAIL = String.raw`
import smtplib, sys
port = int(sys.argv[1])
body = "Subject: e2e\r\n\r\nfirst line\r\nQUIT\r\nlast line\r\n"
with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
    code, banner = s.ehlo("client.test")
    assert code == 250, (code, banner)
    refused = s.sendmail("from@client.test", ["to@client.test"], body)
    assert refused == {}, refused
print("sent")
`;

const hexOf = (text: string): string =>
  [...Buffer.from(text, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(' ');

describe.skipIf(missing !== null)('a protocol built in the editor, in Chromium (browser mode)', () => {
  let browser: Browser;
  let web: { cli: CliProcess; url: string; port: number };
  let page: Page;
  let dataDir: string;
  let serverPort = 0;

  const label = (name: string): Locator => page.getByLabel(name, { exact: true });
  const button = (name: string): Locator => page.getByRole('button', { name, exact: true });

  async function showView(name: 'Server' | 'Commands'): Promise<void> {
    await button(name).click();
    await expect.poll(() => button(name).getAttribute('aria-current')).toBe('page');
  }

  /** Adds a rule at the end and fills it in; `n` is its number. */
  async function addRule(
    n: number,
    rule: {
      match?: 'name' | 'pattern';
      word: string;
      reply?: string;
      none?: boolean;
      state?: string;
      then?: string;
      close?: boolean;
    },
  ): Promise<void> {
    await button('Add rule').click();
    if (rule.match === 'pattern') await label(`Rule ${n} match`).selectOption('pattern');
    await label(rule.match === 'pattern' ? `Rule ${n} pattern` : `Rule ${n} word`).fill(rule.word);
    if (rule.none) await label(`Rule ${n} reply kind`).selectOption('none');
    else await label(`Rule ${n} reply`).fill(rule.reply ?? '');
    if (rule.state) await label(`Rule ${n} states`).fill(rule.state);
    if (rule.then) await label(`Rule ${n} then state`).fill(rule.then);
    if (rule.close) await label(`Rule ${n} close after reply`).check();
  }

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-e2e-protocol-'));
    web = await startWebMode(dataDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.goto(web.url);
    const held = await occupyPort();
    await held.release();
    serverPort = held.port;
    await label('Port').fill(String(serverPort));
  });

  afterAll(async () => {
    await browser.close();
    web.cli.send('quit\n');
    await web.cli.exited;
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('builds an SMTP-like table: CRLF framing with its preview, a greeting, a DATA state', async () => {
    await showView('Commands');
    // Start from no rules at all.
    while ((await button('Delete rule 1').count()) > 0) await button('Delete rule 1').click();

    await label('Framing kind').selectOption('crlf');
    await label('Sample input').fill('EHLO me\\r\\nDATA\\nstill data\\r\\npartial');
    const preview = page.getByLabel('Framing preview');
    // CRLF only: the lone LF stays inside the second request; the unterminated end counts at the end of input.
    await expect
      .poll(() => preview.locator('li').allTextContents())
      .toEqual([
        `EHLO me${hexOf('EHLO me')}`,
        `DATA\\x0Astill data${hexOf('DATA\nstill data')}`,
        `partial${hexOf('partial')}`,
      ]);

    await label('Greeting lines').fill('220 mock.test ESMTP');
    await label('QUIT command').uncheck();
    await addRule(1, { word: 'EHLO', reply: '250-mock.test hello {1}\n250 OK' });
    await addRule(2, { word: 'MAIL', reply: '250 OK' });
    await addRule(3, { word: 'RCPT', reply: '250 OK' });
    await addRule(4, { word: 'DATA', reply: '354 end with .', state: 'start', then: 'data' });
    await addRule(5, {
      match: 'pattern',
      word: '^\\.$',
      reply: '250 OK queued',
      state: 'data',
      then: 'start',
    });
    await addRule(6, { match: 'pattern', word: '.*', none: true, state: 'data' });
    await addRule(7, { word: 'QUIT', reply: '221 bye', close: true });

    // The states list: start and data, and the rules that move between them.
    const states = page.getByRole('list', { name: 'States' });
    await expect
      .poll(() => states.locator('li').allTextContents())
      .toEqual(['start→to data (rule 4)', 'data→to start (rule 5)']);
    expect(await button('Apply').isEnabled()).toBe(true);
  });

  it('tries a rule in the tester: which rule answers, in which state, and the exact bytes', async () => {
    await label('Test request').fill('DATA');
    await button('Test').click();
    const result = page.getByLabel('Test result');
    await expect.poll(() => result.textContent()).toContain('Rule 4 answers 16 bytes, then data');
    expect(await result.locator('.trial-hex').textContent()).toBe(hexOf('354 end with .\r\n'));
    expect(await result.textContent()).toContain(
      'On connect it greets with 21 bytes first: 220 mock.test ESMTP',
    );

    // In the data state, a QUIT line is mail text: swallowed.
    await label('Test in state').selectOption('data');
    await label('Test request').fill('QUIT');
    await button('Test').click();
    await expect.poll(() => result.textContent()).toContain('Rule 6 answers nothing');

    // Hex input, several requests at once: the state carries from one to the next.
    await label('Test in state').selectOption('start');
    await label('Test request as').selectOption('hex');
    await label('Test request').fill(hexOf('DATA\r\n.\r\nQUIT\r\n'));
    await button('Test').click();
    await expect
      .poll(() => result.locator('.trial-who').allTextContents())
      .toEqual([
        'Rule 4 answers 16 bytes, then data',
        'Rule 5 answers 15 bytes, then start',
        'Rule 7 answers 9 bytes, then closes',
      ]);
  });

  it('serves it to smtplib, and the log shows the conversation', async () => {
    await button('Apply').click();
    await page.getByText('Applied', { exact: true }).waitFor();
    await button('Start').click();
    await page
      .getByRole('status', { name: 'Server status' })
      .filter({ hasText: `Running on 127.0.0.1:${serverPort}` })
      .waitFor();

    const run = await runPython(SEND_MAIL, serverPort);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('sent\n');

    await showView('Server');
    const log = page.getByRole('log', { name: 'Connection log' });
    await expect.poll(() => log.textContent()).toContain('221 bye');
    const text = (await log.textContent()) ?? '';
    for (const seen of ['220 mock.test ESMTP', 'ehlo client.test', '354 end with .', '250 OK queued']) {
      expect(text).toContain(seen);
    }
  });

  it('fits from 800×600 up, light and dark, with nothing overflowing sideways', async () => {
    await showView('Commands');
    await label('Test request as').selectOption('text');
    await label('Test request').fill('EHLO me');
    await button('Test').click();
    await fs.mkdir(screenshotDir(), { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [width, height] of [
        [800, 600],
        [1280, 800],
        [1600, 1000],
      ] as const) {
        await page.setViewportSize({ width, height });
        const overflow = await page.evaluate<number>(
          'document.documentElement.scrollWidth - window.innerWidth',
        );
        expect(overflow, `${width}x${height} ${scheme}`).toBeLessThanOrEqual(0);
        await page.screenshot({
          path: path.join(screenshotDir(), `protocol-${width}x${height}-${scheme}.png`),
        });
        // The rules and the states, further down the editor.
        await page.getByLabel('Rule 5 pattern', { exact: true }).scrollIntoViewIfNeeded();
        await page.screenshot({
          path: path.join(screenshotDir(), `protocol-rules-${width}x${height}-${scheme}.png`),
        });
        await page.getByLabel('Framing kind', { exact: true }).scrollIntoViewIfNeeded();
      }
    }
  });
});
