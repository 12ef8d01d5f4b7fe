/**
 * The app menu: the platform's usual menus, a Server menu whose items and
 * shortcuts run the app actions and are enabled like the window's buttons,
 * and no developer tools in a packaged app.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppAction } from '../../electron/shared/ipc/ipc-contract.js';
import type { ServerStatus } from '../../electron/shared/ipc/models.js';
import { appMenuTemplate, setupAppMenu, type AppMenuOptions } from '../../electron/main/app-menu.js';
import { SHORTCUTS } from '../../electron/shared/ipc/shortcuts.js';
import { allMenuItems, clickMenuItem, menuItem, templateOf } from '../helpers/electron-stub.js';
import { FakeShellServer, STATUS } from '../helpers/shell-server.js';

const electron = await vi.hoisted(async () =>
  (await import('../helpers/electron-stub.js')).createElectronStub(),
);
vi.mock('electron', () => electron.module);

let run: ReturnType<typeof vi.fn<(action: AppAction) => void>>;
beforeEach(() => {
  vi.clearAllMocks();
  run = vi.fn<(action: AppAction) => void>();
});

function template(
  options: Partial<AppMenuOptions> = {},
  status: ServerStatus = STATUS.stopped,
): MenuItemConstructorOptions[] {
  return appMenuTemplate({ platform: 'linux', packaged: true, run, ...options }, status);
}

const roles = (items: MenuItemConstructorOptions[]): string[] =>
  allMenuItems(items).flatMap((item) => (item.role ? [item.role] : []));

describe('the menus each platform expects', () => {
  it('macOS: the app menu first, File closes the window, no separate Help', () => {
    const menu = template({ platform: 'darwin' });
    expect(menu[0]?.role).toBe('appMenu');
    expect(menuItem(menu, 'file').submenu).toEqual([{ role: 'close' }]);
    expect(roles(menu)).not.toContain('about');
    expect(roles(menu)).toEqual(expect.arrayContaining(['appMenu', 'editMenu', 'windowMenu']));
  });

  it.each(['linux', 'win32'] as const)('%s: File quits, Help has About, no app menu', (platform) => {
    const menu = template({ platform });
    expect(roles(menu)).not.toContain('appMenu');
    expect(menuItem(menu, 'file').submenu).toEqual([{ role: 'quit' }]);
    expect(menuItem(menu, 'help').submenu).toEqual([{ role: 'about' }]);
    expect(roles(menu)).toEqual(expect.arrayContaining(['editMenu', 'windowMenu']));
  });
});

describe('developer tools', () => {
  // viewMenu and the default menu carry them too, so neither may appear.
  const devRoles = ['toggleDevTools', 'reload', 'forceReload', 'viewMenu'];

  it.each(['darwin', 'linux', 'win32'] as const)('are not in the packaged app’s menu on %s', (platform) => {
    const found = roles(template({ platform, packaged: true })).filter((role) => devRoles.includes(role));
    expect(found).toEqual([]);
  });

  it('are in the View menu in development', () => {
    expect(roles(template({ packaged: false }))).toEqual(
      expect.arrayContaining(['toggleDevTools', 'reload', 'forceReload']),
    );
  });
});

describe('the Server menu', () => {
  it('has Start, Stop and Focus command input with their shortcuts', () => {
    const menu = template();
    expect(menuItem(menu, 'start')).toMatchObject({ label: 'Start', accelerator: 'CmdOrCtrl+Enter' });
    expect(menuItem(menu, 'stop')).toMatchObject({ label: 'Stop', accelerator: 'CmdOrCtrl+Shift+Enter' });
    expect(menuItem(menu, 'focus-command')).toMatchObject({
      label: 'Focus command input',
      accelerator: 'CmdOrCtrl+L',
    });
    expect(SHORTCUTS).toEqual({
      start: 'CmdOrCtrl+Enter',
      stop: 'CmdOrCtrl+Shift+Enter',
      'focus-command': 'CmdOrCtrl+L',
    });
  });

  it.each(['start', 'stop', 'focus-command'] as const)('%s runs its app action', (id) => {
    clickMenuItem(menuItem(template({}, STATUS.running), id));
    clickMenuItem(menuItem(template({}, STATUS.stopped), id));
    expect(run.mock.calls).toEqual([[id], [id]]);
  });

  it.each([
    ['stopped', STATUS.stopped, true, false],
    ['starting', STATUS.starting, false, true],
    ['running', STATUS.running, false, true],
    ['stopping', STATUS.stopping, false, false],
    ['failed', STATUS.failed, true, false],
  ] as const)('when %s, Start enabled: %s, Stop enabled: %s', (_name, status, start, stop) => {
    const menu = template({}, status);
    expect(menuItem(menu, 'start').enabled).toBe(start);
    expect(menuItem(menu, 'stop').enabled).toBe(stop);
    expect(menuItem(menu, 'focus-command').enabled).not.toBe(false);
  });

  it('shortcuts always take a modifier and clash with no editing shortcut or each other', () => {
    const accelerators = allMenuItems(template({ packaged: false })).flatMap((item) =>
      item.accelerator ? [item.accelerator] : [],
    );
    const editing = ['Z', 'Shift+Z', 'Y', 'X', 'C', 'V', 'A', 'Shift+V'].map((key) => `CmdOrCtrl+${key}`);
    expect(new Set(accelerators).size).toBe(accelerators.length);
    for (const accelerator of Object.values(SHORTCUTS)) {
      expect(accelerator).toMatch(/^CmdOrCtrl\+/);
      expect(editing).not.toContain(accelerator);
    }
  });
});

describe('setupAppMenu', () => {
  it('sets the menu for the current status, and again when Start or Stop flip', () => {
    const server = new FakeShellServer();
    setupAppMenu({ platform: 'linux', packaged: true, run }, server);
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalledTimes(1);
    const current = (): MenuItemConstructorOptions[] => templateOf(electron.menu.application);
    expect(menuItem(current(), 'start').enabled).toBe(true);

    server.setStatus(STATUS.starting);
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalledTimes(2);
    expect(menuItem(current(), 'start').enabled).toBe(false);
    expect(menuItem(current(), 'stop').enabled).toBe(true);

    // Starting → running changes neither item: the menu is left alone.
    server.setStatus(STATUS.running);
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalledTimes(2);

    server.setStatus(STATUS.stopped);
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalledTimes(3);
    expect(menuItem(current(), 'start').enabled).toBe(true);
  });

  it('stops following the status when asked', () => {
    const server = new FakeShellServer();
    const stop = setupAppMenu({ platform: 'linux', packaged: true, run }, server);
    stop();
    server.setStatus(STATUS.running);
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalledTimes(1);
  });
});
