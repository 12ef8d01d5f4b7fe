/**
 * The window end to end, in real Chromium through browser mode: the same
 * renderer and the same main-process code as the desktop app, driven the
 * way a person would drive it. Every test opens its own window on its own
 * host (window-fixture.ts): none depends on another's leftovers.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RawClient, isRefused, occupyPort } from '../helpers/net.js';
import { browserRunsSkipped, launchChromium, screenshotDir } from '../helpers/browser.js';
import { HAIKU_LINES as HAIKU, SONG_LINE as SONG } from '../helpers/classic.js';
import { openWindow, type TestWindow } from './window-fixture.js';

const missing = browserRunsSkipped('browser end-to-end tests');

const SHOTS = screenshotDir();

describe.skipIf(missing !== null)('the window in Chromium (browser mode)', () => {
  let browser: Browser;
  let w: TestWindow;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
  });
  beforeEach(async () => {
    w = await openWindow(browser);
    page = w.page;
  });
  afterEach(async () => {
    await w.close();
  });

  const button = (name: string): ReturnType<Page['getByRole']> =>
    page.getByRole('button', { name, exact: true });
  const transcript = (): ReturnType<Page['getByRole']> =>
    page.getByRole('log', { name: 'Client transcript' });
  const counter = (name: string): Promise<string | null> =>
    page.getByLabel(name, { exact: true }).getAttribute('data-value');

  /** The text of each transcript row, as shown. */
  async function transcriptRows(): Promise<string[]> {
    return transcript().locator('[data-kind] .t-text').allTextContents();
  }

  it('starts stopped with Stop disabled, and starts the server from the Start button', async () => {
    await expect.poll(() => w.status().textContent()).toBe('Stopped');
    expect(await button('Stop').isDisabled()).toBe(true);
    expect(await button('Start').isEnabled()).toBe(true);
    const port = await w.startServer();
    expect(await w.status().textContent()).toBe(`Running on 127.0.0.1:${port}`);
    expect(await button('Start').isDisabled()).toBe(true);
    for (const field of ['Port', 'Host', 'Mode']) {
      expect(await page.getByLabel(field, { exact: true }).isDisabled()).toBe(true);
    }
  });

  it('shows an outside TCP client in the connection log', async () => {
    const port = await w.startServer();
    const client = await w.client(port);
    const remote = `127.0.0.1:${client.socket.localPort}`;
    await expect.poll(() => w.log().textContent()).toContain(remote);
    client.write('QUOTE\n');
    await client.waitFor('different...');
    await expect.poll(() => w.log().textContent()).toContain('QUOTE');
    await expect.poll(() => counter('Active connections')).toBe('1');
  });

  it('sends SONG and HAIKU from the client pane and shows the exact replies', async () => {
    await w.startServer();
    const command = page.getByLabel('Command', { exact: true });
    await command.fill('SONG');
    await command.press('Enter');
    await expect.poll(transcriptRows).toContain(SONG);
    await command.fill('HAIKU');
    await button('Send').click();
    await expect.poll(async () => (await transcriptRows()).slice(-HAIKU.length)).toEqual(HAIKU);
    expect((await transcriptRows()).filter((r) => r === SONG)).toHaveLength(1);
    // ↑ walks back through the history.
    await command.press('ArrowUp');
    expect(await command.inputValue()).toBe('HAIKU');
    await command.press('ArrowUp');
    expect(await command.inputValue()).toBe('SONG');
    await command.press('ArrowDown');
    expect(await command.inputValue()).toBe('HAIKU');
  });

  it('takes screenshots of the running window, light and dark, and nothing overflows sideways', async () => {
    const port = await w.startServer();
    const c = await w.client(port);
    c.write('SONG\nQUOTE\nnope\n');
    await c.waitFor('Unknown command: nope');
    await fs.mkdir(SHOTS, { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [width, height] of [
        [1280, 800],
        [800, 600],
      ] as const) {
        await page.setViewportSize({ width, height });
        await page.screenshot({ path: path.join(SHOTS, `window-${width}x${height}-${scheme}.png`) });
        const overflow = await page.evaluate<number>(
          'document.documentElement.scrollWidth - window.innerWidth',
        );
        expect(overflow, `${width}x${height} ${scheme}`).toBeLessThanOrEqual(0);
      }
    }
  });

  it('stops at once with several clients connected, disconnecting every one', async () => {
    const port = await w.startServer();
    const idle = await w.client(port);
    const midLine = await w.client(port);
    midLine.write('HAI');
    const notReading = await w.client(port);
    notReading.socket.pause();
    notReading.write('HAIKU\n'.repeat(2000));
    const command = page.getByLabel('Command', { exact: true });
    await command.fill('SONG');
    await command.press('Enter');
    await expect.poll(transcriptRows).toContain(SONG);
    await expect.poll(() => counter('Active connections')).toBe('4');
    await button('Stop').click();
    await expect.poll(() => w.status().textContent()).toBe('Stopped');
    notReading.socket.resume();
    await Promise.all([idle, midLine, notReading].map((c) => c.waitClosed()));
    expect(await isRefused(port)).toBe(true);
    await expect.poll(() => counter('Active connections')).toBe('0');
    expect(await button('Start').isEnabled()).toBe(true);
    expect(await button('Stop').isDisabled()).toBe(true);
    await expect.poll(transcriptRows).toContain('closed by the server');
    // "1 connection", "4 connections": the stopped row counts in words that agree.
    await expect.poll(() => w.log().textContent()).toContain('stopped (4 connections closed)');
  });

  it('shows a start on a busy port as the status (and in the log), and everything else keeps working', async () => {
    const busy = await occupyPort();
    await page.getByLabel('Port', { exact: true }).fill(String(busy.port));
    await button('Start').click();
    const message = `port ${busy.port} on 127.0.0.1 is already in use`;
    await expect.poll(() => w.status().textContent()).toBe(message);
    // A failed start is an event of the log too, under Problems.
    await page.getByRole('combobox', { name: 'Event kinds' }).selectOption('problems');
    await expect
      .poll(() => w.log().locator('.log-detail').allTextContents())
      .toEqual([`start failed: ${message}`]);
    await page.getByRole('combobox', { name: 'Event kinds' }).selectOption('all');
    expect(await button('Start').isEnabled()).toBe(true);
    expect(await page.getByLabel('Port', { exact: true }).isEnabled()).toBe(true);
    await busy.release();
    // An invalid host is refused in the window; the stale "already in use" goes away.
    await page.getByLabel('Host', { exact: true }).fill('bad host');
    await button('Start').click();
    await expect.poll(() => w.status().textContent()).toBe('Stopped');
    // Start again on a free port and talk to it: nothing was left broken.
    const port = await w.startServer();
    const command = page.getByLabel('Command', { exact: true });
    await command.fill('QUOTE');
    await command.press('Enter');
    await expect.poll(transcriptRows).toContain('And now for something completely different...');
    expect(await w.status().textContent()).toBe(`Running on 127.0.0.1:${port}`);
  });

  it('resynchronises a reloaded window with the server state and recent rows', async () => {
    const port = await w.startServer();
    const client = await w.client(port);
    await expect.poll(() => w.log().textContent()).toContain(`127.0.0.1:${client.socket.localPort}`);
    await page.reload();
    await expect.poll(() => w.status().textContent()).toBe(`Running on 127.0.0.1:${port}`);
    await expect.poll(() => w.log().textContent()).toContain(`127.0.0.1:${client.socket.localPort}`);
    await expect.poll(() => counter('Active connections')).toBe('1');
  });

  it('says “Disconnected from Switchboard” at once when the host exits, with a Reconnect', async () => {
    await w.startServer();
    await w.quitHost();
    const alert = page.getByRole('alert').filter({ hasText: 'Disconnected from Switchboard' });
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toContain(
      'Disconnected from Switchboard: its process has exited or restarted.',
    );
    // Said once: no other alert repeats it (a settings save that failed for the same reason, say).
    expect(await page.getByRole('alert').count()).toBe(1);
    expect(await w.status().textContent()).toBe('Disconnected from Switchboard');
    expect(await button('Start').isDisabled()).toBe(true);
    expect(await button('Stop').isDisabled()).toBe(true);
    // Reconnect tries, and says so while the host is still gone.
    await alert.getByRole('button', { name: 'Reconnect' }).click();
    await expect.poll(() => alert.textContent()).toContain('it is still not reachable');
    await page.screenshot({ path: path.join(SHOTS, 'window-1280x800-light-disconnected.png') });
  });

  it('warns in amber by Host as soon as a non-loopback address is typed, and writes IPv6 as [::]:PORT', async () => {
    const host = page.getByLabel('Host', { exact: true });
    await host.fill('0.0.0.0');
    const warning = page.locator('#settings-host-warning');
    await expect
      .poll(() => warning.textContent())
      .toBe('Every network interface: other machines on your network can connect.');
    expect(await host.getAttribute('aria-describedby')).toBe('settings-host-warning');
    await host.fill('127.0.0.1');
    expect(await warning.count()).toBe(0);

    const port = await w.startServer({ host: '::' });
    expect(await w.status().textContent()).toBe(`Running on [::]:${port}`);
    await expect
      .poll(() => page.getByRole('note').filter({ hasText: 'Open to the network' }).textContent())
      .toContain(`listening on [::]:${port}: other machines on your network can connect`);
    await expect.poll(() => w.log().textContent()).toContain(`listening on [::]:${port}`);
    const c = await RawClient.connect(port, '::1');
    c.destroy();
  });

  it('loads nothing the page’s Content-Security-Policy refuses, and logs no errors', async () => {
    await w.startServer();
    await page.reload();
    await w.status().waitFor();
    expect(w.problems).toEqual([]);
  });
});
