/**
 * `npm start` and `npm run dev` need Electron's binary, which npm does not
 * install: Electron's own `install-electron` downloads it on first use.
 * Offline or behind a proxy that download fails with a raw
 * `TypeError: fetch failed` stack. This wrapper skips the download when the
 * binary is already there (by its files: `path.txt` and the `dist` folder),
 * runs Electron's installer otherwise, and when that fails says what failed,
 * how to retry, and that `npm run web` serves the same window meanwhile.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** What Electron's installer did: its exit code and what it printed to stderr. */
export interface InstallerResult {
  code: number | null;
  stderr: string;
}

export interface EnsureElectronOptions {
  /** node_modules/electron. */
  electronDir: string;
  /** Runs the download; Electron's install.js unless a test gives another. */
  runInstaller: () => Promise<InstallerResult>;
  /** Where messages go (stderr). */
  print: (text: string) => void;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
}

/**
 * Whether Electron's binary is installed: `path.txt` names the executable
 * inside `dist` (or ELECTRON_OVERRIDE_DIST_PATH), and it exists.
 */
export function isElectronInstalled(electronDir: string, env: NodeJS.ProcessEnv = process.env): boolean {
  let executable: string;
  try {
    executable = readFileSync(path.join(electronDir, 'path.txt'), 'utf8').trim();
  } catch {
    return false;
  }
  if (executable === '') return false;
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(electronDir, 'dist');
  return existsSync(path.join(dist, executable));
}

/** Returns the exit code for the npm script: 0 to go on, 1 when Electron is missing. */
export async function ensureElectron(options: EnsureElectronOptions): Promise<number> {
  const env = options.env ?? process.env;
  if (isElectronInstalled(options.electronDir, env)) return 0;
  const version = electronVersion(options.electronDir);
  options.print(`Downloading Electron ${version} (first run only)…\n`);
  const result = await options.runInstaller();
  if (result.code === 0 && isElectronInstalled(options.electronDir, env)) return 0;
  options.print(failureMessage(version, result, options.platform ?? process.platform, env));
  return 1;
}

export function failureMessage(
  version: string,
  result: InstallerResult,
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
): string {
  return [
    '',
    `Switchboard could not download Electron ${version}: ${reasonOf(result)}.`,
    `It comes from ${env.ELECTRON_MIRROR ?? 'github.com/electron/electron/releases'}; this machine`,
    'seems to be offline, behind a proxy, or not allowed to reach it. To retry:',
    '  - through a proxy:  ELECTRON_GET_USE_PROXY=1 HTTPS_PROXY=http://proxy:port npm start',
    '  - from a mirror:    ELECTRON_MIRROR=https://mirror.example/electron/ npm start',
    `  - the downloads are cached in ${cacheFolder(platform, env)}`,
    '    (electron_config_cache=DIR picks another folder); delete a broken download there.',
    'Meanwhile `npm run web` serves the same window to a browser, with no download.',
    '',
  ].join('\n');
}

/** The error's first line (`TypeError: fetch failed`), not the stack under it. */
function reasonOf(result: InstallerResult): string {
  const lines = result.stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('at '));
  const error = lines.find((line) => /error\b/i.test(line)) ?? lines[0];
  if (error) return error.replace(/\.$/, '');
  return result.code === null ? 'the installer was stopped' : `the installer exited with code ${result.code}`;
}

/** Where @electron/get keeps its downloads (env-paths' cache folder for "electron"). */
export function cacheFolder(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (env.electron_config_cache) return env.electron_config_cache;
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'electron');
  if (platform === 'win32')
    return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'electron', 'Cache');
  return path.join(env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 'electron');
}

function electronVersion(electronDir: string): string {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path.join(electronDir, 'package.json'), 'utf8'));
    const version = (parsed as { version?: unknown }).version;
    return typeof version === 'string' ? version : '';
  } catch {
    return '';
  }
}

/** Runs Electron's own installer; its progress shows, its stderr is kept for the message. */
function runElectronInstaller(electronDir: string): Promise<InstallerResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(electronDir, 'install.js')], {
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      // Enough for the first lines; a runaway installer cannot fill memory.
      if (stderr.length < 64 * 1024) stderr += text;
    });
    child.on('error', (error) => resolve({ code: 1, stderr: `Error: ${error.message}` }));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

async function main(): Promise<void> {
  const electronDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  process.exitCode = await ensureElectron({
    electronDir,
    runInstaller: () => runElectronInstaller(electronDir),
    print: (text) => process.stderr.write(text),
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  void main();
}
