/**
 * Tells the user when the server could not start while they cannot see the
 * window: a desktop notification "Switchboard could not start" with the
 * reason. Starts from the tray or the app menu are the usual case; a
 * visible window shows the error itself and gets no notification. Where
 * the notification cannot be posted, the window is shown instead.
 */
import { Notification } from 'electron';
import type { ServerStatus } from '../shared/ipc/models.js';
import type { ShellServer } from './app-actions.js';

export const START_FAILED_TITLE = 'Switchboard could not start';

/** What is asked of the window: whether the user can see it. */
export interface NoticeWindow {
  isVisible(): boolean;
  isMinimized(): boolean;
}

export interface StartFailureNoticeOptions {
  server: Pick<ShellServer, 'on'>;
  /** The open window, or undefined while there is none. */
  window: () => NoticeWindow | undefined;
  /** Brings the window forward (opening it if needed): a click on the notification does this. */
  showWindow: () => void;
}

/** Returns the function that stops watching. */
export function setupStartFailureNotice(options: StartFailureNoticeOptions): () => void {
  // Referenced until dismissed: a collected Notification loses its click handler.
  const live = new Set<Notification>();
  return options.server.on('status', (status: ServerStatus) => {
    if (status.state !== 'failed' || windowInSight(options.window())) return;
    if (!Notification.isSupported()) {
      console.warn(`${START_FAILED_TITLE}: ${status.text}`);
      return;
    }
    const notice = new Notification({ title: START_FAILED_TITLE, body: status.text });
    live.add(notice);
    notice.on('click', () => {
      live.delete(notice);
      options.showWindow();
    });
    notice.on('close', () => live.delete(notice));
    // An unsigned macOS build may not post notifications (Electron 42+ uses
    // UNNotification, which needs a signed app); nor may a desktop that has
    // them turned off. Then the reason goes to the log and the window, which
    // shows the error itself, comes forward instead.
    notice.on('failed', (_event: unknown, error: string) => {
      live.delete(notice);
      console.warn(`${START_FAILED_TITLE}: ${status.text} (the notification failed: ${error})`);
      options.showWindow();
    });
    notice.show();
  });
}

function windowInSight(win: NoticeWindow | undefined): boolean {
  return win !== undefined && win.isVisible() && !win.isMinimized();
}
