/**
 * Real Chromium for the end-to-end runs: Debian's build, driven by
 * playwright-core (which never downloads a browser of its own).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.js';
import path from 'node:path';
import { ROOT, runTs, type CliProcess } from './process.js';

/**
 * Where the end-to-end runs put their screenshots: a scratch folder, or
 * docs/screenshots (which the README shows) when UPDATE_SCREENSHOTS=1, so
 * that an ordinary test run leaves the committed pictures alone.
 */
export function screenshotDir(): string {
  return process.env.UPDATE_SCREENSHOTS === '1'
    ? path.join(ROOT, 'docs', 'screenshots')
    : path.join(ROOT, 'test-results', 'screenshots');
}

/** Why the browser runs cannot happen on this machine, or null when they can. */
export function chromiumMissing(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  return `Chromium not found at ${CHROMIUM_PATH} (install it with: apt-get install -y chromium, or set CHROMIUM_PATH)`;
}

/**
 * Why a file's browser runs are skipped (printed), or null when they can run.
 * In CI a missing Chromium is an error, never a quiet skip.
 */
export function browserRunsSkipped(what: string): string | null {
  const missing = chromiumMissing();
  if (!missing) return null;
  if (process.env.CI === 'true') throw new Error(missing);
  console.warn(`skipped: ${what}: ${missing}`);
  return missing;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** Starts `npm run web` on an already built window; resolves with the address it prints. */
export async function startWebMode(dataDir: string): Promise<{ cli: CliProcess; url: string; port: number }> {
  const cli = runTs('electron/cli/web.ts', ['--port', '0', '--data-dir', dataDir]);
  const m = await cli.waitForLine(/^open (http:\/\/127\.0\.0\.1:(\d+)\/#token=[\w-]+)$/);
  return { cli, url: m[1] ?? '', port: Number(m[2]) };
}
