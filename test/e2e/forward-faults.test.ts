/**
 * Forward mode, faults, Record, the control API switch and talking to
 * connections, end to end in real Chromium through browser mode, with a
 * real redis-server as the upstream (docs/window.md). It also takes the
 * screenshots of issue 14 (forwarded log with a fault; light and dark).
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seriousViolations } from '../helpers/axe.js';
import { browserRunsSkipped, launchChromium, screenshotDir } from '../helpers/browser.js';
import type { RawClient } from '../helpers/net.js';
import { hasRedis, startRedis, type RedisServer } from '../helpers/redis.js';
import { freePort, openWindow, type TestWindow } from './window-fixture.js';

const missing = browserRunsSkipped('forward and faults end-to-end tests');
const SHOTS = screenshotDir();

describe.skipIf(missing !== null || !hasRedis())('forward mode, faults and Record in Chromium', () => {
  let browser: Browser;
  let redis: RedisServer;
  let w: TestWindow;
  let page: Page;

  beforeAll(async () => {
    [browser, redis] = await Promise.all([launchChromium(), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([browser.close(), redis.stop()]);
  });
  beforeEach(async () => {
    w = await openWindow(browser);
    page = w.page;
  });
  afterEach(async () => {
    await w.close();
  });

  const label = (name: string): Locator => page.getByLabel(name, { exact: true });
  const button = (name: string): Locator => page.getByRole('button', { name, exact: true });
  const log = (): Locator => w.log();
  const faults = (): Locator => page.getByRole('list', { name: 'Faults' });

  /** Starts the window's listener forwarding to redis; resolves with its port. */
  async function startForwarding(): Promise<number> {
    const port = await freePort();
    await label('Port').fill(String(port));
    await label('Listener').selectOption('forward');
    await label('Forward to').fill(`127.0.0.1:${redis.port}`);
    await button('Start').click();
    await w
      .status()
      .filter({ hasText: `Running on 127.0.0.1:${port}` })
      .waitFor();
    return port;
  }

  /** An inline redis command and its answer; resolves with the milliseconds it took. */
  async function ask(client: RawClient, line: string, answer: string): Promise<number> {
    const before = client.text.length;
    const t0 = performance.now();
    client.write(`${line}\r\n`);
    await client.waitFor((t) => t.slice(before).includes(answer), 15_000);
    return performance.now() - t0;
  }

  it('forwards to redis, shows both directions, and applies a latency fault to the open connection', async () => {
    const port = await startForwarding();
    const client = await w.client(port);
    expect(await ask(client, 'PING', '+PONG\r\n')).toBeGreaterThan(0);
    await log().getByText('client → upstream: PING').waitFor();
    await log().getByText('upstream → client: +PONG').waitFor();

    // A latency fault, added while the connection is open, acts on it at once.
    await button('New fault').click();
    const form = page.getByRole('form', { name: 'New fault' });
    await form.getByLabel('latency (ms)', { exact: true }).fill('400');
    await form.getByRole('button', { name: 'Add fault' }).click();
    const fault = faults().getByRole('listitem', { name: 'Fault latency_downstream' });
    await fault.getByRole('status').filter({ hasText: 'Acting on 1 of 1' }).waitFor();
    await expect.poll(() => fault.textContent()).toContain('latency 400 ms, jitter 0 ms');
    expect(await ask(client, 'PING', '+PONG\r\n')).toBeGreaterThanOrEqual(395);

    // A bad value is refused where it was typed, and nothing changes.
    await fault.getByRole('button', { name: 'Edit fault latency_downstream' }).click();
    const edit = page.getByRole('form', { name: 'Edit fault latency_downstream' });
    await edit.getByLabel('Toxicity (0–1)', { exact: true }).fill('2');
    await expect.poll(() => edit.getByText('toxicity must be from 0 to 1').count()).toBe(1);
    expect(await edit.getByRole('button', { name: 'Save fault' }).isDisabled()).toBe(true);

    // The screenshots: the forwarded log, the fault and its form.
    await page.getByRole('region', { name: 'Faults' }).scrollIntoViewIfNeeded();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [width, height] of [
        [1280, 800],
        [800, 600],
      ] as const) {
        await page.setViewportSize({ width, height });
        const name = `forward-${width}x${height}-${scheme}.png`;
        await page.screenshot({ path: path.join(SHOTS, name) });
        const overflow = await page.evaluate<number>(
          'document.documentElement.scrollWidth - window.innerWidth',
        );
        expect(overflow, `${name} overflows sideways`).toBeLessThanOrEqual(0);
      }
      expect(await seriousViolations(page), `axe, ${scheme}`).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });

    await edit.getByRole('button', { name: 'Cancel' }).click();
    await fault.getByRole('button', { name: 'Remove fault latency_downstream' }).click();
    await expect.poll(() => faults().count()).toBe(0);
    expect(await ask(client, 'PING', '+PONG\r\n')).toBeLessThan(395);
  });

  it('records a forwarded session and opens it in the editor; applied, the mock answers the same', async () => {
    const port = await startForwarding();
    await page.setViewportSize({ width: 800, height: 600 });
    await page.getByRole('textbox', { name: 'Forward to' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'forward-800x600-light-settings.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await button('Record').click();
    await expect.poll(() => button('Record').getAttribute('aria-pressed')).toBe('true');
    const client = await w.client(port);
    await ask(client, 'SET colour blue', '+OK\r\n');
    await ask(client, 'GET colour', 'blue\r\n');
    await button('Stop').click();
    // The recording opens in the Commands editor.
    await expect.poll(() => button('Commands').getAttribute('aria-current')).toBe('page');
    await page.getByText(/Recorded from 127\.0\.0\.1:\d+: 2 rules from 2 requests\./).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'forward-1280x800-light-recording.png') });
    await button('Apply').click();
    await page.getByText('Applied', { exact: true }).waitFor();

    // Served by the mock, the same requests get the same bytes.
    await button('Server').click();
    await label('Listener').selectOption('mock');
    const mockPort = await freePort();
    await label('Port').fill(String(mockPort));
    await button('Start').click();
    await w
      .status()
      .filter({ hasText: `Running on 127.0.0.1:${mockPort}` })
      .waitFor();
    const replay = await w.client(mockPort);
    await ask(replay, 'SET colour blue', '+OK\r\n');
    await ask(replay, 'GET colour', '$4\r\nblue\r\n');
  });

  it('makes rules of a conversation in one click, sends to one connection and to all, and closes one', async () => {
    const port = await w.startServer();
    const a = await w.client(port);
    const b = await w.client(port);
    await ask(a, 'SONG', 'E-I-E-I-O!\r\n');
    await ask(b, 'QUOTE', 'different...\r\n');

    // One click: #2's lines become rules at the top of the table, in the editor.
    await log().locator('.log-conn-link').filter({ hasText: '#2' }).first().click();
    const second = page.getByRole('complementary', { name: 'Conversation #2' });
    await second.getByRole('button', { name: 'Make rules' }).click();
    await expect.poll(() => button('Commands').getAttribute('aria-current')).toBe('page');
    await page.getByText(/Rules from conversation #2 added at the top of the table\./).waitFor();
    await button('Apply').click();
    await page.getByText('Applied', { exact: true }).waitFor();
    await button('Server').click();
    await second.getByRole('button', { name: 'Close', exact: true }).click();
    // QUOTE answered as before, now by a rule of its own (so HELP no longer lists it as built in).
    await ask(b, 'QUOTE', 'different...\r\n');

    // From the log: to all.
    await page.getByRole('button', { name: 'Send to all…' }).click();
    const all = page.getByRole('form', { name: 'Send to all connections' });
    await all.getByRole('textbox').fill('hello everyone');
    await all.getByRole('button', { name: 'Send to all' }).click();
    await all.getByText('Sent to 2 connections.').waitFor();
    await a.waitFor((t) => t.endsWith('hello everyone\r\n'));
    await b.waitFor((t) => t.endsWith('hello everyone\r\n'));

    // From the conversation panel: bytes to one, then close it.
    await log().locator('.log-conn-link').filter({ hasText: '#1' }).first().click();
    const panel = page.getByRole('complementary', { name: 'Conversation #1' });
    const one = panel.getByRole('form', { name: 'Send to #1' });
    await one.getByRole('combobox').selectOption('hex');
    await one.getByRole('textbox').fill('6a 75 73 74 20 61 0d 0a');
    await one.getByRole('button', { name: 'Send' }).click();
    await a.waitFor((t) => t.endsWith('just a\r\n'));
    expect(b.text).not.toContain('just a');
    await log().getByText('just a (8 bytes)').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'conversation-1280x800-light-send.png') });
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 800, height: 600 });
    await page.screenshot({ path: path.join(SHOTS, 'conversation-800x600-light-send.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await panel.getByRole('button', { name: 'Close connection' }).click();
    await a.closed;
    a.socket.end();
    await log()
      .getByText(/closed \(closed on request\)/)
      .waitFor();
    expect(b.isClosed).toBe(false);
  });

  it('turns the control API on, shows its address, serves it, and turns it off', async () => {
    await label('API port').fill('0');
    await page.getByRole('switch', { name: 'Control API' }).click();
    const address = page.getByRole('status', { name: 'Control API address' });
    await address.filter({ hasText: /http:\/\/127\.0\.0\.1:\d+/ }).waitFor();
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec((await address.textContent()) ?? '')?.[0] ?? '';
    const version = await fetch(`${url}/version`);
    expect(version.status).toBe(200);
    const listeners = (await (await fetch(`${url}/switchboard/listeners`)).json()) as { name: string }[];
    expect(listeners.map((l) => l.name)).toEqual(['default']);
    await page.getByRole('switch', { name: 'Control API' }).click();
    await address.filter({ hasText: 'Off.' }).waitFor();
    await expect(fetch(`${url}/version`)).rejects.toThrow();
  });
});
