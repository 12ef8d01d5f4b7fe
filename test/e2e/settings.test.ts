/**
 * The settings panel end to end, in real Chromium through browser mode: the
 * line timeout and per-address limit go to the server with Start, and the
 * log retention is saved to settings.json for the next start.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserRunsSkipped, launchChromium, screenshotDir, startWebMode } from '../helpers/browser.js';
import { SONG_LINE as SONG } from '../helpers/classic.js';
import { RawClient, exchange, occupyPort } from '../helpers/net.js';
import type { CliProcess } from '../helpers/process.js';

const missing = browserRunsSkipped('settings end-to-end tests');
const SHOTS = screenshotDir();

describe.skipIf(missing !== null)('the settings panel in Chromium (browser mode)', () => {
  let browser: Browser;
  let web: { cli: CliProcess; url: string; port: number };
  let page: Page;
  let dataDir: string;
  const clients: RawClient[] = [];

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-e2e-settings-'));
    web = await startWebMode(dataDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 800, height: 600 } });
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

  it('sends the per-address limit with Start, saves the log retention, and fits 800×600 in both themes', async () => {
    const held = await occupyPort();
    await held.release();
    const keep = page.getByLabel('Log files kept', { exact: true });
    await expect.poll(() => keep.inputValue()).toBe('5');
    expect(await page.getByLabel('Log file size (MB)', { exact: true }).inputValue()).toBe('25');
    expect(await page.getByLabel('Line timeout (s)', { exact: true }).inputValue()).toBe('60');

    await page.getByLabel('Port', { exact: true }).fill(String(held.port));
    await page.getByLabel('Max per address', { exact: true }).fill('1');
    await keep.fill('2');
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'next start' }).textContent())
      .toBe('Applies from the next start; this run keeps 25 MB × 5.');
    await expect
      .poll(async () => JSON.parse(await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8')) as unknown)
      .toMatchObject({ log: { maxBytes: 25 * 1024 * 1024, keep: 2 } });

    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      // The bottom of the Log section: its note on when the change applies.
      await page.getByRole('status').filter({ hasText: 'next start' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `settings-800x600-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect
      .poll(() => page.getByRole('status', { name: 'Server status' }).textContent())
      .toMatch(/^Running/);
    const first = await RawClient.connect(held.port);
    clients.push(first);
    expect(await exchange(held.port, 'SONG\n').catch(() => 'refused')).not.toBe(`${SONG}\r\n`);
    // The second connection from the same address is turned away; the first still works.
    first.write('SONG\n');
    await expect.poll(() => first.text).toContain(SONG);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
  });
});
