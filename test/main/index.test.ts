/**
 * The main entry, run against a fake Electron: one instance, services before
 * IPC before the window, a window that comes back on a second launch or a
 * Dock click, a quit that waits for the server to stop; and around the
 * window, the app menu, the tray, the start-failure notification and the
 * recovery from a crashed page, none of which disturbs the server.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppServices, AppServicesOptions } from '../../electron/services/app-services.js';
import { INVOKE_CHANNELS, type EventSink, type Handlers } from '../../electron/shared/ipc/ipc-contract.js';
import {
  clickMenuItem,
  createElectronStub,
  FakeEvent,
  invokeEventFrom,
  menuItem,
  templateOf,
  type ElectronStub,
  type FakeBrowserWindow,
  type FakeTray,
} from '../helpers/electron-stub.js';
import { FakeShellServer, savedSettings, STATUS } from '../helpers/shell-server.js';

const CLIENT = { connected: false, target: null };

/** A promise the test settles: here, when the services' shutdown finishes. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

type FakeServices = Pick<AppServices, 'handlers'> & {
  server: FakeShellServer;
  settings: ReturnType<typeof savedSettings>;
  subscribe: ReturnType<typeof vi.fn<AppServices['subscribe']>>;
  shutdown: ReturnType<typeof vi.fn<AppServices['shutdown']>>;
  sinks: EventSink[];
  unsubscribes: Array<ReturnType<typeof vi.fn>>;
  stopped: ReturnType<typeof deferred>;
};

function fakeServices(): FakeServices {
  const server = new FakeShellServer();
  // Only client:disconnect and (a part of) app:snapshot answer; IPC never
  // looks inside an answer, so the other channels need none here.
  const notUsed = (): Promise<never> => Promise.reject(new Error('not used in these tests'));
  const handlers = {
    ...Object.fromEntries(INVOKE_CHANNELS.map((channel) => [channel, notUsed])),
    'client:disconnect': () => Promise.resolve(CLIENT),
    'app:snapshot': () => Promise.resolve({ status: server.status }),
  } as unknown as Handlers;
  const stopped = deferred();
  const sinks: EventSink[] = [];
  const unsubscribes: Array<ReturnType<typeof vi.fn>> = [];
  return {
    handlers,
    server,
    settings: savedSettings(4242),
    sinks,
    unsubscribes,
    stopped,
    subscribe: vi.fn<AppServices['subscribe']>((sink) => {
      sinks.push(sink);
      const unsubscribe = vi.fn();
      unsubscribes.push(unsubscribe);
      return unsubscribe;
    }),
    shutdown: vi.fn<AppServices['shutdown']>(() => stopped.promise),
  };
}

let electron: ElectronStub;
let services: FakeServices;
let createAppServices: ReturnType<typeof vi.fn<(options: AppServicesOptions) => Promise<FakeServices>>>;

/** Fresh modules against a fresh fake Electron, as at a new launch. */
function freshModules(): void {
  vi.resetModules();
  electron = createElectronStub();
  services = fakeServices();
  createAppServices = vi.fn(() => Promise.resolve(services));
  vi.doMock('electron', () => electron.module);
  vi.doMock('../../electron/services/app-services.js', () => ({ createAppServices }));
}

/** Runs electron/main/index.ts, as Electron does at launch. */
async function launch(options: { lock?: boolean; packaged?: boolean } = {}): Promise<void> {
  freshModules();
  electron.app.hasLock = options.lock ?? true;
  electron.app.isPackaged = options.packaged ?? false;
  await import('../../electron/main/index.js');
}

/** Launches, lets Electron be ready, and returns the window that opens. */
async function launchToWindow(options: { packaged?: boolean } = {}): Promise<FakeBrowserWindow> {
  await launch(options);
  electron.app.markReady();
  await vi.waitFor(() => expect(electron.windows).toHaveLength(1));
  const win = electron.windows[0];
  if (!win) throw new Error('no window');
  return win;
}

