/**
 * The window end to end, in real Chromium through browser mode: the same
 * renderer and the same main-process code as the desktop app, driven the
 * way a person would drive it.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, isRefused, occupyPort } from '../helpers/net.js';
import type { CliProcess } from '../helpers/process.js';
import { browserRunsSkipped, launchChromium, screenshotDir, startWebMode } from '../helpers/browser.js';
import { HAIKU_LINES as HAIKU, SONG_LINE as SONG } from '../helpers/classic.js';

const missing = browserRunsSkipped('browser end-to-end tests');

const SHOTS = screenshotDir();

describe.skipIf(missing !== null)('the window in Chromium (browser mode)', () => {
  let browser: Browser;
  let web: { cli: CliProcess; url: string; port: number };
  let page: Page;
  let dataDir: string;
  const clients: RawClient[] = [];

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-e2e-'));
    web = await startWebMode(dataDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.goto(web.url);
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await browser.close();
    web.cli.send('quit\n');
    await web.cli.exited;
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const status = (): ReturnType<Page['getByRole']> => page.getByRole('status', { name: 'Server status' });
  const log = (): ReturnType<Page['getByRole']> => page.getByRole('log', { name: 'Connection log' });
  const transcript = (): ReturnType<Page['getByRole']> =>
    page.getByRole('log', { name: 'Client transcript' });

  /** The text of each transcript row, as shown. */
  async function transcriptRows(): Promise<string[]> {
    return transcript().locator('[data-kind] .t-text').allTextContents();
  }

  async function setPort(port: number): Promise<void> {
    await page.getByLabel('Port', { exact: true }).fill(String(port));
  }

  async function freePort(): Promise<number> {
    const held = await occupyPort();
    await held.release();
    return held.port;
  }

  it('starts stopped, with Stop disabled', async () => {
    await expect.poll(() => status().textContent()).toBe('Stopped');
    expect(await page.getByRole('button', { name: 'Stop', exact: true }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Start', exact: true }).isEnabled()).toBe(true);
  });

  let serverPort = 0;

  it('starts the server from the Start button', async () => {
    serverPort = await freePort();
    await page.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await setPort(serverPort);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(() => status().textContent()).toBe(`Running on 127.0.0.1:${serverPort}`);
    expect(await page.getByRole('button', { name: 'Start', exact: true }).isDisabled()).toBe(true);
    expect(await page.getByLabel('Port', { exact: true }).isDisabled()).toBe(true);
    expect(await page.getByLabel('Host', { exact: true }).isDisabled()).toBe(true);
    expect(await page.getByLabel('Mode', { exact: true }).isDisabled()).toBe(true);
  });

  it('shows an outside TCP client in the connection log', async () => {
    const client = await RawClient.connect(serverPort);
    clients.push(client);
    const remote = `127.0.0.1:${client.socket.localPort}`;
    await expect.poll(() => log().textContent()).toContain(remote);
    client.write('QUOTE\n');
    await client.waitFor('different...');
    await expect.poll(() => log().textContent()).toContain('QUOTE');
    await expect.poll(() => page.getByLabel('Active connections').textContent()).toContain('1');
  });

  it('sends SONG and HAIKU from the client pane and shows the exact replies', async () => {
    const command = page.getByLabel('Command', { exact: true });
    await command.fill('SONG');
    await command.press('Enter');
    await expect.poll(transcriptRows).toContain(SONG);
    await command.fill('HAIKU');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(async () => (await transcriptRows()).slice(-HAIKU.length)).toEqual(HAIKU);
    const rows = await transcriptRows();
    expect(rows.filter((r) => r === SONG)).toHaveLength(1);
    // ↑ walks back through the history.
    await command.press('ArrowUp');
    expect(await command.inputValue()).toBe('HAIKU');
    await command.press('ArrowUp');
    expect(await command.inputValue()).toBe('SONG');
    await command.press('ArrowDown');
    expect(await command.inputValue()).toBe('HAIKU');
    await command.fill('');
  });

  it('takes screenshots of the running window, light and dark', async () => {
    await fs.mkdir(SHOTS, { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [w, h] of [
        [1280, 800],
        [800, 600],
      ] as const) {
        await page.setViewportSize({ width: w, height: h });
        await page.screenshot({ path: path.join(SHOTS, `window-${w}x${h}-${scheme}.png`) });
        // Nothing may overflow the page sideways, even at the smallest size.
        const overflow = await page.evaluate<number>(
          'document.documentElement.scrollWidth - window.innerWidth',
        );
        expect(overflow, `${w}x${h} ${scheme}`).toBeLessThanOrEqual(0);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('stops at once with several clients connected, disconnecting every one', async () => {
    const idle = await RawClient.connect(serverPort);
    const midLine = await RawClient.connect(serverPort);
    midLine.write('HAI');
    const notReading = await RawClient.connect(serverPort);
    notReading.socket.pause();
    notReading.write('HAIKU\n'.repeat(2000));
    clients.push(idle, midLine, notReading);
    await expect.poll(() => page.getByLabel('Active connections').textContent()).toContain('5');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(() => status().textContent()).toBe('Stopped');
    notReading.socket.resume();
    await Promise.all(clients.map((c) => c.waitClosed()));
    expect(await isRefused(serverPort)).toBe(true);
    await expect.poll(() => page.getByLabel('Active connections').textContent()).toContain('0');
    expect(await page.getByRole('button', { name: 'Start', exact: true }).isEnabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Stop', exact: true }).isDisabled()).toBe(true);
    await expect.poll(transcriptRows).toContain('closed by the server');
  });

  it('shows a start on a busy port as the status, and everything else keeps working', async () => {
    const busy = await occupyPort();
    await setPort(busy.port);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(() => status().textContent()).toBe(`port ${busy.port} on 127.0.0.1 is already in use`);
    expect(await page.getByRole('button', { name: 'Start', exact: true }).isEnabled()).toBe(true);
    expect(await page.getByLabel('Port', { exact: true }).isEnabled()).toBe(true);
    await busy.release();
    // Start again on a free port and talk to it: nothing was left broken.
    serverPort = await freePort();
    await setPort(serverPort);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(() => status().textContent()).toBe(`Running on 127.0.0.1:${serverPort}`);
    const command = page.getByLabel('Command', { exact: true });
    await command.fill('QUOTE');
    await command.press('Enter');
    await expect.poll(transcriptRows).toContain('And now for something completely different...');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect.poll(() => status().textContent()).toBe('Stopped');
  });

  it('resynchronises a reloaded window with the server state and recent rows', async () => {
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(() => status().textContent()).toBe(`Running on 127.0.0.1:${serverPort}`);
    const client = await RawClient.connect(serverPort);
    clients.push(client);
    await expect.poll(() => log().textContent()).toContain(`127.0.0.1:${client.socket.localPort}`);
    await page.reload();
    await expect.poll(() => status().textContent()).toBe(`Running on 127.0.0.1:${serverPort}`);
    await expect.poll(() => log().textContent()).toContain(`127.0.0.1:${client.socket.localPort}`);
    await expect.poll(() => page.getByLabel('Active connections').textContent()).toContain('1');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await client.waitClosed();
  });
});
