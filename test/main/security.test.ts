/**
 * The lock-down: navigation, new windows, <webview>, permissions, the
 * Content-Security-Policy (the built page's <meta> and the header for the
 * dev server), and the source tree itself: the one ipcMain module, the
 * preload alone on ipcRenderer, and none of the settings or APIs that
 * Electron's security checklist (and electronegativity) warn about.
 *
 * Checks of a module live with that module's tests: web preferences in
 * window.test.ts, the page's URL in app-page.test.ts, IPC sender trust in
 * ipc.test.ts, the preload's surface in test/preload/preload.test.ts.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveAppPage, type AppPage } from '../../electron/main/app-page.js';
import {
  contentSecurityPolicy,
  hardenSession,
  hardenWebContents,
  REACT_REFRESH_PREAMBLE_HASH,
  setupContentsSecurity,
} from '../../electron/main/security.js';
import {
  asWebContents,
  FakeEvent,
  FakeSession,
  FakeWebContents,
  windowOpenDetails,
} from '../helpers/electron-stub.js';
import { ROOT } from '../helpers/process.js';
import { callsOf, propertiesNamed, readSources, stringsOf, usesOf } from '../helpers/source-scan.js';

const electron = await vi.hoisted(async () =>
  (await import('../helpers/electron-stub.js')).createElectronStub(),
);
vi.mock('electron', () => electron.module);

const FILE_PAGE: AppPage = resolveAppPage({ rendererHtml: '/app/out/renderer/index.html', packaged: true });
const DEV_PAGE: AppPage = resolveAppPage({
  rendererHtml: '',
  devServerUrl: 'http://localhost:5173',
  packaged: false,
});

let contents: FakeWebContents;
let session: FakeSession;

beforeEach(() => {
  vi.clearAllMocks();
  electron.app.removeAllListeners();
  contents = new FakeWebContents(new FakeSession());
  session = new FakeSession();
});

describe('web contents', () => {
  beforeEach(() => hardenWebContents(contents, FILE_PAGE));

  it.each([
    ['https://evil.example/', true],
    ['http://localhost:5173/', true],
    ['file:///etc/passwd', true],
    ['javascript:alert(1)', true],
    [FILE_PAGE.url, false],
    [`${FILE_PAGE.url}?view=log#top`, false],
  ])('navigating to %s is prevented: %s', (url, prevented) => {
    const navigate = new FakeEvent(url);
    contents.emit('will-navigate', navigate);
    expect(navigate.defaultPrevented).toBe(prevented);
    const redirect = new FakeEvent(url);
    contents.emit('will-redirect', redirect);
    expect(redirect.defaultPrevented).toBe(prevented);
  });

  it('allows any path of the dev server, and nothing else, in development', () => {
    const dev = new FakeWebContents(new FakeSession());
    hardenWebContents(dev, DEV_PAGE);
    const own = new FakeEvent('http://localhost:5173/index.html');
    const other = new FakeEvent('http://localhost:5174/');
    dev.emit('will-navigate', own);
    dev.emit('will-navigate', other);
    expect([own.defaultPrevented, other.defaultPrevented]).toEqual([false, true]);
  });

  it('refuses to attach a <webview>', () => {
    const attach = new FakeEvent();
    contents.emit('will-attach-webview', attach);
    expect(attach.defaultPrevented).toBe(true);
  });

  it('denies every new window and hands no link to the user’s browser', () => {
    const open = contents.windowOpenHandler;
    for (const url of [
      'https://example.com/',
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:1',
      '',
    ]) {
      expect(open?.(windowOpenDetails(url))).toEqual({ action: 'deny' });
    }
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it('is applied to every webContents the app creates', () => {
    setupContentsSecurity(FILE_PAGE);
    const created = new FakeWebContents(new FakeSession());
    electron.app.emit('web-contents-created', new FakeEvent(), created);
    expect(created.setWindowOpenHandler).toHaveBeenCalledTimes(1);
    const navigate = new FakeEvent('https://evil.example/');
    created.emit('will-navigate', navigate);
    expect(navigate.defaultPrevented).toBe(true);
  });
});

describe('session', () => {
  beforeEach(() => hardenSession(session, DEV_PAGE));

  it.each(['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal'] as const)(
    'denies the %s permission request',
    (permission) => {
      const callback = vi.fn();
      session.permissionRequestHandler?.(asWebContents(contents), permission, callback, {
        isMainFrame: true,
        requestingUrl: FILE_PAGE.url,
      });
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
    },
  );

  it('answers every permission check and device request with no', () => {
    const details = {
      isMainFrame: true,
      requestingUrl: FILE_PAGE.url,
      embeddingOrigin: '',
      securityOrigin: '',
    };
    expect(session.permissionCheckHandler?.(null, 'media', 'file://', details)).toBe(false);
    expect(session.permissionCheckHandler?.(asWebContents(contents), 'serial', 'file://', details)).toBe(
      false,
    );
    expect(session.devicePermissionHandler).toBeTypeOf('function');
    expect(
      session.devicePermissionHandler?.({ deviceType: 'usb', origin: 'file://', device: {} as never }),
    ).toBe(false);
  });

  it('adds the CSP header to http responses, keeping the others', () => {
    const callback = vi.fn();
    session.headersListener?.(responseTo('http://localhost:5173/'), callback);
    expect(callback).toHaveBeenCalledExactlyOnceWith({
      responseHeaders: {
        'content-type': ['text/html'],
        'Content-Security-Policy': [contentSecurityPolicy(DEV_PAGE)],
      },
    });
  });

  it('leaves file responses alone (the built page has its own CSP meta tag)', () => {
    const callback = vi.fn();
    session.headersListener?.(responseTo(FILE_PAGE.url), callback);
    expect(callback).toHaveBeenCalledExactlyOnceWith({});
  });
});

describe('the Content-Security-Policy', () => {
  const policy = contentSecurityPolicy(DEV_PAGE);
  const directive = (name: string): string =>
    policy
      .split('; ')
      .find((d) => d.startsWith(`${name} `))
      ?.slice(name.length + 1) ?? '';

  it('loads nothing by default, and scripts only from the page’s own origin', () => {
    expect(directive('default-src')).toBe("'none'");
    expect(directive('script-src')).toBe(`'self' '${REACT_REFRESH_PREAMBLE_HASH}'`);
    expect(directive('object-src')).toBe("'none'");
    expect(directive('frame-src')).toBe("'none'");
    expect(directive('base-uri')).toBe("'none'");
    expect(policy).not.toMatch(/unsafe-eval|\*/);
  });

  it('lets the dev server’s hot-reload socket connect, and only it', () => {
    expect(directive('connect-src')).toBe("'self' ws://localhost:5173");
  });

  it('allows the React Fast Refresh preamble of the installed plugin, by its hash', () => {
    const preamble = react.preambleCode.replace('__BASE__', '/');
    const hash = `sha256-${createHash('sha256').update(preamble).digest('base64')}`;
    expect(REACT_REFRESH_PREAMBLE_HASH).toBe(hash);
  });
});

