/**
 * "Export → All rows of this run" end to end, in real Chromium through
 * browser mode: the rows come from the durable log file (so Clear and the
 * window's own limit do not shrink them), the menu says what each item
 * covers, and the note under it names the rows rotation deleted. It takes
 * the screenshots of that note, light and dark, at 800×600.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { browserRunsSkipped, launchChromium, screenshotDir, startWebMode } from '../helpers/browser.js';
import type { RawClient } from '../helpers/net.js';
import { openWindow, type TestWindow } from './window-fixture.js';

const missing = browserRunsSkipped('browser end-to-end tests');
const SHOTS = screenshotDir();

type Row = Record<string, unknown> & { seq: number; kind: string };

describe.skipIf(missing !== null)('export of this run from the log file, in Chromium', () => {
  let browser: Browser;
  let w: TestWindow;
  let page: Page;
  let serverPort = 0;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
  });
  beforeEach(async () => {
    w = await openWindow(browser, { width: 800, height: 600 });
    page = w.page;
    serverPort = await w.startServer();
  });
  afterEach(async () => {
    await w.close();
  });

  const rowCount = async (): Promise<number> => {
    const text = (await page.locator('.log-count').textContent()) ?? '';
    return Number(text.match(/([\d,]+) rows?$/)?.[1]?.replace(/,/g, '') ?? NaN);
  };
  const note = () => page.getByRole('status', { name: 'Export of this run' });

  /** Picks a menu item and reads the file it downloads. */
  async function download(item: string): Promise<{ name: string; rows: Row[] }> {
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const [file] = await Promise.all([
      page.waitForEvent('download', { timeout: 30_000 }),
      page.getByRole('menuitem', { name: item }).click(),
    ]);
    const text = await fs.readFile(await file.path(), 'utf8');
    const rows = text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Row);
    return { name: file.suggestedFilename(), rows };
  }

  /** `count` unknown lines L0… on one connection, in steps the window keeps up with. */
  async function send(c: RawClient, count: number): Promise<void> {
    for (let from = 0; from < count; from += 100) {
      const to = Math.min(count, from + 100);
      c.write(Array.from({ length: to - from }, (_, i) => `L${from + i}\n`).join(''));
      await c.waitFor(`Unknown command: L${to - 1}\r\n`);
    }
  }

  it('exports every row of this run after Clear, read from the log file; the window’s rows are labelled so', async () => {
    const c = await w.client(serverPort);
    await send(c, 1500);
    await expect.poll(rowCount, { timeout: 20_000 }).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Clear log' }).click();
    await expect.poll(rowCount).toBe(0);

    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByRole('menu', { name: 'Export' }).waitFor();
    // The menu fits the 800×600 window, light and dark.
    const box = await page.getByRole('menu', { name: 'Export' }).boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 800 && box.y + box.height <= 600).toBe(true);
    await fs.mkdir(SHOTS, { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: path.join(SHOTS, `log-800x600-${scheme}-export-menu.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await page.getByRole('menuitem').allTextContents()).toEqual([
      'Rows in the window (0) as JSON Lines',
      'Rows in the window (0) as CSV',
      'All rows of this run, from the log file, as JSON Lines',
      'All rows of this run, from the log file, as CSV',
    ]);
    await page.keyboard.press('Escape');

    const run = await download('All rows of this run, from the log file, as JSON Lines');
    expect(run.name).toMatch(/^switchboard-log-run-\d{8}-\d{6}\.jsonl$/);
    // The listening row, the open, and a line and a reply for each of the 1,500: nothing cleared is lost.
    expect(run.rows[0]).toMatchObject({ conn: 0, kind: 'listening' });
    const lines = run.rows.filter((r) => r.kind === 'line');
    expect(lines).toHaveLength(1500);
    expect(lines[0]).toMatchObject({ detail: 'L0', dir: 'in' });
    expect(lines.at(-1)).toMatchObject({ detail: 'L1499', dir: 'in' });
    expect(run.rows.filter((r) => r.kind === 'reply')).toHaveLength(1500);
    // In order, each row once.
    expect(run.rows.every((r, i) => i === 0 || r.seq > (run.rows[i - 1]?.seq ?? Infinity))).toBe(true);
    await expect
      .poll(() => note().textContent())
      .toBe(`Exported all ${run.rows.length.toLocaleString('en-US')} rows of this run the log file holds.`);

    // The window's own rows are what the window holds, and say so.
    const window = await download('Rows in the window (0) as JSON Lines');
    expect(window.rows).toEqual([]);
  });

  it('names the rows rotation deleted, and its note reads well light and dark', async () => {
    // A tiny log retention, from settings.json, for the next run of the host.
    const settingsFile = path.join(w.dataDir, 'settings.json');
    const settings = JSON.parse(await fs.readFile(settingsFile, 'utf8')) as Record<string, unknown>;
    await fs.writeFile(settingsFile, JSON.stringify({ ...settings, log: { maxBytes: 4096, keep: 1 } }));
    await w.quitHost();
    const next = await startWebMode(w.dataDir);
    const again = await browser.newPage({ viewport: { width: 800, height: 600 }, acceptDownloads: true });
    const problems: string[] = [];
    again.on('pageerror', (e) => problems.push(e.message));
    try {
      page = again;
      await page.goto(next.url);
      await page.getByRole('button', { name: 'Start', exact: true }).click();
      await page
        .getByRole('status', { name: 'Server status' })
        .filter({ hasText: `Running on 127.0.0.1:${serverPort}` })
        .waitFor();
      const c = await w.client(serverPort);
      try {
        await send(c, 300);
        const run = await download('All rows of this run, from the log file, as JSON Lines');
        const last = run.rows.at(-1)?.seq ?? 0;
        // The files hold the newest rows; the note counts the rest, named as rotated away.
        await expect.poll(() => note().textContent()).toMatch(/rotated away\)\.$/);
        const text = (await note().textContent()) ?? '';
        const gone = Number(
          text.match(/ ([\d,]+) rows? of this run (?:is|are) not in it/)?.[1]?.replace(/,/g, ''),
        );
        expect(gone).toBeGreaterThan(0);
        expect(text).toContain(`Exported all ${run.rows.length.toLocaleString('en-US')} rows`);
        expect(run.rows.length + gone).toBe(last);
        expect(run.rows.at(-1)).toMatchObject({ kind: 'reply' });

        await fs.mkdir(SHOTS, { recursive: true });
        for (const scheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme: scheme });
          await page.screenshot({ path: path.join(SHOTS, `log-800x600-${scheme}-export-run.png`) });
          const overflow = await page.evaluate<number>(
            'document.documentElement.scrollWidth - window.innerWidth',
          );
          expect(overflow).toBeLessThanOrEqual(0);
        }
      } finally {
        c.destroy();
      }
      expect(problems).toEqual([]);
    } finally {
      await again.close();
      next.cli.send('quit\n');
      await next.cli.exited;
    }
  });
});
