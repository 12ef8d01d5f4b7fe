/**
 * The test client's transports end to end, in real Chromium through browser
 * mode (docs/window.md): over TLS to `serve --tls` (its self-signed
 * certificate refused with Check certificate on, in words; accepted with it
 * off, the certificate shown with the fingerprint serve printed, SONG
 * answered, still shown after a reload), and over UDP to `serve --udp`,
 * which the pane calls datagrams, not a connection. Screenshots at 800x600
 * and 1280x800, light and dark.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SONG_LINE } from '../helpers/classic.js';
import { startServe, type CliProcess } from '../helpers/process.js';
import { browserRunsSkipped, launchChromium, screenshotDir, startWebMode } from '../helpers/browser.js';

const missing = browserRunsSkipped('test client transport end-to-end tests');

describe.skipIf(missing !== null)('the test client over TLS and UDP in Chromium (browser mode)', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let web: { cli: CliProcess; url: string; port: number };
  let tls: { cli: CliProcess; port: number; fingerprint: string };
  let udp: { cli: CliProcess; port: number };
  const dirs: string[] = [];
  const tempDir = async (name: string): Promise<string> => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), `switchboard-e2e-${name}-`));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    web = await startWebMode(await tempDir('web'));
    // Each serve keeps its own data folder: the TLS one makes its certificate there.
    const tlsServe = await startServe(['--tls', '--data-dir', await tempDir('tls')]);
    const printed = await tlsServe.cli.waitForLine(/^tls fingerprint SHA256 ([0-9A-F:]+)$/);
    tls = { cli: tlsServe.cli, port: tlsServe.port, fingerprint: printed[1] ?? '' };
    const udpServe = await startServe(['--udp', '--data-dir', await tempDir('udp')]);
    udp = { cli: udpServe.cli, port: udpServe.port };
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(web.url).origin,
    });
    page = await context.newPage();
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.goto(web.url);
  });

  afterAll(async () => {
    await browser.close();
    for (const cli of [web.cli, tls.cli, udp.cli]) {
      cli.send('quit\n');
      await cli.exited;
    }
    for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
  });

  const transcript = (): ReturnType<Page['getByRole']> =>
    page.getByRole('log', { name: 'Client transcript' });
  const header = (): Promise<string> => page.locator('.client-state').innerText();
  const certificate = (): ReturnType<Page['getByRole']> =>
    page.getByRole('region', { name: 'Server certificate' });
  const checkBox = (): ReturnType<Page['getByRole']> =>
    page.getByRole('checkbox', { name: 'Check certificate' });

  async function target(port: number, transport: 'TCP' | 'TLS' | 'UDP'): Promise<void> {
    await page.getByLabel('Client host', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Client port', { exact: true }).fill(String(port));
    await page.getByLabel('Client transport', { exact: true }).selectOption({ label: transport });
  }

  async function send(line: string): Promise<void> {
    const command = page.getByLabel('Command', { exact: true });
    await command.fill(line);
    await command.press('Enter');
  }

  const replies = (): Promise<string[]> =>
    transcript().locator('[data-kind="reply"] .t-text').allTextContents();

  async function screenshots(name: string): Promise<void> {
    await fs.mkdir(screenshotDir(), { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [width, height] of [
        [1280, 800],
        [800, 600],
      ] as const) {
        await page.setViewportSize({ width, height });
        await page.screenshot({
          path: path.join(screenshotDir(), `${name}-${width}x${height}-${scheme}.png`),
        });
        const overflow = await page.evaluate<number>(
          'document.documentElement.scrollWidth - window.innerWidth',
        );
        expect(overflow, `${name} ${width}x${height} ${scheme}`).toBeLessThanOrEqual(0);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  it('with Check certificate on, refuses serve --tls’s self-signed certificate, saying what to do', async () => {
    await target(tls.port, 'TLS');
    expect(await checkBox().isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    const alert = page.getByRole('alert');
    await expect
      .poll(() => alert.allTextContents())
      .toEqual([
        `could not connect to 127.0.0.1:${tls.port}: the server's certificate is not trusted (self-signed certificate); turn certificate checks off to connect anyway`,
      ]);
    expect(await header()).toBe('Not connected');
    expect(await certificate().count()).toBe(0);
    await page
      .locator('.client-pane')
      .screenshot({ path: path.join(screenshotDir(), 'client-tls-refused.png') });
  });

  it('with it off, connects, shows the certificate serve printed, and gets SONG answered', async () => {
    await checkBox().uncheck();
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(header).toBe(`Connected over TLS to 127.0.0.1:${tls.port}`);
    const fields = async (): Promise<Record<string, string>> => {
      const names = await certificate().locator('dt').allTextContents();
      const values = await certificate().locator('dd').allTextContents();
      return Object.fromEntries(names.map((n, i) => [n, values[i] ?? '']));
    };
    const shown = await fields();
    expect(shown).toMatchObject({
      Subject: 'CN=localhost, O=Switchboard (self-signed)',
      Issuer: 'itself (self-signed)',
      'SHA-256': tls.fingerprint,
      Checked: 'No: Check certificate is off',
    });
    expect(shown.Valid).toMatch(/^\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d$/);
    expect(shown.TLS).toMatch(/^TLSv1\.3, TLS_\w+$/);

    await certificate().getByRole('button', { name: 'Copy fingerprint' }).click();
    await expect.poll(() => certificate().getByRole('status').textContent()).toBe('Copied');
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(tls.fingerprint);

    await send('SONG');
    await expect.poll(replies).toEqual([SONG_LINE]);
    await screenshots('client-tls');
  });

  it('shows the certificate again after a reload', async () => {
    await page.reload();
    await expect.poll(header).toBe(`Connected over TLS to 127.0.0.1:${tls.port}`);
    expect(await page.getByLabel('Client transport', { exact: true }).inputValue()).toBe('tls');
    expect(await checkBox().isChecked()).toBe(false);
    expect(await certificate().locator('code').textContent()).toBe(tls.fingerprint);
  });

  it('over UDP, sends SONG as a datagram to serve --udp and shows the answer, calling it datagrams', async () => {
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await target(udp.port, 'UDP');
    await send('SONG');
    await expect.poll(replies).toEqual([SONG_LINE]);
    expect(await header()).toBe(`UDP: datagrams to 127.0.0.1:${udp.port}`);
    expect(await certificate().count()).toBe(0);
    const rows: (string | null)[] = [];
    for (const row of await transcript().locator('[data-kind]').all())
      rows.push(await row.getAttribute('data-kind'));
    // The TLS connection's close, then no handshake row: the socket's row, the datagram and its answer.
    expect(rows.filter((k) => k !== 'closed')).toEqual(['connected', 'sent', 'reply']);
    await screenshots('client-udp');
  });
});
