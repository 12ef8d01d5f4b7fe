/**
 * Start, Stop and Focus command input from the menu or the tray: the open
 * window does them as if its own control was used; without a window (or
 * with a page that cannot take them) Start and Stop go to the server with
 * the saved settings.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { availableActions, createAppActions, type RunAppAction } from '../../electron/main/app-actions.js';
import { FakeBrowserWindow } from '../helpers/electron-stub.js';
import { FakeShellServer, savedSettings, STATUS } from '../helpers/shell-server.js';

// ipc.ts, whose window sink the actions use, imports electron.
const electron = await vi.hoisted(async () =>
  (await import('../helpers/electron-stub.js')).createElectronStub(),
);
vi.mock('electron', () => electron.module);

let server: FakeShellServer;
let win: FakeBrowserWindow | undefined;
let showWindow: ReturnType<typeof vi.fn<() => void>>;
let run: RunAppAction;

beforeEach(() => {
  server = new FakeShellServer();
  win = new FakeBrowserWindow();
  showWindow = vi.fn<() => void>();
  run = createAppActions({ server, settings: savedSettings(4242), window: () => win, showWindow });
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('with the window open', () => {
  it.each(['start', 'stop'] as const)('%s is sent to the window, and the server is left to it', (action) => {
    run(action);
    expect(win?.webContents.send.mock.calls).toEqual([['app:action', action]]);
    expect(server.start).not.toHaveBeenCalled();
    expect(server.stop).not.toHaveBeenCalled();
    expect(showWindow).not.toHaveBeenCalled();
  });

  it('focus-command brings the window forward, then asks it to focus the input', () => {
    run('focus-command');
    expect(showWindow).toHaveBeenCalledTimes(1);
    expect(win?.webContents.send.mock.calls).toEqual([['app:action', 'focus-command']]);
    const [shown] = showWindow.mock.invocationCallOrder;
    const [sent] = win?.webContents.send.mock.invocationCallOrder ?? [];
    expect(shown).toBeLessThan(sent ?? 0);
  });

  it('whose page cannot take the action (its frame is gone), Start still reaches the server', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    win?.webContents.send.mockImplementation(() => {
      throw new Error('Render frame was disposed before WebFrameMain could be accessed');
    });
    expect(() => run('start')).not.toThrow();
    await vi.waitFor(() => expect(server.start).toHaveBeenCalledTimes(1));
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('could not take it'), expect.any(Error));
  });
});

describe('without a window', () => {
  beforeEach(() => {
    win = undefined;
  });

  it('Start starts the server with the saved settings', () => {
    run('start');
    expect(server.start).toHaveBeenCalledExactlyOnceWith(savedSettings(4242).state.settings);
    expect(server.status).toMatchObject({ state: 'running', port: 4242 });
  });

  it('Stop stops the server', () => {
    server.setStatus(STATUS.running);
    run('stop');
    expect(server.stop).toHaveBeenCalledTimes(1);
    expect(server.status).toEqual(STATUS.stopped);
  });

  it('focus-command opens the window and sends nothing (no page listens yet)', () => {
    run('focus-command');
    expect(showWindow).toHaveBeenCalledTimes(1);
    expect(server.start).not.toHaveBeenCalled();
  });

  it('a start that throws is logged, never thrown into the menu', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    server.start.mockRejectedValueOnce(new Error('bug'));
    expect(() => run('start')).not.toThrow();
    await vi.waitFor(() =>
      expect(error).toHaveBeenCalledWith(expect.stringContaining('start failed'), expect.any(Error)),
    );
  });
});

describe('which actions make sense', () => {
  it.each([
    [STATUS.stopped, { start: true, stop: false }],
    [STATUS.starting, { start: false, stop: true }],
    [STATUS.running, { start: false, stop: true }],
    [STATUS.stopping, { start: false, stop: false }],
    [STATUS.failed, { start: true, stop: false }],
  ])('when %o: %o', (status, expected) => {
    expect(availableActions(status)).toEqual(expected);
  });
});
