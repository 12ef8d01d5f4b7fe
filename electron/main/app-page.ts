/**
 * Where the window's page comes from, and how to recognise it.
 *
 * The page is the built file out/renderer/index.html or, in development,
 * electron-vite's dev server. Loading the window, allowing navigation and
 * trusting IPC senders all ask this module, so they cannot disagree about
 * what "our own page" is.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isLoopbackHost } from '../shared/protocol/settings.js';

/** The built files the main bundle needs at run time. */
export interface BundlePaths {
  /** out/preload/index.cjs */
  preload: string;
  /** out/renderer/index.html */
  rendererHtml: string;
}

/**
 * Paths of the built preload and page, from the directory of the main bundle
 * (out/main/). They are derived from the bundle's own place rather than the
 * working directory, so they also hold inside a packaged app.asar.
 */
export function bundlePaths(mainDir: string): BundlePaths {
  return {
    preload: path.join(mainDir, '..', 'preload', 'index.cjs'),
    rendererHtml: path.join(mainDir, '..', 'renderer', 'index.html'),
  };
}

export type AppPage =
  { kind: 'file'; path: string; url: string } | { kind: 'dev'; url: string; origin: string };

export interface AppPageOptions {
  rendererHtml: string;
  /** electron-vite's dev server (ELECTRON_RENDERER_URL), when `npm run dev` runs. */
  devServerUrl?: string | undefined;
  /** app.isPackaged: a packaged app never loads a dev server, whatever the environment says. */
  packaged: boolean;
}

export function resolveAppPage(options: AppPageOptions): AppPage {
  const dev = options.packaged ? undefined : options.devServerUrl;
  if (dev) {
    const url = URL.canParse(dev) ? new URL(dev) : undefined;
    if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
      throw new Error(`ELECTRON_RENDERER_URL must be an http(s) address, not ${JSON.stringify(dev)}`);
    }
    // The window's page can drive the server, so it never comes from
    // another machine, not even in development.
    if (!isLoopbackHost(url.hostname)) {
      throw new Error(
        `ELECTRON_RENDERER_URL must be on this machine (localhost), not ${JSON.stringify(dev)}`,
      );
    }
    return { kind: 'dev', url: url.href, origin: url.origin };
  }
  const file = path.resolve(options.rendererHtml);
  return { kind: 'file', path: file, url: pathToFileURL(file).href };
}

/**
 * True when `url` shows our page: any path on the dev server's origin, or
 * the built index.html (with any query or fragment, which the window may
 * use for its own state).
 */
export function isAppPageUrl(page: AppPage, url: string): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  if (page.kind === 'dev') return parsed.origin === page.origin;
  if (parsed.protocol !== 'file:' || parsed.host !== '') return false;
  // Compare decoded paths: Chromium and Node may percent-encode a path differently.
  try {
    return samePath(fileURLToPath(parsed), page.path);
  } catch {
    return false; // not a path on this platform, such as file:///x on Windows
  }
}

function samePath(a: string, b: string): boolean {
  const x = path.resolve(a);
  const y = path.resolve(b);
  // Windows paths are case-insensitive and Chromium may report another drive-letter case.
  return process.platform === 'win32' ? x.toLowerCase() === y.toLowerCase() : x === y;
}
