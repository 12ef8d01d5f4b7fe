/**
 * The lock-down: navigation, new windows, <webview>, permissions, and the
 * Content-Security-Policy header for pages served over http.
 */
import { createHash } from 'node:crypto';
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

  it('denies every new window; only an https link goes to the user’s browser', () => {
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
    expect(electron.shell.openExternal.mock.calls).toEqual([['https://example.com/']]);
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
