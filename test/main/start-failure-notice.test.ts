/**
 * "Switchboard could not start": a notification when a start fails while the
 * user cannot see the window (hidden, minimised, or closed), none when the
 * window shows the error itself.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setupStartFailureNotice, START_FAILED_TITLE } from '../../electron/main/start-failure-notice.js';
import { FakeBrowserWindow } from '../helpers/electron-stub.js';
import { FakeShellServer, STATUS } from '../helpers/shell-server.js';

const electron = await vi.hoisted(async () =>
  (await import('../helpers/electron-stub.js')).createElectronStub(),
);
vi.mock('electron', () => electron.module);

let server: FakeShellServer;
let win: FakeBrowserWindow | undefined;
let showWindow: ReturnType<typeof vi.fn<() => void>>;

beforeEach(() => {
  electron.notifications.length = 0;
  electron.control.notificationsSupported = true;
  server = new FakeShellServer();
  win = new FakeBrowserWindow();
  win.visible = true;
  showWindow = vi.fn<() => void>();
  setupStartFailureNotice({ server, window: () => win, showWindow });
});

describe('a failed start', () => {
  it.each([
    ['hidden', (w: FakeBrowserWindow) => w.hide()],
    ['minimised', (w: FakeBrowserWindow) => w.minimize()],
  ])('while the window is %s is announced with its reason', (_name, conceal) => {
    if (win) conceal(win);
    server.setStatus(STATUS.failed);
    expect(electron.notifications).toHaveLength(1);
    const [notice] = electron.notifications;
    expect(notice?.options).toEqual({
      title: 'Switchboard could not start',
      body: 'port 31310 on 127.0.0.1 is already in use',
    });
    expect(notice?.shown).toBe(true);
    expect(START_FAILED_TITLE).toBe('Switchboard could not start');
  });

  it('with no window open (macOS, after closing it) is announced', () => {
    win = undefined;
    server.setStatus(STATUS.failed);
    expect(electron.notifications).toHaveLength(1);
  });

  it('while the window is in sight is left to the window', () => {
    server.setStatus(STATUS.failed);
    expect(electron.notifications).toEqual([]);
  });

  it('brings the window forward when its notification is clicked', () => {
    win?.hide();
    server.setStatus(STATUS.failed);
    electron.notifications[0]?.emit('click');
    expect(showWindow).toHaveBeenCalledTimes(1);
  });

  it('that cannot be posted (unsigned macOS build) is logged, brings the window forward and is dropped', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    win?.hide();
    server.setStatus(STATUS.failed);
    const [notice] = electron.notifications;
    notice?.emit('failed', {}, 'Notifications are not allowed for this application');
    expect(showWindow).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledExactlyOnceWith(
      expect.stringMatching(/already in use.*Notifications are not allowed/),
    );
    warn.mockRestore();
  });

  it('goes to the log where the desktop has no notifications', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    electron.control.notificationsSupported = false;
    win?.hide();
    server.setStatus(STATUS.failed);
    expect(electron.notifications).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('already in use'));
    warn.mockRestore();
  });
});

it('nothing else is announced, however hidden the window', () => {
  win?.hide();
  for (const status of [STATUS.starting, STATUS.running, STATUS.stopping, STATUS.stopped])
    server.setStatus(status);
  expect(electron.notifications).toEqual([]);
});
