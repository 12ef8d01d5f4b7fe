/**
 * The window's list of listeners end to end in real Chromium through
 * browser mode (docs/window.md, "Listeners"): a TLS and a UDP listener
 * added beside the window's own TCP one, all started, each talked to with a
 * program nobody here wrote, their events in the log filtered by listener,
 * one stopped while the others serve, all stopped. It takes the
 * screenshots of the list (light and dark, 800x600 and 1280x800).
 */
import net from 'node:net';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seriousViolations } from '../helpers/axe.js';
import { browserRunsSkipped, launchChromium, screenshotDir } from '../helpers/browser.js';
import { SONG_LINE } from '../helpers/classic.js';
import { isRefused } from '../helpers/net.js';
import { killTools, tool } from '../helpers/tools.js';
import { freePort, openWindow, type TestWindow } from './window-fixture.js';

const missing = browserRunsSkipped('listeners end-to-end tests');
const SHOTS = screenshotDir();

describe.skipIf(missing !== null)('the window listeners in Chromium', () => {
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
    killTools();
    await w.close();
  });

  const list = (): Locator => page.getByRole('list', { name: 'Listeners' });
  const item = (name: string): Locator => list().getByRole('listitem', { name: `Listener ${name}` });
  const button = (name: string): Locator => page.getByRole('button', { name, exact: true });

  async function addListener(name: string, transport: 'tls' | 'udp'): Promise<void> {
    await button('New listener').click();
    const form = page.getByRole('form', { name: 'New listener' });
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByLabel('Transport', { exact: true }).selectOption(transport);
    await form.getByRole('button', { name: 'Add listener' }).click();
    await item(name).waitFor();
  }

  /** The port a listener's item shows. */
  async function portOf(name: string): Promise<number> {
    const text = await item(name).locator('.listener-facts').innerText();
    const m = /127\.0\.0\.1:(\d+)/.exec(text);
    if (!m) throw new Error(`no address in ${text}`);
    return Number(m[1]);
  }

  it('serves TCP, TLS and UDP together, logs each under its name, and stops them alone or all', async () => {
    const tcpPort = await w.startServer();
    await addListener('secure', 'tls');
    await addListener('events', 'udp');
    await button('Start all').click();
    for (const name of ['secure', 'events'])
      await item(name).getByRole('status').filter({ hasText: 'Running' }).waitFor();
    await item('default').getByRole('status').filter({ hasText: 'Running' }).waitFor();
    const tlsPort = await portOf('secure');
    const udpPort = await portOf('events');
    expect(new Set([tcpPort, tlsPort, udpPort]).size).toBe(3);

    // The TLS listener's fingerprint, with its copy button.
    const fingerprint = await item('secure').locator('.listener-fingerprint code').innerText();
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(await button('Copy the certificate fingerprint of secure').count()).toBe(1);

    const tcp = await w.client(tcpPort);
    tcp.write('SONG\r\n');
    await tcp.waitFor((t) => t.includes(SONG_LINE));
    const openssl = tool('openssl', ['s_client', '-connect', `127.0.0.1:${tlsPort}`, '-quiet']);
    openssl.send('SONG\n');
    await openssl.waitFor(SONG_LINE);
    const socat = tool('socat', ['-', `UDP:127.0.0.1:${udpPort}`]);
    socat.send('SONG\n');
    await socat.waitFor(SONG_LINE);
    await item('secure').getByText('1 connection').waitFor();
    await item('events').getByText('1 remote').waitFor();

    // Each listener's rows, tagged, and the log filtered by listener.
    const log = w.log();
    await log.locator('.log-listener-tag', { hasText: 'secure' }).first().waitFor();
    await log.locator('.log-listener-tag', { hasText: 'events' }).first().waitFor();
    const filter = page.getByLabel('Listener filter', { exact: true });
    await filter.selectOption('secure');
    await log
      .getByText(/over TLSv1\.[23]/)
      .first()
      .waitFor();
    await expect.poll(() => log.locator('.log-listener-tag', { hasText: 'events' }).count()).toBe(0);
    await filter.selectOption('events');
    await expect.poll(() => log.locator('.log-listener-tag', { hasText: 'secure' }).count()).toBe(0);
    await log.locator('.log-row--line .log-listener-tag', { hasText: 'events' }).first().waitFor();
    await filter.selectOption('default');
    await expect.poll(() => log.locator('.log-listener-tag').count()).toBe(0);
    await log.locator('.log-row--line').first().waitFor();
    await filter.selectOption('');

    // The Live card shows one listener's counters at a time.
    const live = page.getByRole('region', { name: 'Live' });
    const statsOf = live.getByLabel('Stats of listener', { exact: true });
    await statsOf.selectOption('secure');
    await live.getByText('Counters of secure; the chart is of default.').waitFor();
    await expect.poll(() => live.getByLabel('Requests', { exact: true }).innerText()).toBe('1');
    await expect.poll(() => live.getByLabel('Active connections', { exact: true }).innerText()).toBe('1');
    await statsOf.selectOption('default');
    await expect.poll(() => live.getByText(/^Counters of/).count()).toBe(0);

    // The screenshots: the list with all three running.
    await list().scrollIntoViewIfNeeded();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [width, height] of [
        [1280, 800],
        [800, 600],
      ] as const) {
        await page.setViewportSize({ width, height });
        await list().scrollIntoViewIfNeeded();
        const name = `listeners-${width}x${height}-${scheme}.png`;
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

    // Stop of one leaves the others serving.
    await item('events').getByRole('button', { name: 'Stop events' }).click();
    await item('events').getByRole('status').filter({ hasText: 'Stopped' }).waitFor();
    openssl.send('SONG\n');
    await expect.poll(() => openssl.stdout.split(SONG_LINE).length).toBe(3);
    tcp.write('SONG\r\n');
    await tcp.waitFor((t) => t.split(SONG_LINE).length === 3);

    await button('Stop all').click();
    for (const name of ['default', 'secure', 'events'])
      await item(name).getByRole('status').filter({ hasText: 'Stopped' }).waitFor();
    expect(await isRefused(tlsPort)).toBe(true);
    expect(await isRefused(tcpPort)).toBe(true);
    expect(w.problems).toEqual([]);
  });

  it("imports a workspace file's default into the settings panel and the applied table, then serves by them", async () => {
    const port = await freePort();
    const text = JSON.stringify({
      listeners: [
        {
          name: 'default',
          port,
          maxConnections: 9,
          commands: { commands: [{ name: 'HELLO', reply: 'WORLD' }] },
        },
        {
          name: 'side',
          transport: 'tcp',
          port: 0,
          commands: { commands: [{ name: 'PING', reply: 'PONG' }] },
        },
      ],
    });
    await page
      .getByLabel('Workspace file to import', { exact: true })
      .setInputFiles({ name: 'ws.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await page.getByText('Imported ws.json.').waitFor();
    await item('side').waitFor();
    await expect.poll(() => page.getByLabel('Port', { exact: true }).inputValue()).toBe(String(port));
    expect(await page.getByLabel('Max connections', { exact: true }).inputValue()).toBe('9');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await w
      .status()
      .filter({ hasText: `Running on 127.0.0.1:${port}` })
      .waitFor();
    const client = await w.client(port);
    client.write('HELLO\r\n');
    await client.waitFor('WORLD');
    // Refused whole, with the place of the problem, while default runs.
    await page.getByLabel('Workspace file to import', { exact: true }).setInputFiles({
      name: 'bad.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ listeners: [{ name: 'default', transport: 'udp' }] })),
    });
    await page.getByRole('alert').filter({ hasText: 'Not imported: bad.json has problems.' }).waitFor();
    await page
      .getByText(/listener 1 "default", transport: the window's own listener speaks plain TCP only/)
      .waitFor();
    await item('side').waitFor();
    expect(w.problems).toEqual([]);
  });

  it('a listener on a port in use shows its error; the others start', async () => {
    await w.startServer();
    await addListener('first', 'tls');
    await addListener('second', 'udp');
    const taken = await portOf('first');
    // Something else takes the TLS listener's port before it starts.
    const held = net.createServer();
    await new Promise<void>((resolve) => held.listen(taken, '127.0.0.1', resolve));
    await button('Start all').click();
    await item('first').getByRole('status').filter({ hasText: 'Failed' }).waitFor();
    await item('first')
      .getByRole('alert')
      .filter({ hasText: /in use/ })
      .waitFor();
    await item('second').getByRole('status').filter({ hasText: 'Running' }).waitFor();
    await new Promise((resolve) => held.close(resolve));

    // The screenshots: a failed listener and the New listener form, forwarding.
    await button('New listener').click();
    const form = page.getByRole('form', { name: 'New listener' });
    await form.getByLabel('Answers with', { exact: true }).selectOption('forward');
    await form.getByLabel('Forward to', { exact: true }).fill('127.0.0.1:6379');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [width, height] of [
        [1280, 800],
        [800, 600],
      ] as const) {
        await page.setViewportSize({ width, height });
        await item('first').scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(SHOTS, `listeners-form-${width}x${height}-${scheme}.png`) });
      }
    }
  });
});
