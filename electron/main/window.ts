/**
 * The app's window: how it is made, loaded and brought forward.
 */
import { BrowserWindow, nativeTheme, type WebContents } from 'electron';
import type { AppPage } from './app-page.js';

/** The window's background before the page paints: the page's own --bg (renderer/src/styles/theme.css), so it does not flash. */
export const BACKGROUND = { dark: '#0e0f12', light: '#f4f5f7' } as const;

export interface MainWindowOptions {
  page: AppPage;
  /** Absolute path of out/preload/index.cjs. */
  preloadPath: string;
}

/**
 * Makes the window. Its web preferences are Electron's secure set, written
 * here at the construction site so that reviewers and scanners see them
 * (electronegativity reads this call): the page runs sandboxed, without
 * Node, isolated from the preload, which is its only way to main;
 * middle-click (auxclick) cannot open anything.
 */
export function createMainWindow({ page, preloadPath }: MainWindowOptions): BrowserWindow {
  const dark = nativeTheme.shouldUseDarkColors;
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 800,
    minHeight: 600,
    title: 'Switchboard',
    // Shown on 'ready-to-show', so the user never sees an empty frame.
    show: false,
    backgroundColor: dark ? BACKGROUND.dark : BACKGROUND.light,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
      preload: preloadPath,
    },
  });
  win.once('ready-to-show', () => win.show());
  loadAppPage(win.webContents, page).catch((error: unknown) => {
    // 'ready-to-show' may never come now; show the window anyway, so that
    // the app can be seen and closed rather than run on invisibly.
    console.error(`window: could not load ${page.url}:`, error);
    if (!win.isDestroyed()) win.show();
  });
  return win;
}

export function loadAppPage(
  contents: Pick<WebContents, 'loadURL' | 'loadFile'>,
  page: AppPage,
): Promise<void> {
  return page.kind === 'dev' ? contents.loadURL(page.url) : contents.loadFile(page.path);
}

/** Brings the window to the front: restored if minimised, shown if hidden, focused. */
export function revealWindow(win: Pick<BrowserWindow, 'isMinimized' | 'restore' | 'show' | 'focus'>): void {
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
