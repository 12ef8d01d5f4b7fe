/**
 * The desktop app end to end: the built app in the real Electron binary,
 * driven through playwright-core the way a person would drive it, with the
 * same scenario as the browser run (browser.test.ts).
 *
 * Electron's npm package does not carry its binary: it is downloaded on
 * first launch (or by `npx install-electron`). Where the binary is missing
 * this file is skipped, and says so; it never starts that download.
 */
import { spawn } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRefused, occupyPort, RawClient } from '../helpers/net.js';
import { ROOT } from '../helpers/process.js';
import { HAIKU_LINES as HAIKU, SONG_LINE as SONG } from '../helpers/classic.js';

const ELECTRON_DIR = path.join(ROOT, 'node_modules', 'electron');
const MAIN_BUNDLE = path.join(ROOT, 'out', 'main', 'index.js');

/**
 * The Electron executable, found by its files only: importing the electron
 * package from Node would download the binary when it is missing.
 */
function findElectron(): { executable: string } | { missing: string } {
  const pathFile = path.join(ELECTRON_DIR, 'path.txt');
  const dist = path.join(ELECTRON_DIR, 'dist');
  if (!existsSync(pathFile) || !existsSync(dist)) {
    return {
      missing:
        'Electron binary not installed (node_modules/electron/dist missing; it downloads on first launch, ' +
        'which this machine cannot; `npx install-electron` fetches it)',
    };
  }
  const relative = readFileSync(pathFile, 'utf8').trim();
  // The same override Electron's own launcher honours.
  const base = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? dist;
  const executable = path.join(base, relative);
  if (!existsSync(executable)) return { missing: `Electron binary not found at ${executable}` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { missing: 'no display for Electron (run the tests under xvfb-run)' };
  }
  return { executable };
}

const electron = findElectron();
const missing = 'missing' in electron ? electron.missing : null;
if (missing !== null) console.warn(`skipped: desktop end-to-end tests: ${missing}`);

/** Builds main, preload and the window, as `npm start` does before launching. */
function buildApp(): Promise<void> {
  const cli = path.join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'build', '-c', 'electron.vite.config.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`electron-vite build exited with ${code}`)),
    );
  });
}

/** This process's environment, minus what would make Electron something else than the built app. */
function appEnv(userData: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined) env[key] = value;
  }
  delete env.ELECTRON_RUN_AS_NODE; // would run main as plain Node
  delete env.ELECTRON_RENDERER_URL; // would load a dev server instead of the built page
  env.SWITCHBOARD_USER_DATA = userData;
  return env;
}

async function freePort(): Promise<number> {
  const held = await occupyPort();
  await held.release();
  return held.port;
}

