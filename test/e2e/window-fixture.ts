/**
 * One browser-mode window for one test: its own data folder, its own
 * `npm run web` host and its own page, so that no test depends on what an
 * earlier one left behind. Chromium itself is shared by a file's tests.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { RawClient, occupyPort } from '../helpers/net.js';
import type { CliProcess } from '../helpers/process.js';
import { startWebMode } from '../helpers/browser.js';

export interface TestWindow {
  page: Page;
  web: { cli: CliProcess; url: string; port: number };
  dataDir: string;
  /** Console errors, warnings and page errors seen so far. */
  problems: string[];
  status(): Locator;
  log(): Locator;
  /** Starts the server from the window on a free port (or `settings`); resolves with its port. */
  startServer(settings?: { host?: string; maxLine?: number; idleSec?: number }): Promise<number>;
  /** A raw client of the server, closed with the window. */
  client(port: number): Promise<RawClient>;
  /** Ends the host (as `quit` on its stdin does) and waits for it to exit. */
  quitHost(): Promise<void>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const held = await occupyPort();
  await held.release();
  return held.port;
}

export async function openWindow(
  browser: Browser,
  viewport: { width: number; height: number } = { width: 1280, height: 800 },
): Promise<TestWindow> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-e2e-'));
  const web = await startWebMode(dataDir);
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(web.url);
  const status = (): Locator => page.getByRole('status', { name: 'Server status' });
  await status().waitFor();
  const clients: RawClient[] = [];
  let hostRunning = true;

  const quitHost = async (): Promise<void> => {
    if (!hostRunning) return;
    hostRunning = false;
    web.cli.send('quit\n');
    await web.cli.exited;
  };

  return {
    page,
    web,
    dataDir,
    problems,
    status,
    log: () => page.getByRole('log', { name: 'Connection log' }),
    async startServer(settings = {}) {
      const port = await freePort();
      const host = settings.host ?? '127.0.0.1';
      await page.getByLabel('Host', { exact: true }).fill(host);
      await page.getByLabel('Port', { exact: true }).fill(String(port));
      if (settings.maxLine !== undefined) {
        await page.getByLabel('Max line (bytes)', { exact: true }).fill(String(settings.maxLine));
      }
      if (settings.idleSec !== undefined) {
        await page.getByLabel('Idle timeout (s)', { exact: true }).fill(String(settings.idleSec));
      }
      await page.getByRole('button', { name: 'Start', exact: true }).click();
      const shown = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
      await status()
        .filter({ hasText: `Running on ${shown}` })
        .waitFor();
      return port;
    },
    async client(port) {
      const c = await RawClient.connect(port);
      clients.push(c);
      return c;
    },
    quitHost,
    async close() {
      for (const c of clients) c.destroy();
      await page.close();
      await quitHost();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
