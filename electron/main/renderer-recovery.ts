/**
 * Brings the window back when its page's process dies.
 *
 * The server, the log and the test client live in main, so a crashed page
 * loses nothing: the window is reloaded, and the reloaded page asks main for
 * everything again (app:snapshot), as at any launch. Its event subscription
 * belongs to the window, not to the page, so it carries on meanwhile.
 *
 * A page that crashes again at once would otherwise reload in a loop, so
 * after a few reloads within a minute the user is asked instead.
 */
import { dialog, type RenderProcessGoneDetails } from 'electron';

/** At most this many automatic reloads within RELOAD_WINDOW_MS. */
export const MAX_RELOADS = 3;
export const RELOAD_WINDOW_MS = 60_000;

/** What recovery uses of a BrowserWindow. */
export interface RecoverableWindow {
  isDestroyed(): boolean;
  close(): void;
  on(event: 'unresponsive' | 'responsive', listener: () => void): unknown;
  readonly webContents: {
    on(
      event: 'render-process-gone',
      listener: (event: unknown, details: Pick<RenderProcessGoneDetails, 'reason' | 'exitCode'>) => void,
    ): unknown;
    reload(): void;
    isDestroyed(): boolean;
  };
}

export interface RecoveryOptions {
  maxReloads?: number;
  windowMs?: number;
  now?: () => number;
}

export function setupRendererRecovery(win: RecoverableWindow, options: RecoveryOptions = {}): void {
  const { maxReloads = MAX_RELOADS, windowMs = RELOAD_WINDOW_MS, now = Date.now } = options;
  const gone = (): boolean => win.isDestroyed() || win.webContents.isDestroyed();
  /** When each recent automatic reload happened. */
  let reloads: number[] = [];
  let asking = false;

  const reload = (): void => {
    // Not from inside the event: a navigation started while Chromium is
    // still handling the process's death can bring down the whole app
    // (electron/electron#51900). One task later it is an ordinary reload.
    setTimeout(() => {
      if (!gone()) win.webContents.reload();
    }, 0);
  };

  win.webContents.on('render-process-gone', (_event, { reason, exitCode }) => {
    // 'clean-exit' is the page's process ending on purpose: the window is
    // closing or the app quitting. Nothing to bring back.
    if (reason === 'clean-exit' || gone()) return;
    console.error(
      `window: the page's process is gone (${reason}, exit code ${exitCode}); the server keeps running`,
    );
    const at = now();
    reloads = reloads.filter((t) => at - t < windowMs);
    if (reloads.length >= maxReloads) {
      console.error(
        `window: not reloading: the page's process died ${reloads.length + 1} times within a minute`,
      );
      if (!asking) {
        asking = true;
        void askToReload(reloads.length + 1).then((again) => {
          asking = false;
          if (gone()) return;
          if (!again) {
            win.close();
            return;
          }
          reloads = [];
          reload();
        });
      }
      return;
    }
    reloads.push(at);
    reload();
  });

  // A busy page (a huge paste, a runaway script) says so in the log; the
  // server is unaffected, and Chromium offers its own wait-or-kill choice.
  win.on('unresponsive', () => console.warn('window: the page is not responding; the server keeps running'));
  win.on('responsive', () => console.warn('window: the page is responding again'));
}

/** True for Reload, false for Close Window. */
async function askToReload(crashes: number): Promise<boolean> {
  const { response } = await dialog.showMessageBox({
    type: 'error',
    title: 'Switchboard',
    message: 'The Switchboard window keeps crashing',
    detail:
      `Its page stopped ${crashes} times within a minute, so it was not reloaded again. ` +
      'The server is still running.',
    buttons: ['Reload', 'Close Window'],
    defaultId: 0,
    cancelId: 1,
  });
  return response === 0;
}