describe.skipIf(missing !== null)('the desktop app in Electron', () => {
  let app: ElectronApplication | undefined;
  let page: Page;
  let userData: string;
  const clients: RawClient[] = [];
  let serverPort = 0;

  beforeAll(async () => {
    if (!('executable' in electron)) return;
    await buildApp();
    userData = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-electron-'));
    app = await _electron.launch({
      executablePath: electron.executable,
      args: [MAIN_BUNDLE],
      cwd: ROOT,
      env: appEnv(userData),
      timeout: 60_000,
    });
    page = await app.firstWindow();
    page.on('pageerror', (error) => console.error('page error:', error.message));
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await app?.close();
    if (userData) await fs.rm(userData, { recursive: true, force: true });
  });

  const status = (): ReturnType<Page['getByRole']> => page.getByRole('status', { name: 'Server status' });
  const log = (): ReturnType<Page['getByRole']> => page.getByRole('log', { name: 'Connection log' });
  const transcript = (): ReturnType<Page['getByRole']> =>
    page.getByRole('log', { name: 'Client transcript' });
  const button = (name: 'Start' | 'Stop' | 'Send'): ReturnType<Page['getByRole']> =>
    page.getByRole('button', { name, exact: true });

  /** The text of each transcript row, as shown. */
  async function transcriptRows(): Promise<string[]> {
    return transcript().locator('[data-kind]').allTextContents();
  }

  it('opens one window on the built page, with the bridge and without Node', async () => {
    if (!app) throw new Error('app not launched');
    expect(app.windows()).toHaveLength(1);
    expect(page.url()).toMatch(/^file:\/\/.*\/out\/renderer\/index\.html/);
    const seen = await page.evaluate<{ bridge: string[]; require: string; process: string }>(
      '({ bridge: Object.keys(window.switchboard ?? {}).sort(), require: typeof require, process: typeof process })',
    );
    expect(seen).toEqual({ bridge: ['invoke', 'on'], require: 'undefined', process: 'undefined' });
  });

  it('cannot leave its page or open windows', async () => {
    const url = page.url();
    expect(await page.evaluate<boolean>("window.open('file:///etc/hosts') === null")).toBe(true);
    if (!app) throw new Error('app not launched');
    // Main's own will-navigate handler was registered at start, so it has run (and refused) by
    // the time this later listener hears the event: no fixed wait for a navigation that must not come.
    await app.evaluate(({ BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0]?.webContents;
      (globalThis as { navigationSeen?: Promise<string> }).navigationSeen = new Promise((resolve) =>
        contents?.once('will-navigate', (_event, target) => resolve(target)),
      );
    });
    await page.evaluate("location.href = 'http://example.invalid/'");
    expect(
      await app.evaluate(() => (globalThis as { navigationSeen?: Promise<string> }).navigationSeen),
    ).toBe('http://example.invalid/');
    expect(page.url()).toBe(url);
    expect(app.windows()).toHaveLength(1);
  });

  it('starts stopped, then starts the server from the Start button', async () => {
    await expect.poll(() => status().textContent()).toBe('Stopped');
    serverPort = await freePort();
    await page.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Port', { exact: true }).fill(String(serverPort));
    await button('Start').click();
    await expect.poll(() => status().textContent()).toBe(`Running on 127.0.0.1:${serverPort}`);
    expect(await button('Start').isDisabled()).toBe(true);
  });

  it('shows an outside TCP client in the connection log', async () => {
    const client = await RawClient.connect(serverPort);
    clients.push(client);
    await expect.poll(() => log().textContent()).toContain(`127.0.0.1:${client.socket.localPort}`);
    await expect.poll(() => page.getByLabel('Active connections').textContent()).toContain('1');
  });

  it('sends SONG and HAIKU from the client pane and shows the exact replies', async () => {
    const command = page.getByLabel('Command', { exact: true });
    await command.fill('SONG');
    await command.press('Enter');
    await expect.poll(transcriptRows).toContain(SONG);
    await command.fill('HAIKU');
    await button('Send').click();
    await expect.poll(async () => (await transcriptRows()).slice(-HAIKU.length)).toEqual(HAIKU);
  });

  it('stops at once with clients connected, disconnecting every one', async () => {
    const idle = await RawClient.connect(serverPort);
    const midLine = await RawClient.connect(serverPort);
    midLine.write('HAI');
    clients.push(idle, midLine);
    await expect.poll(() => page.getByLabel('Active connections').textContent()).toContain('4');
    await button('Stop').click();
    await expect.poll(() => status().textContent()).toBe('Stopped');
    await Promise.all(clients.map((c) => c.waitClosed()));
    expect(await isRefused(serverPort)).toBe(true);
    await expect.poll(() => page.getByLabel('Active connections').textContent()).toContain('0');
  });

  it('stops the server, closing its connections, when the app quits', async () => {
    if (!app) throw new Error('app not launched');
    await button('Start').click();
    await expect.poll(() => status().textContent()).toBe(`Running on 127.0.0.1:${serverPort}`);
    const client = await RawClient.connect(serverPort);
    clients.push(client);
    await expect.poll(() => log().textContent()).toContain(`127.0.0.1:${client.socket.localPort}`);
    await app.close(); // app.quit(), as the menu's Quit does
    app = undefined;
    await client.waitClosed();
    expect(await isRefused(serverPort)).toBe(true);
  });
});
