/**
 * The tray icon: running or stopped at a glance (icon and tooltip), a menu
 * with the status line, Start and Stop enabled per state, Show window and
 * Quit, all following the server's 'status' event; template images on
 * macOS; and icon files that exist.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  STATUS_LINE_MAX,
  setupTray,
  trayMenuTemplate,
  trayToolTip,
  type TrayOptions,
} from '../../electron/main/tray.js';
import { TRAY_ICONS, type TrayIconSet } from '../../electron/main/tray-icons.js';
import type { AppAction } from '../../electron/shared/ipc/ipc-contract.js';
import type { ServerStatus } from '../../electron/shared/ipc/models.js';
import { readPngSize } from '../../scripts/icon-formats.js';
import {
  clickMenuItem,
  FakeNativeImage,
  menuItem,
  templateOf,
  type FakeTray,
} from '../helpers/electron-stub.js';
import { ROOT } from '../helpers/process.js';
import { FakeShellServer, STATUS } from '../helpers/shell-server.js';

const electron = await vi.hoisted(async () =>
  (await import('../helpers/electron-stub.js')).createElectronStub(),
);
vi.mock('electron', () => electron.module);

/** Icon paths that name their variant, so a test can tell which one is shown. */
const ICONS: TrayIconSet = {
  template: {
    running: { x1: '/icons/runningTemplate.png', x2: '/icons/runningTemplate@2x.png' },
    stopped: { x1: '/icons/stoppedTemplate.png', x2: '/icons/stoppedTemplate@2x.png' },
  },
  colour: {
    running: { x1: '/icons/running.png', x2: '/icons/running@2x.png' },
    stopped: { x1: '/icons/stopped.png', x2: '/icons/stopped@2x.png' },
  },
};

let server: FakeShellServer;
let run: ReturnType<typeof vi.fn<(action: AppAction) => void>>;
let showWindow: ReturnType<typeof vi.fn<() => void>>;
let quit: ReturnType<typeof vi.fn<() => void>>;

beforeEach(() => {
  vi.clearAllMocks();
  electron.trays.length = 0;
  electron.images.length = 0;
  server = new FakeShellServer();
  run = vi.fn<(action: AppAction) => void>();
  showWindow = vi.fn<() => void>();
  quit = vi.fn<() => void>();
});

function options(platform: NodeJS.Platform = 'linux'): TrayOptions {
  return { icons: ICONS, platform, server, run, showWindow, quit };
}

function openTray(platform: NodeJS.Platform = 'linux'): FakeTray {
  setupTray(options(platform));
  const tray = electron.trays[0];
  if (!tray) throw new Error('no tray');
  return tray;
}

function shownIcon(tray: FakeTray): FakeNativeImage {
  if (!(tray.image instanceof FakeNativeImage)) throw new Error('the tray shows no nativeImage');
  return tray.image;
}

const menuOf = (tray: FakeTray): MenuItemConstructorOptions[] => templateOf(tray.contextMenu);

describe('the tooltip', () => {
  it.each([
    [STATUS.stopped, 'Switchboard: Stopped'],
    [STATUS.running, 'Switchboard: Running on 127.0.0.1:31310'],
    [
      { ...STATUS.running, host: '::1', port: 4000, text: 'Running on [::1]:4000' },
      'Switchboard: Running on [::1]:4000',
    ],
    [STATUS.starting, 'Switchboard: Starting on 127.0.0.1:31310…'],
    // A failed start leaves nothing running.
    [STATUS.failed, 'Switchboard: Stopped'],
  ])('for %o reads %s', (status: ServerStatus, tip) => {
    expect(trayToolTip(status)).toBe(tip);
  });
});

describe('the menu', () => {
  it('starts with the status, disabled, then Start, Stop, Show window and Quit', () => {
    const menu = trayMenuTemplate(STATUS.running, options());
    expect(menu[0]).toEqual({ id: 'status', label: 'Running on 127.0.0.1:31310', enabled: false });
    expect(menu.flatMap((item) => (item.label ? [item.label] : []))).toEqual([
      'Running on 127.0.0.1:31310',
      'Start',
      'Stop',
      'Show window',
      'Quit',
    ]);
  });

  it.each([
    [STATUS.stopped, true, false],
    [STATUS.running, false, true],
    [STATUS.stopping, false, false],
    [STATUS.failed, true, false],
  ])('for %o enables Start: %s, Stop: %s', (status: ServerStatus, start, stop) => {
    const menu = trayMenuTemplate(status, options());
    expect(menuItem(menu, 'start').enabled).toBe(start);
    expect(menuItem(menu, 'stop').enabled).toBe(stop);
  });

  it('says why a start failed, on one line of bounded length', () => {
    const long = { ...STATUS.failed, text: `cannot listen: ${'x'.repeat(200)}` };
    const label = menuItem(trayMenuTemplate(long, options()), 'status').label ?? '';
    expect(label).toMatch(/^Could not start: cannot listen: x+…$/);
    expect(label).toHaveLength(STATUS_LINE_MAX);
    expect(menuItem(trayMenuTemplate(STATUS.failed, options()), 'status').label).toBe(
      'Could not start: port 31310 on 127.0.0.1 is already in use',
    );
  });

  it('warns when the server is reachable from other machines', () => {
    const exposed = {
      ...STATUS.running,
      host: '0.0.0.0',
      warning: 'listening on 0.0.0.0: other machines can connect',
    };
    expect(menuItem(trayMenuTemplate(exposed, options()), 'warning')).toMatchObject({
      label: '⚠ listening on 0.0.0.0: other machines can connect',
      enabled: false,
    });
    expect(() => menuItem(trayMenuTemplate(STATUS.running, options()), 'warning')).toThrow();
  });

  it.each([
    ['start', () => expect(run.mock.calls).toEqual([['start']])],
    ['stop', () => expect(run.mock.calls).toEqual([['stop']])],
    ['show', () => expect(showWindow).toHaveBeenCalledTimes(1)],
    ['quit', () => expect(quit).toHaveBeenCalledTimes(1)],
  ])('%s does what it says', (id, check) => {
    clickMenuItem(menuItem(trayMenuTemplate(STATUS.stopped, options()), id));
    check();
  });
});

