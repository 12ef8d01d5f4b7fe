/**
 * What counts as our own page: the built index.html, or the dev server's
 * origin in development (never in a packaged app, never another machine),
 * so the window never loads remote content.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAppPageUrl, resolveAppPage } from '../../electron/main/app-page.js';

const HTML = path.resolve(
  '/Users/me/My Apps/Switchboard.app/Contents/Resources/app.asar/out/renderer/index.html',
);

describe('the built page', () => {
  const page = resolveAppPage({ rendererHtml: HTML, packaged: true });

  it('is a file URL of index.html', () => {
    expect(page).toEqual({ kind: 'file', path: HTML, url: pathToFileURL(HTML).href });
  });

  it.each([
    [pathToFileURL(HTML).href, true],
    [`${pathToFileURL(HTML).href}#/settings`, true],
    [`${pathToFileURL(HTML).href}?x=1`, true],
    // Chromium may encode a path differently from Node; the decoded path decides.
    [pathToFileURL(HTML).href.replace('%20', ' '), true],
    [pathToFileURL(path.join(path.dirname(HTML), 'other.html')).href, false],
    [pathToFileURL(`${HTML}.evil`).href, false],
    ['file://evil-host/share/index.html', false],
    ['https://example.com/index.html', false],
    ['about:blank', false],
    ['not a url', false],
  ])('%s is our page: %s', (url, ours) => {
    expect(isAppPageUrl(page, url)).toBe(ours);
  });
});

describe('the dev server', () => {
  const page = resolveAppPage({ rendererHtml: HTML, devServerUrl: 'http://localhost:5173', packaged: false });

  it('is used when electron-vite runs one', () => {
    expect(page).toEqual({ kind: 'dev', url: 'http://localhost:5173/', origin: 'http://localhost:5173' });
  });

  it.each([
    ['http://localhost:5173/', true],
    ['http://localhost:5173/src/main.tsx', true],
    ['http://127.0.0.1:5173/', false],
    ['https://localhost:5173/', false],
    [pathToFileURL(HTML).href, false],
  ])('%s is our page: %s', (url, ours) => {
    expect(isAppPageUrl(page, url)).toBe(ours);
  });

  it('is ignored in a packaged app', () => {
    const packaged = resolveAppPage({
      rendererHtml: HTML,
      devServerUrl: 'http://localhost:5173',
      packaged: true,
    });
    expect(packaged.kind).toBe('file');
  });

  it.each(['http://127.0.0.1:5173', 'http://[::1]:5173/', 'https://localhost:5173'])(
    'may be on this machine: %s',
    (url) => {
      expect(resolveAppPage({ rendererHtml: HTML, devServerUrl: url, packaged: false }).kind).toBe('dev');
    },
  );

  it.each([
    'http://192.168.1.20:5173',
    'http://example.com',
    'http://localhost.example.com:5173',
    'http://0.0.0.0:5173',
  ])('is refused on another machine (the page can drive the server): %s', (url) => {
    expect(() => resolveAppPage({ rendererHtml: HTML, devServerUrl: url, packaged: false })).toThrow(
      /must be on this machine/,
    );
  });

  it('must be an http(s) address', () => {
    expect(() => resolveAppPage({ rendererHtml: HTML, devServerUrl: 'file:///x', packaged: false })).toThrow(
      /ELECTRON_RENDERER_URL/,
    );
    expect(() => resolveAppPage({ rendererHtml: HTML, devServerUrl: 'nonsense', packaged: false })).toThrow(
      /ELECTRON_RENDERER_URL/,
    );
  });
});
