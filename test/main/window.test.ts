/**
 * The window: one BrowserWindow with the secure web preferences and the
 * bundled preload, loading our page, shown when ready, brought forward on
 * request; and, with the security setup, unable to leave its page.
 */
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { bundlePaths, resolveAppPage, type AppPage } from '../../electron/main/app-page.js';
import { hardenSession, setupContentsSecurity } from '../../electron/main/security.js';
import { BACKGROUND, createMainWindow, revealWindow } from '../../electron/main/window.js';
import { WindowSlot } from '../../electron/main/window-slot.js';
import {
  asWebContents,
  FakeEvent,
  windowOpenDetails,
  type FakeBrowserWindow,
} from '../helpers/electron-stub.js';

const electron = await vi.hoisted(async () =>
  (await import('../helpers/electron-stub.js')).createElectronStub(),
);
vi.mock('electron', () => electron.module);

const MAIN_DIR = path.resolve('/opt/Switchboard/resources/app.asar/out/main');
const bundle = bundlePaths(MAIN_DIR);
const PAGE: AppPage = resolveAppPage({ rendererHtml: bundle.rendererHtml, packaged: true });

beforeEach(() => {
  electron.windows.length = 0;
  electron.control.loadError = undefined;
  electron.app.removeAllListeners();
  electron.nativeTheme.shouldUseDarkColors = false;
  vi.clearAllMocks();
});

function openWindow(page = PAGE): FakeBrowserWindow {
  createMainWindow({ page, preloadPath: bundle.preload });
  expect(electron.windows).toHaveLength(1);
  const win = electron.windows[0];
  if (!win) throw new Error('no window');
  return win;
}

describe('the window', () => {
  it('has exactly the secure web preferences, with the bundled preload', () => {
    const win = openWindow();
    expect(win.options.webPreferences).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
      preload: bundle.preload,
    });
    const preload = win.options.webPreferences?.preload ?? '';
    expect(path.isAbsolute(preload)).toBe(true);
    expect(preload.endsWith(path.join('preload', 'index.cjs'))).toBe(true);
  });

  it('sets none of the preferences Electron’s security checklist warns about', () => {
    const prefs = openWindow().options.webPreferences ?? {};
    for (const weakening of [
      'allowRunningInsecureContent',
      'experimentalFeatures',
      'enableBlinkFeatures',
      'webviewTag',
      'nodeIntegrationInWorker',
      'nodeIntegrationInSubFrames',
      'additionalArguments',
    ]) {
      expect(prefs).not.toHaveProperty(weakening);
    }
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
  });

  it('finds the preload and the page next to the main bundle, also inside app.asar', () => {
    expect(bundle.preload).toBe(path.resolve('/opt/Switchboard/resources/app.asar/out/preload/index.cjs'));
    expect(bundle.rendererHtml).toBe(
      path.resolve('/opt/Switchboard/resources/app.asar/out/renderer/index.html'),
    );
  });

  it('has a sensible size and a minimum of 800 × 600', () => {
    const { options } = openWindow();
    expect(options).toMatchObject({ width: 1200, height: 800, minWidth: 800, minHeight: 600 });
  });

  it('is shown once its page is ready to show, not before', () => {
    const win = openWindow();
    expect(win.options.show).toBe(false);
    expect(win.show).not.toHaveBeenCalled();
    win.emit('ready-to-show');
    expect(win.show).toHaveBeenCalledTimes(1);
  });

  it.each([
    [true, BACKGROUND.dark],
    [false, BACKGROUND.light],
  ])('with dark colours %s, starts with background %s', (dark, colour) => {
    electron.nativeTheme.shouldUseDarkColors = dark;
    expect(openWindow().options.backgroundColor).toBe(colour);
  });

  it('loads the built page from its file', () => {
    const win = openWindow();
    expect(win.webContents.loadFile).toHaveBeenCalledWith(bundle.rendererHtml);
    expect(win.webContents.loadURL).not.toHaveBeenCalled();
  });

  it('loads the dev server when electron-vite runs one', () => {
    const dev = resolveAppPage({ rendererHtml: '', devServerUrl: 'http://localhost:5173', packaged: false });
    const win = openWindow(dev);
    expect(win.webContents.loadURL).toHaveBeenCalledWith('http://localhost:5173/');
    expect(win.webContents.loadFile).not.toHaveBeenCalled();
  });

  it('is shown anyway when its page fails to load, so that it can be closed', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    electron.control.loadError = new Error('ERR_FILE_NOT_FOUND');
    const win = openWindow();
    await vi.waitFor(() => expect(win.show).toHaveBeenCalledTimes(1));
    expect(error).toHaveBeenCalledWith(expect.stringContaining('could not load'), electron.control.loadError);
    error.mockRestore();
  });

  it('is brought forward: restored when minimised, shown and focused', () => {
    const win = openWindow();
    win.minimized = true;
    revealWindow(win);
    expect(win.restore).toHaveBeenCalledTimes(1);
    expect(win.visible).toBe(true);
    expect(win.focused).toBe(true);
  });
});

describe('one window', () => {
  it('opens once, then is only brought forward; reopens after it was closed', () => {
    const slot = new WindowSlot();
    slot.show(); // before the app is ready there is nothing to open it with
    expect(electron.windows).toHaveLength(0);
    slot.setOpener(() => createMainWindow({ page: PAGE, preloadPath: bundle.preload }));
    slot.show();
    slot.show();
    expect(electron.windows).toHaveLength(1);
    expect(electron.windows[0]?.focus).toHaveBeenCalledTimes(1);
    electron.windows[0]?.close();
    expect(slot.current).toBeUndefined();
    slot.show();
    expect(electron.windows).toHaveLength(2);
    expect(slot.current).toBe(electron.windows[1]);
  });
});

describe('with the security setup, the window', () => {
  let win: FakeBrowserWindow;
  beforeEach(() => {
    setupContentsSecurity(PAGE);
    hardenSession(electron.session.defaultSession, PAGE);
    win = openWindow();
  });

  it('cannot navigate away from its page, by link or by redirect', () => {
    const away = new FakeEvent('https://evil.example/');
    win.webContents.emit('will-navigate', away);
    expect(away.defaultPrevented).toBe(true);
    const redirect = new FakeEvent('https://evil.example/');
    win.webContents.emit('will-redirect', redirect);
    expect(redirect.defaultPrevented).toBe(true);
  });

  it('may go to its own page', () => {
    const own = new FakeEvent(`${PAGE.url}#settings`);
    win.webContents.emit('will-navigate', own);
    expect(own.defaultPrevented).toBe(false);
  });

  it('cannot open windows', () => {
    const open = win.webContents.windowOpenHandler;
    expect(open).toBeDefined();
    expect(open?.(windowOpenDetails('file:///etc/passwd'))).toEqual({ action: 'deny' });
    expect(open?.(windowOpenDetails('https://example.com/docs'))).toEqual({ action: 'deny' });
  });

  it('gets its permission requests denied', () => {
    const handler = electron.session.defaultSession.permissionRequestHandler;
    const callback = vi.fn();
    handler?.(asWebContents(win.webContents), 'media', callback, {
      isMainFrame: true,
      requestingUrl: PAGE.url,
    });
    expect(callback).toHaveBeenCalledExactlyOnceWith(false);
  });
});
