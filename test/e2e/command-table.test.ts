/**
 * The command table editor end to end, in real Chromium through browser
 * mode: rules made in the window answer at once, on connections that were
 * already open, and a bad table changes nothing.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASSIC_TABLE, parseTableFile } from '../../electron/shared/protocol/command-table.js';
import { RawClient, occupyPort } from '../helpers/net.js';
import type { CliProcess } from '../helpers/process.js';
import { browserRunsSkipped, launchChromium, screenshotDir, startWebMode } from '../helpers/browser.js';

const missing = browserRunsSkipped('command table end-to-end tests');

describe.skipIf(missing !== null)('the command table editor in Chromium (browser mode)', () => {
  let browser: Browser;
  let web: { cli: CliProcess; url: string; port: number };
  let page: Page;
  let dataDir: string;
  let serverPort = 0;
  /** A raw TCP client that stays connected through every Apply below; connected in beforeAll. */
  let rawClient: RawClient | undefined;
  const raw = (): RawClient => {
    if (!rawClient) throw new Error('the raw client did not connect');
    return rawClient;
  };

  const label = (name: string): Locator => page.getByLabel(name, { exact: true });
  const button = (name: string): Locator => page.getByRole('button', { name, exact: true });
  const status = (): Promise<string | null> =>
    page.getByRole('status', { name: 'Server status' }).textContent();

  async function showView(name: 'Server' | 'Commands'): Promise<void> {
    await button(name).click();
    await expect.poll(() => button(name).getAttribute('aria-current')).toBe('page');
  }

  /** Sends a line on the raw client and waits for `reply` to arrive after it. */
  async function ask(line: string, reply: string): Promise<void> {
    const client = raw();
    const before = client.text.length;
    client.write(`${line}\r\n`);
    await client.waitFor((text) => text.slice(before).includes(`${reply}\r\n`));
  }

  /** Applies the draft and waits until the window says the server uses it. */
  async function apply(): Promise<void> {
    await button('Apply').click();
    await page.getByText('Applied', { exact: true }).waitFor();
  }

  /** The accessible name of the focused control (the page is evaluated as text: this file has no DOM types). */
  const focused = (): Promise<string | null> =>
    page.evaluate<string | null>("document.activeElement?.getAttribute('aria-label') ?? null");

  /** The message a field points at with aria-describedby. */
  async function messageFor(field: Locator): Promise<string> {
    const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
    const texts = await Promise.all(ids.map((id) => page.locator(`#${id}`).textContent()));
    return texts.join(' | ');
  }

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-e2e-commands-'));
    web = await startWebMode(dataDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.goto(web.url);

    const held = await occupyPort();
    await held.release();
    serverPort = held.port;
    await label('Port').fill(String(serverPort));
    await button('Start').click();
    // expect.poll works only inside a test; a locator waits as well.
    await page
      .getByRole('status', { name: 'Server status' })
      .filter({ hasText: `Running on 127.0.0.1:${serverPort}` })
      .waitFor();
    rawClient = await RawClient.connect(serverPort);
  });

  afterAll(async () => {
    rawClient?.destroy();
    await browser.close();
    web.cli.send('quit\n');
    await web.cli.exited;
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('adds a rule in the window and the client pane gets its reply, without a restart', async () => {
    await showView('Commands');
    // Start, Stop and the status stay in sight in the Commands view.
    expect(await status()).toBe(`Running on 127.0.0.1:${serverPort}`);
    expect(await button('Stop').isEnabled()).toBe(true);

    await button('Add rule').click();
    await expect.poll(() => focused()).toBe('Rule 5 word');
    await label('Rule 5 word').fill('PING');
    await label('Rule 5 reply').fill('PONG');
    await page.getByText('Unapplied changes', { exact: true }).waitFor();
    await apply();

    await showView('Server');
    const command = label('Command');
    await command.fill('ping');
    await command.press('Enter');
    const transcript = page.getByRole('log', { name: 'Client transcript' });
    await expect.poll(() => transcript.textContent()).toContain('PONG');
    // Still the same run: nothing was restarted.
    expect(await status()).toBe(`Running on 127.0.0.1:${serverPort}`);
    expect(raw().isClosed).toBe(false);
  });

  it('changes a reply while a client stays connected, and that connection gets the new reply', async () => {
    await ask('PING', 'PONG');
    await showView('Commands');
    await label('Rule 5 reply').fill('PONG {count}\nsecond line');
    await apply();
    await ask('PING', 'second line');
    expect(raw().text).toMatch(/PONG \d+\r\nsecond line\r\n$/);
    expect(raw().isClosed).toBe(false);
  });

  it('shows a bad pattern’s error next to the field and changes nothing', async () => {
    await button('Add rule').click();
    await label('Rule 6 match').selectOption('pattern');
    const pattern = label('Rule 6 pattern');
    await pattern.fill('(a');
    await label('Rule 6 reply').fill('never');
    expect(await pattern.getAttribute('aria-invalid')).toBe('true');
    expect(await messageFor(pattern)).toBe('invalid pattern: missing closing ): `(a`');
    expect(await button('Apply').isDisabled()).toBe(true);
    expect(await messageFor(button('Apply'))).toBe('Fix the problem to apply.');

    // The server still answers with the table applied before, on the same connection.
    await ask('PING', 'second line');
    await ask('(a', 'Unknown command: (a');
    await button('Revert').click();
    await expect.poll(() => label('Rule 6 pattern').count()).toBe(0);
  });

  it('gathers unknown lines in the inbox, and Make rule turns one into a rule that answers', async () => {
    await ask('FROB 1', 'Unknown command: FROB 1');
    await ask('FROB 1', 'Unknown command: FROB 1');
    await ask('zap', 'Unknown command: zap');
    const frob = button('Make rule for FROB 1');
    await frob.waitFor();
    const row = page
      .getByRole('list', { name: 'Unknown lines' })
      .getByRole('listitem')
      .filter({ hasText: 'FROB 1' });
    await expect.poll(() => row.textContent()).toContain('2×');

    await frob.click();
    const reply = label('Rule 6 reply');
    await expect.poll(() => focused()).toBe('Rule 6 reply');
    expect(await label('Rule 6 pattern').inputValue()).toBe('^FROB 1$');
    // The placeholder reply is selected: typing replaces it.
    await page.keyboard.type('FROBBED {1}');
    expect(await reply.inputValue()).toBe('FROBBED {1}');
    // A pattern without groups has no {1}: the problem shows at once.
    expect(await messageFor(reply)).toContain('{1} but the pattern has 0 groups');
    await reply.fill('FROBBED');

    await button('Make rule for zap').click();
    expect(await label('Rule 7 word').inputValue()).toBe('zap');
    await page.keyboard.type('ZAPPED');
    await apply();
    await ask('FROB 1', 'FROBBED');
    await ask('ZAP', 'ZAPPED');

    // The inbox keeps its counts, and now says which rule answers the line.
    await expect.poll(() => row.textContent()).toContain('Rule 6');
    expect(await frob.count()).toBe(0);
    await button('Clear inbox').click();
    await page.getByText('Lines that no rule answers gather here, counted.').waitFor();
  });

  it('exports the draft as a file parseTableFile accepts, and shows where an imported file is broken', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), button('Export').click()]);
    // Classic with rules added is not Classic: the file and the table go without its name.
    expect(download.suggestedFilename()).toBe('command-table.json');
    const text = await fs.readFile(await download.path(), 'utf8');
    const parsed = parseTableFile(text);
    if (!parsed.ok) throw new Error(`the exported file was refused: ${JSON.stringify(parsed.issues)}`);
    const { $schema, ...table } = parsed.table;
    expect($schema).toBe('https://switchboard.dev/schema/command-table.schema.json');
    expect(table).toEqual({
      ...CLASSIC_TABLE,
      name: undefined,
      commands: [
        ...CLASSIC_TABLE.commands,
        { name: 'PING', reply: ['PONG {count}', 'second line'] },
        { pattern: '^FROB 1$', reply: 'FROBBED' },
        { name: 'zap', reply: 'ZAPPED' },
      ],
    });

    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), button('Import…').click()]);
    await chooser.setFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{\n  "commands": [\n    { "name": "A", "reply": "a" },\n  ]\n}\n'),
    });
    const report = page.getByRole('status').filter({ hasText: 'Not imported: broken.json has problems.' });
    await report.waitFor();
    expect(await report.textContent()).toContain(
      'line 4, column 3: not valid JSON: expected a value but found "]"',
    );
    // Nothing was loaded over the draft.
    expect(await label('Rule 7 word').inputValue()).toBe('zap');
  });

  it('fits from 800×600 up, light and dark, with nothing overflowing sideways', async () => {
    await fs.mkdir(screenshotDir(), { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [width, height] of [
        [800, 600],
        [1280, 800],
      ] as const) {
        await page.setViewportSize({ width, height });
        const overflow = await page.evaluate<number>(
          'document.documentElement.scrollWidth - window.innerWidth',
        );
        expect(overflow, `${width}x${height} ${scheme}`).toBeLessThanOrEqual(0);
        await page.screenshot({
          path: path.join(screenshotDir(), `commands-${width}x${height}-${scheme}.png`),
        });
      }
    }
  });
});
