/**
 * The first-run Electron download behind `npm start` and `npm run dev`:
 * skipped when the binary's files are there, and when it fails (offline,
 * behind a proxy), a message that says what failed and how to retry instead
 * of a raw `TypeError: fetch failed` stack.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  cacheFolder,
  ensureElectron,
  isElectronInstalled,
  type InstallerResult,
} from '../../scripts/ensure-electron.js';
import { ROOT, runTs } from '../helpers/process.js';

/** What Electron's installer prints offline (its real output on this machine). */
const FETCH_FAILED: InstallerResult = {
  code: 1,
  stderr: [
    'TypeError: fetch failed',
    '    at node:internal/deps/undici/undici:14976:13',
    '    at async FetchDownloader.download (file:///x/node_modules/@electron/get/dist/FetchDownloader.js:46:30)',
    '',
  ].join('\n'),
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ensure-electron-'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'electron', version: '45.5.0' }));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function installBinary(): void {
  writeFileSync(path.join(dir, 'path.txt'), 'electron');
  mkdirSync(path.join(dir, 'dist'));
  writeFileSync(path.join(dir, 'dist', 'electron'), '');
}

async function run(result: InstallerResult): Promise<{ code: number; printed: string; calls: number }> {
  let printed = '';
  const runInstaller = vi.fn(() => Promise.resolve(result));
  const code = await ensureElectron({
    electronDir: dir,
    runInstaller,
    print: (text) => (printed += text),
    platform: 'linux',
    env: { XDG_CACHE_HOME: '/home/u/.cache' },
  });
  return { code, printed, calls: runInstaller.mock.calls.length };
}

describe('an installed Electron', () => {
  it('is found by path.txt and the binary in dist, and nothing is downloaded', async () => {
    installBinary();
    expect(await run(FETCH_FAILED)).toEqual({ code: 0, printed: '', calls: 0 });
  });

  it('is missing when path.txt names a binary dist does not hold', async () => {
    writeFileSync(path.join(dir, 'path.txt'), 'electron');
    expect(isElectronInstalled(dir, {})).toBe(false);
    expect((await run(FETCH_FAILED)).calls).toBe(1);
  });
});

describe('a failed download', () => {
  it('says what failed, how to retry, and that npm run web works meanwhile; no stack', async () => {
    const { code, printed } = await run(FETCH_FAILED);
    expect(code).toBe(1);
    expect(printed).toContain('could not download Electron 45.5.0: TypeError: fetch failed.');
    expect(printed).toContain('ELECTRON_GET_USE_PROXY=1');
    expect(printed).toContain('ELECTRON_MIRROR=');
    expect(printed).toContain('cached in /home/u/.cache/electron');
    expect(printed).toContain('npm run web');
    expect(printed).not.toMatch(/^\s+at /m);
  });

  it('that exits 0 without leaving the binary still fails', async () => {
    const { code, printed } = await run({ code: 0, stderr: '' });
    expect(code).toBe(1);
    expect(printed).toContain('the installer exited with code 0');
  });
});

it('names each platform’s cache folder, or the one electron_config_cache picks', () => {
  expect(cacheFolder('darwin', {})).toBe(path.join(os.homedir(), 'Library', 'Caches', 'electron'));
  expect(cacheFolder('win32', { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' })).toBe(
    path.join('C:\\Users\\u\\AppData\\Local', 'electron', 'Cache'),
  );
  expect(cacheFolder('linux', { electron_config_cache: '/srv/cache' })).toBe('/srv/cache');
});

it('npm start and npm run dev go through the wrapper', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  for (const script of ['start', 'dev']) {
    expect(pkg.scripts[script]).toMatch(/^tsx scripts\/ensure-electron\.ts && /);
    expect(pkg.scripts[script]).not.toContain('install-electron');
  }
});

it('run for real: downloads against an unreachable mirror fail with the message, or skip when installed', async () => {
  const electronDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  // A closed port: the download fails at once, never reaching the network.
  const cli = runTs('scripts/ensure-electron.ts', [], { ELECTRON_MIRROR: 'http://127.0.0.1:1/' });
  const timer = setTimeout(() => cli.kill('SIGKILL'), 45_000);
  const code = await cli.exited;
  clearTimeout(timer);
  if (isElectronInstalled(electronDir)) {
    expect(code).toBe(0);
    expect(cli.stderr).toBe('');
  } else {
    expect(code).toBe(1);
    expect(cli.stderr).toContain('could not download Electron');
    expect(cli.stderr).toContain('It comes from http://127.0.0.1:1/');
    expect(cli.stderr).not.toMatch(/^\s+at /m);
  }
}, 60_000);