beforeEach(() => {
  vi.stubEnv('ELECTRON_RENDERER_URL', undefined);
  vi.stubEnv('SWITCHBOARD_USER_DATA', undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('single instance', () => {
  it('a second launch quits at once and sets up nothing', async () => {
    await launch({ lock: false });
    expect(electron.app.requestSingleInstanceLock).toHaveBeenCalledTimes(1);
    expect(electron.app.quit).toHaveBeenCalledTimes(1);
    expect(electron.app.whenReady).not.toHaveBeenCalled();
    expect(electron.app.eventNames()).toEqual([]);
    electron.app.markReady();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(createAppServices).not.toHaveBeenCalled();
    expect(electron.windows).toHaveLength(0);
  });

  it('the first instance brings its window forward when launched again', async () => {
    const win = await launchToWindow();
    win.minimized = true;
    electron.app.emit('second-instance', new FakeEvent(), [], '/', {});
    expect(win.restore).toHaveBeenCalledTimes(1);
    expect(win.show).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalledTimes(1);
    expect(electron.windows).toHaveLength(1);
  });
});

describe('launch', () => {
  it('creates the services in userData, then IPC and the locked-down session, then one window', async () => {
    await launch();
    const atWindow: Array<{ handlers: number; permissions: boolean }> = [];
    electron.app.on('web-contents-created', () =>
      atWindow.push({
        handlers: electron.ipcMain.handlers.size,
        permissions: electron.session.defaultSession.permissionRequestHandler !== null,
      }),
    );
    expect(createAppServices).not.toHaveBeenCalled(); // not before Electron is ready
    electron.app.markReady();
    await vi.waitFor(() => expect(electron.windows).toHaveLength(1));
    expect(createAppServices).toHaveBeenCalledExactlyOnceWith({ dataDir: '/fake/userData' });
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(atWindow).toEqual([{ handlers: INVOKE_CHANNELS.length, permissions: true }]);
  });

  it('loads the built page into a secure window, whose requests are trusted', async () => {
    const win = await launchToWindow();
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(win.options.webPreferences?.preload).toMatch(/preload[/\\]index\.cjs$/);
    expect(win.webContents.loadFile.mock.calls[0]?.[0]).toMatch(/renderer[/\\]index\.html$/);
    await expect(
      electron.ipcMain.invoke(invokeEventFrom(win.webContents), 'client:disconnect'),
    ).resolves.toEqual(CLIENT);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await expect(
      electron.ipcMain.invoke(invokeEventFrom(win.webContents, 'https://evil.example/'), 'client:disconnect'),
    ).rejects.toThrow('refused: untrusted sender');
  });

  it('subscribes the window to the services’ events', async () => {
    const win = await launchToWindow();
    expect(services.subscribe).toHaveBeenCalledTimes(1);
    services.sinks[0]?.('server:status', { state: 'stopped', host: '', port: 0, text: 'Stopped' });
    expect(win.webContents.send).toHaveBeenCalledWith(
      'server:status',
      expect.objectContaining({ text: 'Stopped' }),
    );
  });

  it('uses the folder in SWITCHBOARD_USER_DATA, set before the single-instance lock', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'switchboard-')), 'profile');
    try {
      vi.stubEnv('SWITCHBOARD_USER_DATA', dir);
      await launch();
      expect(electron.app.setPath).toHaveBeenCalledExactlyOnceWith('userData', dir);
      expect(statSync(dir).isDirectory()).toBe(true);
      const [setPathOrder] = electron.app.setPath.mock.invocationCallOrder;
      const [lockOrder] = electron.app.requestSingleInstanceLock.mock.invocationCallOrder;
      expect(setPathOrder).toBeLessThan(lockOrder ?? 0);
      electron.app.markReady();
      await vi.waitFor(() => expect(createAppServices).toHaveBeenCalledExactlyOnceWith({ dataDir: dir }));
    } finally {
      rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });

  it('says why and exits when the services cannot start', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    freshModules();
    createAppServices.mockRejectedValueOnce(new Error('EACCES: permission denied, mkdir /fake/userData'));
    await import('../../electron/main/index.js');
    electron.app.markReady();
    await vi.waitFor(() => expect(electron.app.exit).toHaveBeenCalledWith(1));
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith(
      'Switchboard could not start',
      expect.stringContaining('EACCES'),
    );
    expect(electron.windows).toHaveLength(0);
  });
});