function responseTo(url: string): Parameters<NonNullable<FakeSession['headersListener']>>[0] {
  return {
    id: 1,
    url,
    method: 'GET',
    resourceType: 'mainFrame',
    referrer: '',
    timestamp: 0,
    statusLine: 'HTTP/1.1 200 OK',
    statusCode: 200,
    responseHeaders: { 'content-type': ['text/html'] },
  };
}

// ---------------------------------------------------------------------------
// Content-Security-Policy, as the window gets it
// ---------------------------------------------------------------------------

type Policy = Map<string, string[]>;

function parsePolicy(text: string): Policy {
  const policy: Policy = new Map();
  for (const directive of text.split(';')) {
    const [name, ...sources] = directive.trim().split(/\s+/);
    if (name) policy.set(name.toLowerCase(), sources);
  }
  return policy;
}

/** The sources a fetch directive allows, falling back to default-src as browsers do. */
function sourcesOf(policy: Policy, directive: string): string[] {
  return policy.get(directive) ?? policy.get('default-src') ?? [];
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Sources that reach beyond this machine: a bare scheme (`https:` allows
 * every host), a wildcard host, or any host that is not loopback. `data:`
 * is judged separately, per directive.
 */
function remoteSources(policy: Policy): string[] {
  return [...policy.values()].flat().filter((source) => {
    if (source.startsWith("'") || source === 'data:') return false;
    const host = /^[a-z][a-z0-9+.-]*:\/\/([^/:]+|\[[^\]]+\])(?::(?:\d+|\*))?\/?$/i.exec(source)?.[1];
    return host === undefined || !LOOPBACK.has(host.toLowerCase());
  });
}

