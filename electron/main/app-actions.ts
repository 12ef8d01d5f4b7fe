/**
 * What Start, Stop and "Focus command input" do when they come from the app
 * menu, a keyboard shortcut or the tray rather than from the window.
 *
 * While the window is open it does the work, as if its own control had been
 * used: it starts with the settings the user sees in it (edits not yet saved
 * included) and shows the outcome where the user expects it. Without a
 * window (closed on macOS, where the app keeps running), Start and Stop go
 * straight to the server, with the saved settings.
 */
import type { AppAction } from '../shared/ipc/ipc-contract.js';
import type { ServerStatus, StartOutcome, StopOutcome } from '../shared/ipc/models.js';
import type { ServerSettings } from '../shared/protocol/settings.js';
import { windowSink, type SinkWindow } from './ipc.js';

/** The server as the menu, the tray and the notification see it (ServerController has it). */
export interface ShellServer {
  readonly status: ServerStatus;
  on(event: 'status', listener: (status: ServerStatus) => void): () => void;
  start(settings: ServerSettings): Promise<StartOutcome>;
  stop(): Promise<StopOutcome>;
}

export interface AppActionsOptions {
  server: Pick<ShellServer, 'start' | 'stop'>;
  /** The saved settings (SettingsStore has them), used when there is no window to ask. */
  settings: { readonly state: { readonly settings: ServerSettings } };
  /** The open window, or undefined while there is none. */
  window: () => SinkWindow | undefined;
  /** Brings the window forward, opening it when there is none. */
  showWindow: () => void;
}

export type RunAppAction = (action: AppAction) => void;

export function createAppActions(options: AppActionsOptions): RunAppAction {
  const { server, settings } = options;
  const direct = (action: 'start' | 'stop'): void => {
    // A failed start is data (status 'failed'), which the tray and the
    // notification show; only a bug would reject, and that is logged.
    const work = action === 'start' ? server.start(settings.state.settings) : server.stop();
    work.catch((error: unknown) => console.error(`app action ${action} failed:`, error));
  };
  return (action) => {
    const win = options.window();
    if (action === 'focus-command') {
      // Typing needs the window in front. A window opened just now has no
      // page listening yet, so it is only opened; one already open is asked.
      options.showWindow();
      if (win) tell(win, action);
      return;
    }
    // A window whose page is gone (crashed, reloading) cannot take it: the
    // server still does what the user asked.
    if (!win || !tell(win, action)) direct(action);
  };
}

/** Sends the action to the window; false when it could not be delivered. */
function tell(win: SinkWindow, action: AppAction): boolean {
  try {
    windowSink(win)('app:action', action);
    return true;
  } catch (error) {
    // Electron throws from send() while the page's frame is disposed.
    console.warn(`app action ${action}: the window could not take it:`, error);
    return false;
  }
}

/**
 * Which of Start and Stop make sense now, as the window's buttons have it:
 * Start while nothing runs (a failed start may be retried), Stop while the
 * server runs or is starting; neither while it is stopping.
 */
export function availableActions(status: ServerStatus): { start: boolean; stop: boolean } {
  return {
    start: status.state === 'stopped' || status.state === 'failed',
    stop: status.state === 'running' || status.state === 'starting',
  };
}