describe('the tray icon', () => {
  it('shows the current status from the start', () => {
    server.setStatus(STATUS.running);
    const tray = openTray();
    expect(shownIcon(tray).path).toBe(ICONS.colour.running.x1);
    expect(tray.toolTip).toBe('Switchboard: Running on 127.0.0.1:31310');
    expect(menuItem(menuOf(tray), 'stop').enabled).toBe(true);
  });

  it('follows the server’s status event: icon, tooltip and menu', () => {
    const tray = openTray();
    expect(shownIcon(tray).path).toBe(ICONS.colour.stopped.x1);
    expect(tray.toolTip).toBe('Switchboard: Stopped');

    server.setStatus(STATUS.running);
    expect(shownIcon(tray).path).toBe(ICONS.colour.running.x1);
    expect(tray.toolTip).toBe('Switchboard: Running on 127.0.0.1:31310');
    expect(menuItem(menuOf(tray), 'start').enabled).toBe(false);
    expect(menuItem(menuOf(tray), 'stop').enabled).toBe(true);

    server.setStatus(STATUS.stopped);
    expect(shownIcon(tray).path).toBe(ICONS.colour.stopped.x1);
    expect(tray.toolTip).toBe('Switchboard: Stopped');
    expect(menuItem(menuOf(tray), 'start').enabled).toBe(true);
    // Linux applies a changed menu only when it is set again.
    expect(tray.setContextMenu).toHaveBeenCalledTimes(3);
  });

  it('on macOS uses template images, with their 2x pixels', () => {
    const tray = openTray('darwin');
    const icon = shownIcon(tray);
    expect(icon.path).toBe(ICONS.template.stopped.x1);
    expect(icon.template).toBe(true);
    expect(icon.representations).toEqual([
      { scaleFactor: 2, buffer: Buffer.from(`png:${ICONS.template.stopped.x2}`) },
    ]);
    server.setStatus(STATUS.running);
    expect(shownIcon(tray)).toMatchObject({ path: ICONS.template.running.x1, template: true });
  });

  it('on Windows and Linux uses colour images, with their 2x pixels', () => {
    const icon = shownIcon(openTray('win32'));
    expect(icon.template).toBe(false);
    expect(icon.representations).toEqual([
      { scaleFactor: 2, buffer: Buffer.from(`png:${ICONS.colour.stopped.x2}`) },
    ]);
  });

  it('opens the window on a click on Windows and Linux; on macOS a click opens the menu', () => {
    openTray('win32').emit('click');
    expect(showWindow).toHaveBeenCalledTimes(1);
    electron.trays.length = 0;
    openTray('darwin').emit('click');
    expect(showWindow).toHaveBeenCalledTimes(1);
  });

  it('still works when an icon file cannot be read, and says so', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    electron.control.unreadableImages = true;
    try {
      const tray = openTray();
      expect(tray.toolTip).toBe('Switchboard: Stopped');
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(ICONS.colour.stopped.x1));
      expect(shownIcon(tray).representations).toEqual([]);
    } finally {
      electron.control.unreadableImages = false;
      warn.mockRestore();
    }
  });
});

describe('the icon files', () => {
  /**
   * Under Vitest a `?asset` import is the file's root-relative URL; in the
   * build, electron-vite makes it the copied file's absolute path.
   */
  function sourceFile(asset: string): string {
    const match = /^\/(.+)\?asset$/.exec(asset);
    if (!match?.[1]) throw new Error(`not a ?asset import: ${asset}`);
    return path.join(ROOT, match[1]);
  }

  const variants = [
    ...Object.entries(TRAY_ICONS.template).map(([state, files]) => [`${state} template`, files] as const),
    ...Object.entries(TRAY_ICONS.colour).map(([state, files]) => [`${state} colour`, files] as const),
  ];

  it.each(variants)('%s: 16px and 32px PNGs in assets/tray, imported as assets', (_name, files) => {
    for (const [file, size] of [
      [sourceFile(files.x1), 16],
      [sourceFile(files.x2), 32],
    ] as const) {
      expect(path.dirname(file)).toBe(path.join(ROOT, 'assets', 'tray'));
      expect(existsSync(file)).toBe(true);
      expect(readPngSize(readFileSync(file))).toEqual({ width: size, height: size });
    }
  });

  it('are eight different files', () => {
    const files = variants.flatMap(([, f]) => [f.x1, f.x2]);
    expect(new Set(files).size).toBe(8);
  });
});
