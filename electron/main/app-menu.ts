/**
 * The application menu: the menus each platform expects (the app menu on
 * macOS; File, Edit, View, Window, Help) and a Server menu whose Start, Stop
 * and "Focus command input" act like the window's own controls, with the
 * keyboard shortcuts of electron/shared/shortcuts.ts.
 *
 * The shortcuts are menu accelerators, so they work while Switchboard is
 * the active app and never take keys away from other apps (no global
 * shortcuts).
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { ServerStatus } from '../shared/ipc/models.js';
import { SHORTCUTS } from '../shared/ipc/shortcuts.js';
import { availableActions, type RunAppAction, type ShellServer } from './app-actions.js';

export interface AppMenuOptions {
  platform: NodeJS.Platform;
  /**
   * app.isPackaged. Reload and the developer tools are for development:
   * in a packaged app they would let anyone at the keyboard inspect and
   * drive the page (and through it the server) outside its controls.
   */
  packaged: boolean;
  /** Runs Start, Stop or Focus command input (createAppActions). */
  run: RunAppAction;
}

/** The menu for one server status: Start and Stop are enabled as the window's buttons are. */
export function appMenuTemplate(options: AppMenuOptions, status: ServerStatus): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const can = availableActions(status);
  const { run } = options;
  const server: MenuItemConstructorOptions = {
    id: 'server',
    label: 'Server',
    submenu: [
      {
        id: 'start',
        label: 'Start',
        accelerator: SHORTCUTS.start,
        enabled: can.start,
        click: () => run('start'),
      },
      { id: 'stop', label: 'Stop', accelerator: SHORTCUTS.stop, enabled: can.stop, click: () => run('stop') },
      { type: 'separator' },
      {
        id: 'focus-command',
        label: 'Focus command input',
        accelerator: SHORTCUTS['focus-command'],
        click: () => run('focus-command'),
      },
    ],
  };
  const development: MenuItemConstructorOptions[] = options.packaged
    ? []
    : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }];
  const view: MenuItemConstructorOptions = {
    id: 'view',
    label: 'View',
    submenu: [
      ...development,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  // macOS: About, Services, Hide, Quit… under the app's name.
  const appMenu: MenuItemConstructorOptions[] = mac ? [{ role: 'appMenu' }] : [];
  // On macOS, About is in the app menu and Help would hold only its search field.
  const help: MenuItemConstructorOptions[] = mac
    ? []
    : [{ id: 'help', label: 'Help', submenu: [{ role: 'about' }] }];
  return [
    ...appMenu,
    { id: 'file', label: 'File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    view,
    server,
    { role: 'windowMenu' },
    ...help,
  ];
}

/**
 * Sets the menu, and sets it again whenever the server's status changes
 * which of Start and Stop are enabled. Returns the function that stops
 * following the status.
 */
export function setupAppMenu(
  options: AppMenuOptions,
  server: Pick<ShellServer, 'status' | 'on'>,
): () => void {
  let shown = '';
  const show = (status: ServerStatus): void => {
    const key = JSON.stringify(availableActions(status));
    if (key === shown) return;
    shown = key;
    Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(options, status)));
  };
  show(server.status);
  return server.on('status', show);
}
