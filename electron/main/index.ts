/**
 * Switchboard's main process, from launch to quit. Each step lives in a
 * module of its own; this file only says in which order they happen.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, session } from 'electron';
import { createAppActions } from './app-actions.js';
import { setupAppUserModelId } from './app-id.js';
import { setupAppMenu } from './app-menu.js';
import { bundlePaths, resolveAppPage, type AppPage } from './app-page.js';
import { createAppServices, type AppServices } from '../services/app-services.js';
import { connectWindowEvents, setupIpc } from './ipc.js';
import { setupActivate, setupGracefulQuit, setupWindowAllClosed } from './lifecycle.js';
import { setupRendererRecovery } from './renderer-recovery.js';
import { hardenSession, setupContentsSecurity } from './security.js';
import { createSenderCheck } from './sender-trust.js';
import { setupSingleInstance } from './single-instance.js';
import { setupStartFailureNotice } from './start-failure-notice.js';
import { setupTray } from './tray.js';
import { TRAY_ICONS } from './tray-icons.js';
import { setupUserDataDir } from './user-data.js';
import { createMainWindow } from './window.js';
import { WindowSlot } from './window-slot.js';

// Once built, this file is out/main/index.js; the preload and the page are
// found from here, which also holds inside a packaged app.asar.
const bundle = bundlePaths(path.dirname(fileURLToPath(import.meta.url)));
const mainWindow = new WindowSlot();
let services: Promise<AppServices> | undefined;

setupUserDataDir();
setupAppUserModelId();
if (setupSingleInstance(() => mainWindow.show())) {
  const page = resolveAppPage({
    rendererHtml: bundle.rendererHtml,
    devServerUrl: process.env.ELECTRON_RENDERER_URL,
    packaged: app.isPackaged,
  });
  setupContentsSecurity(page);
  setupGracefulQuit(async () => {
    await (await services)?.shutdown();
  });
  setupWindowAllClosed();
  setupActivate(() => mainWindow.show());
  app
    .whenReady()
    .then(() => start(page))
    .catch(fail);
}

/** Once Electron is ready: services, then IPC, the menu, the tray and the notice, then the window. */
async function start(page: AppPage): Promise<void> {
  hardenSession(session.defaultSession, page);
  services = createAppServices({ dataDir: app.getPath('userData') });
  const ready = await services;
  setupIpc(
    ready,
    createSenderCheck(page, () => mainWindow.current?.webContents),
  );
  const showWindow = (): void => mainWindow.show();
  const run = createAppActions({
    server: ready.server,
    settings: ready.settings,
    window: () => mainWindow.current,
    showWindow,
  });
  setupAppMenu({ platform: process.platform, packaged: app.isPackaged, run }, ready.server);
  setupTray({
    icons: TRAY_ICONS,
    platform: process.platform,
    server: ready.server,
    run,
    showWindow,
    quit: () => app.quit(),
  });
  setupStartFailureNotice({ server: ready.server, window: () => mainWindow.current, showWindow });
  mainWindow.setOpener(() => {
    const win = createMainWindow({ page, preloadPath: bundle.preload });
    connectWindowEvents(win, ready);
    setupRendererRecovery(win);
    return win;
  });
  mainWindow.show();
}

/** Without its services the app can do nothing: it says why, then leaves. */
function fail(error: unknown): void {
  console.error('Switchboard could not start:', error);
  dialog.showErrorBox('Switchboard could not start', error instanceof Error ? error.message : String(error));
  app.exit(1);
}
