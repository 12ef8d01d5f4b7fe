/**
 * The window's page crashing: it is reloaded (one task later, never from
 * inside Electron's event), at most MAX_RELOADS times a minute, after which
 * the user is asked; a clean exit or a closed window is left alone; a page
 * that stops responding is logged.
 */
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import {
  MAX_RELOADS,
  RELOAD_WINDOW_MS,
  setupRendererRecovery,
} from '../../electron/main/renderer-recovery.js';
import { FakeBrowserWindow } from '../helpers/electron-stub.js';

const electron = await vi.hoisted(async () =>
  (await import('../helpers/electron-stub.js')).createElectronStub(),
);
vi.mock('electron', () => electron.module);

let win: FakeBrowserWindow;
let error: MockInstance<typeof console.error>;
let warn: MockInstance<typeof console.warn>;

beforeEach(() => {
  vi.useFakeTimers();
  vi.clearAllMocks();
  error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  win = new FakeBrowserWindow();
  setupRendererRecovery(win);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Crashes the page and lets the deferred reload run. */
async function crash(
  reason: Parameters<FakeBrowserWindow['webContents']['crash']>[0] = 'crashed',
): Promise<void> {
  win.webContents.crash(reason);
  await vi.advanceTimersByTimeAsync(0);
}

describe('a crashed page', () => {
  it('is reloaded, one task after the event, and the reason is logged', async () => {
    win.webContents.crash('oom', 137);
    expect(win.webContents.reload).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(0);
    expect(win.webContents.reload).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/process is gone \(oom, exit code 137\)/));
  });

  it.each([
    'crashed',
    'killed',
    'abnormal-exit',
    'launch-failed',
    'integrity-failure',
    'memory-eviction',
  ] as const)('is reloaded when %s', async (reason) => {
    await crash(reason);
    expect(win.webContents.reload).toHaveBeenCalledTimes(1);
  });

  it('is left alone when its process ended on purpose (the window closing, the app quitting)', async () => {
    await crash('clean-exit');
    expect(win.webContents.reload).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });

  it('is not reloaded once the window is gone, even if it closed after the crash', async () => {
    win.webContents.crash();
    win.close();
    await vi.advanceTimersByTimeAsync(0);
    expect(win.webContents.reload).not.toHaveBeenCalled();
  });
});

describe('a crash loop', () => {
  it(`stops reloading after ${MAX_RELOADS} reloads in a minute and asks the user`, async () => {
    let answer!: (value: { response: number; checkboxChecked: boolean }) => void;
    electron.dialog.showMessageBox.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    for (let i = 0; i < MAX_RELOADS; i++) {
      await crash();
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(win.webContents.reload).toHaveBeenCalledTimes(MAX_RELOADS);
    await crash();
    expect(win.webContents.reload).toHaveBeenCalledTimes(MAX_RELOADS);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('not reloading'));
    expect(electron.dialog.showMessageBox).toHaveBeenCalledTimes(1);
    expect(electron.dialog.showMessageBox.mock.calls[0]?.[0]).toMatchObject({
      message: 'The Switchboard window keeps crashing',
      buttons: ['Reload', 'Close Window'],
    });
    // Reload: a fresh start, with a full count of reloads.
    answer({ response: 0, checkboxChecked: false });
    await vi.advanceTimersByTimeAsync(0);
    expect(win.webContents.reload).toHaveBeenCalledTimes(MAX_RELOADS + 1);
    await crash();
    expect(win.webContents.reload).toHaveBeenCalledTimes(MAX_RELOADS + 2);
  });

  it('closes the window when the user says so', async () => {
    electron.dialog.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false });
    for (let i = 0; i <= MAX_RELOADS; i++) await crash();
    await vi.waitFor(() => expect(win.close).toHaveBeenCalledTimes(1));
    expect(win.webContents.reload).toHaveBeenCalledTimes(MAX_RELOADS);
  });

  it('reloads again once the earlier crashes are more than a minute old', async () => {
    for (let i = 0; i < MAX_RELOADS; i++) await crash();
    await vi.advanceTimersByTimeAsync(RELOAD_WINDOW_MS);
    await crash();
    expect(win.webContents.reload).toHaveBeenCalledTimes(MAX_RELOADS + 1);
    expect(electron.dialog.showMessageBox).not.toHaveBeenCalled();
  });
});

it('a page that stops responding, and recovers, is logged', () => {
  win.emit('unresponsive');
  expect(warn).toHaveBeenCalledWith(expect.stringContaining('not responding'));
  win.emit('responsive');
  expect(warn).toHaveBeenCalledWith(expect.stringContaining('responding again'));
  expect(win.webContents.reload).not.toHaveBeenCalled();
});