const UNSAFE_SCRIPT = [
  "'unsafe-inline'",
  "'unsafe-eval'",
  "'wasm-unsafe-eval'",
  "'unsafe-hashes'",
  "'strict-dynamic'",
];

describe('the policy checks below', () => {
  it('catch remote sources of every form, and pass loopback', () => {
    const policy = parsePolicy(
      "default-src 'self' https:; script-src 'self' https://cdn.example.com; img-src * data:; " +
        'connect-src ws://127.0.0.1:* ws://localhost:5173 wss://[::1]:443 ws://10.0.0.2:80 http://127.0.0.1.evil.example',
    );
    expect(remoteSources(policy)).toEqual([
      'https:',
      'https://cdn.example.com',
      '*',
      'ws://10.0.0.2:80',
      'http://127.0.0.1.evil.example',
    ]);
  });

  it('fall back to default-src for a directive that is not set', () => {
    expect(sourcesOf(parsePolicy("default-src 'self' 'unsafe-inline'"), 'script-src')).toEqual([
      "'self'",
      "'unsafe-inline'",
    ]);
  });
});

describe('the built page’s Content-Security-Policy (renderer/index.html)', () => {
  const html = readFileSync(path.join(ROOT, 'renderer', 'index.html'), 'utf8');
  const metas = [...html.matchAll(/<meta\s[^>]*http-equiv=["']Content-Security-Policy["'][^>]*>/gi)];
  const content = /\scontent="([^"]*)"/i.exec(metas[0]?.[0] ?? '')?.[1] ?? '';
  const policy = parsePolicy(content);

  it('is one <meta>, before any script or stylesheet (a policy applies only to what follows it)', () => {
    expect(metas).toHaveLength(1);
    const firstResource = html.search(/<(script|link)\b/i);
    expect(metas[0]?.index).toBeLessThan(firstResource === -1 ? Infinity : firstResource);
  });

  it('runs scripts only from the page’s own files: no inline code, no eval', () => {
    expect(sourcesOf(policy, 'script-src')).toEqual(["'self'"]);
    for (const sources of policy.values()) {
      for (const unsafe of ["'unsafe-eval'", "'wasm-unsafe-eval'"]) expect(sources).not.toContain(unsafe);
    }
  });

  it('loads nothing from another machine', () => {
    expect(policy.get('default-src')).toBeDefined();
    expect(remoteSources(policy)).toEqual([]);
    // data: only for images and fonts, never for scripts, frames or connections.
    for (const [directive, sources] of policy) {
      if (sources.includes('data:')) expect(['img-src', 'font-src']).toContain(directive);
    }
  });

  it('allows no plugins, no <base> and no form posts', () => {
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
  });

  it('holds no inline script, no inline event handler and no remote resource', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes = '', body = ''] of scripts) {
      expect(body.trim()).toBe('');
      expect(attributes).toMatch(/\ssrc="\.?\/[^"]+"/);
    }
    expect(html).not.toMatch(/<[^>]+\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/\s(?:src|href)=["'](?:https?:)?\/\//i);
  });
});