describe('quitting', () => {
  it('waits for the services to shut down (server stopped, connections closed) before it quits', async () => {
    await launchToWindow();
    const first = new FakeEvent();
    electron.app.emit('before-quit', first);
    expect(first.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(services.shutdown).toHaveBeenCalledTimes(1));

    // Still stopping: another quit (a second Cmd+Q) is held too, and starts nothing new.
    const again = new FakeEvent();
    electron.app.emit('before-quit', again);
    expect(again.defaultPrevented).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(electron.app.quit).not.toHaveBeenCalled();
    expect(services.shutdown).toHaveBeenCalledTimes(1);

    services.stopped.resolve();
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalledTimes(1));

    // The quit it issues itself goes through.
    const final = new FakeEvent();
    electron.app.emit('before-quit', final);
    expect(final.defaultPrevented).toBe(false);
    expect(services.shutdown).toHaveBeenCalledTimes(1);
  });

  it('quits even when shutting down fails', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await launchToWindow();
    electron.app.emit('before-quit', new FakeEvent());
    services.stopped.reject(new Error('disk full'));
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalledTimes(1));
    expect(error).toHaveBeenCalledWith(expect.stringContaining('shutting down failed'), expect.any(Error));
  });

  it('quits at once when quit before the services exist', async () => {
    await launch();
    const event = new FakeEvent();
    electron.app.emit('before-quit', event);
    expect(event.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalledTimes(1));
    expect(services.shutdown).not.toHaveBeenCalled();
  });

  it('quits anyway when shutting down hangs', async () => {
    vi.useFakeTimers();
    try {
      const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      freshModules();
      const { setupGracefulQuit, SHUTDOWN_TIMEOUT_MS } = await import('../../electron/main/lifecycle.js');
      setupGracefulQuit(() => new Promise<void>(() => undefined));
      electron.app.emit('before-quit', new FakeEvent());
      await vi.advanceTimersByTimeAsync(SHUTDOWN_TIMEOUT_MS - 1);
      expect(electron.app.quit).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect(electron.app.quit).toHaveBeenCalledTimes(1);
      expect(error).toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('closing the window', () => {
  it.each([
    ['linux', 1],
    ['win32', 1],
    ['darwin', 0],
  ] as const)('on %s quits %i times', async (platform, quits) => {
    freshModules();
    const { setupWindowAllClosed } = await import('../../electron/main/lifecycle.js');
    setupWindowAllClosed(platform);
    electron.app.emit('window-all-closed');
    expect(electron.app.quit).toHaveBeenCalledTimes(quits);
  });

  it('stops its events; a Dock click (activate) opens a new window, subscribed afresh', async () => {
    const first = await launchToWindow();
    first.close();
    expect(services.unsubscribes[0]).toHaveBeenCalledTimes(1);
    electron.app.emit('activate', new FakeEvent(), false);
    expect(electron.windows).toHaveLength(2);
    expect(services.subscribe).toHaveBeenCalledTimes(2);
    // The old window's contents are no longer trusted; the new one's are.
    const second = electron.windows[1];
    if (!second) throw new Error('no second window');
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await expect(
      electron.ipcMain.invoke(invokeEventFrom(first.webContents), 'client:disconnect'),
    ).rejects.toThrow('refused');
    await expect(
      electron.ipcMain.invoke(invokeEventFrom(second.webContents), 'client:disconnect'),
    ).resolves.toEqual(CLIENT);
  });

  it('a Dock click with the window open only brings it forward', async () => {
    const win = await launchToWindow();
    electron.app.emit('activate', new FakeEvent(), true);
    expect(electron.windows).toHaveLength(1);
    expect(win.focus).toHaveBeenCalledTimes(1);
  });
});

describe('around the window', () => {
  const appMenu = (): ReturnType<typeof templateOf> => templateOf(electron.menu.application);
  const theTray = (): FakeTray => {
    const tray = electron.trays[0];
    if (!tray) throw new Error('no tray');
    return tray;
  };

  it('the app menu and the tray are there before the window opens', async () => {
    await launch();
    const atWindow: Array<{ menu: boolean; trays: number }> = [];
    electron.app.on('web-contents-created', () =>
      atWindow.push({ menu: electron.menu.application !== null, trays: electron.trays.length }),
    );
    electron.app.markReady();
    await vi.waitFor(() => expect(electron.windows).toHaveLength(1));
    expect(atWindow).toEqual([{ menu: true, trays: 1 }]);
    expect(electron.trays).toHaveLength(1);
    expect(theTray().toolTip).toBe('Switchboard: Stopped');
  });

  it('a packaged app’s menu has no developer tools; development keeps them', async () => {
    const devRoles = (): string[] =>
      JSON.stringify(appMenu()).match(/"(toggleDevTools|reload|forceReload)"/g) ?? [];
    await launchToWindow({ packaged: true });
    expect(devRoles()).toEqual([]);
    await launchToWindow({ packaged: false });
    expect(devRoles()).toContain('"toggleDevTools"');
  });

  it('the menu’s Start and Stop go to the open window, as app:action', async () => {
    const win = await launchToWindow();
    clickMenuItem(menuItem(appMenu(), 'start'));
    services.server.setStatus(STATUS.running);
    clickMenuItem(menuItem(appMenu(), 'stop'));
    clickMenuItem(menuItem(appMenu(), 'focus-command'));
    expect(win.webContents.send.mock.calls.filter(([channel]) => channel === 'app:action')).toEqual([
      ['app:action', 'start'],
      ['app:action', 'stop'],
      ['app:action', 'focus-command'],
    ]);
    expect(services.server.start).not.toHaveBeenCalled();
    expect(services.server.stop).not.toHaveBeenCalled();
  });

  it('with the window closed, the tray starts the server with the saved settings and shows it running', async () => {
    const win = await launchToWindow();
    win.close();
    clickMenuItem(menuItem(templateOf(theTray().contextMenu), 'start'));
    expect(services.server.start).toHaveBeenCalledExactlyOnceWith(savedSettings(4242).state.settings);
    expect(theTray().toolTip).toBe('Switchboard: Running on 127.0.0.1:4242');
    expect(menuItem(appMenu(), 'start').enabled).toBe(false);
    clickMenuItem(menuItem(appMenu(), 'stop'));
    expect(services.server.stop).toHaveBeenCalledTimes(1);
    expect(theTray().toolTip).toBe('Switchboard: Stopped');
  });

  it('the tray’s Show window reopens the window; its Quit quits the app', async () => {
    const win = await launchToWindow();
    win.close();
    clickMenuItem(menuItem(templateOf(theTray().contextMenu), 'show'));
    expect(electron.windows).toHaveLength(2);
    clickMenuItem(menuItem(templateOf(theTray().contextMenu), 'quit'));
    expect(electron.app.quit).toHaveBeenCalledTimes(1);
  });

  it('a start that fails is announced while the window is hidden, not while it is in sight', async () => {
    const win = await launchToWindow();
    win.emit('ready-to-show');
    services.server.setStatus(STATUS.failed);
    expect(electron.notifications).toEqual([]); // the window shows it
    win.hide();
    services.server.setStatus(STATUS.failed);
    expect(electron.notifications.map((n) => n.options)).toEqual([
      { title: 'Switchboard could not start', body: 'port 31310 on 127.0.0.1 is already in use' },
    ]);
  });

  it('a tray start that fails with the window closed is announced', async () => {
    const win = await launchToWindow();
    win.close();
    services.server.failWith = 'port 4242 on 127.0.0.1 is already in use';
    clickMenuItem(menuItem(templateOf(theTray().contextMenu), 'start'));
    expect(electron.notifications.map((n) => n.options)).toEqual([
      { title: 'Switchboard could not start', body: 'port 4242 on 127.0.0.1 is already in use' },
    ]);
    expect(theTray().toolTip).toBe('Switchboard: Stopped');
  });
});

describe('a crashed page', () => {
  it('is reloaded and resynchronises, while the server and its events carry on', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const win = await launchToWindow();
    services.server.setStatus(STATUS.running);
    win.webContents.send.mockClear();

    win.webContents.crash('crashed', 11);
    await vi.waitFor(() => expect(win.webContents.reload).toHaveBeenCalledTimes(1));

    // The server was not touched, and the window is still the one subscribed.
    expect(services.server.start).not.toHaveBeenCalled();
    expect(services.server.stop).not.toHaveBeenCalled();
    expect(services.shutdown).not.toHaveBeenCalled();
    expect(services.unsubscribes[0]).not.toHaveBeenCalled();
    expect(electron.windows).toHaveLength(1);
    services.server.setStatus({ ...STATUS.running, text: 'Running on 127.0.0.1:31310 (after the crash)' });
    services.sinks[0]?.('server:status', services.server.status);
    expect(win.webContents.send).toHaveBeenCalledWith('server:status', services.server.status);

    // The reloaded page asks for everything again, and is trusted to.
    await expect(electron.ipcMain.invoke(invokeEventFrom(win.webContents), 'app:snapshot')).resolves.toEqual({
      status: services.server.status,
    });
  });

  it('is left alone when the window closes (its process exits cleanly)', async () => {
    const win = await launchToWindow();
    win.webContents.crash('clean-exit', 0);
    win.close();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(win.webContents.reload).not.toHaveBeenCalled();
  });
});