describe('the dev server’s Content-Security-Policy header', () => {
  const policy = parsePolicy(contentSecurityPolicy(DEV_PAGE));

  it('runs scripts only from the dev server, plus React Refresh’s preamble by hash', () => {
    expect(sourcesOf(policy, 'script-src')).toEqual(["'self'", `'${REACT_REFRESH_PREAMBLE_HASH}'`]);
    for (const unsafe of UNSAFE_SCRIPT) expect(sourcesOf(policy, 'script-src')).not.toContain(unsafe);
    expect(contentSecurityPolicy(DEV_PAGE)).not.toContain('unsafe-eval');
  });

  it('loads nothing from another machine', () => {
    expect(remoteSources(policy)).toEqual([]);
    expect(remoteSources(parsePolicy(contentSecurityPolicy(FILE_PAGE)))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// The source tree
// ---------------------------------------------------------------------------

/**
 * The checks @doyensec/electronegativity would make of our code, made here
 * with TypeScript's own parser instead. The tool itself is not used: it
 * depends on @mapbox/node-pre-gyp (a native-binary downloader and builder),
 * downloads Electron's release list from GitHub on every run, and parses
 * with TypeScript 4.2, which cannot read this code (`satisfies`).
 */
describe('the source tree', () => {
  // Everything that runs in the app or builds it; tests are not shipped.
  const sources = readSources('electron', 'renderer', 'scripts');
  const inFiles = (uses: string[]): string[] => [...new Set(uses.map((at) => at.replace(/:\d+$/, '')))];

  it('is read (a scan of nothing would pass)', () => {
    const files = sources.map((s) => s.file);
    expect(files).toEqual(expect.arrayContaining(['electron/main/ipc.ts', 'electron/preload/index.ts']));
    expect(files.length).toBeGreaterThan(20);
  });

  it('uses ipcMain only in electron/main/ipc.ts', () => {
    expect(inFiles(usesOf(sources, 'ipcMain'))).toEqual(['electron/main/ipc.ts']);
  });

  it('uses ipcRenderer only in the preload', () => {
    expect(inFiles(usesOf(sources, 'ipcRenderer'))).toEqual(['electron/preload/index.ts']);
  });

  it('never opens anything in the system’s browser (the page has no external links)', () => {
    expect(inFiles(usesOf(sources, 'openExternal'))).toEqual([]);
  });

  /**
   * Web preferences with the only value each may have where it is written
   * at all: the window sets the safe one explicitly or leaves Electron's
   * safe default. `enableBlinkFeatures` has no safe value.
   */
  const SAFE_PREFERENCES: Record<string, string | null> = {
    contextIsolation: 'true',
    sandbox: 'true',
    nodeIntegration: 'false',
    nodeIntegrationInWorker: 'false',
    nodeIntegrationInSubFrames: 'false',
    webSecurity: 'true',
    allowRunningInsecureContent: 'false',
    experimentalFeatures: 'false',
    webviewTag: 'false',
    navigateOnDragDrop: 'false',
    enableBlinkFeatures: null,
  };

  it.each(Object.entries(SAFE_PREFERENCES))('never sets %s to anything but %s', (key, safe) => {
    const unsafe = propertiesNamed(sources, key).filter(({ value }) => value !== safe);
    expect(unsafe).toEqual([]);
  });

  it.each([
    // Trusting certificates the system refuses.
    'setCertificateVerifyProc',
    // Running strings as code, in main or in a page.
    'eval',
    'executeJavaScript',
    'executeJavaScriptInIsolatedWorld',
    // Writing HTML from data the server received (the window renders what strangers send).
    'dangerouslySetInnerHTML',
    'innerHTML',
    'outerHTML',
    'insertAdjacentHTML',
    // Turning security off from the command line or the environment.
    'appendSwitch',
    'ELECTRON_DISABLE_SECURITY_WARNINGS',
    // Privileged custom schemes, and the removed remote module.
    'registerSchemesAsPrivileged',
    'enableRemoteModule',
  ])('does not use %s', (name) => {
    expect(usesOf(sources, name)).toEqual([]);
  });

  it('does not override certificate errors or build functions from strings', () => {
    expect(stringsOf(sources, 'certificate-error')).toEqual([]);
    expect(callsOf(sources, 'Function')).toEqual([]);
  });
});
