/**
 * When the app quits, and what happens first.
 *
 * Quitting stops the server before the process ends, so every client sees
 * its connection closed by the server, and the logs are written out, rather
 * than everything being cut when the process dies.
 */
import { app } from 'electron';

/** How long quitting waits for the services before it quits anyway. */
export const SHUTDOWN_TIMEOUT_MS = 5000;

/**
 * Holds the first quit until `shutdown` has finished (or timed out), then
 * quits for real. Later quit requests while it runs are absorbed; the quit
 * it issues itself passes.
 */
export function setupGracefulQuit(shutdown: () => Promise<void>, timeoutMs = SHUTDOWN_TIMEOUT_MS): void {
  let state: 'running' | 'stopping' | 'stopped' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'stopped') return;
    event.preventDefault();
    if (state === 'stopping') return;
    state = 'stopping';
    void withTimeout(Promise.resolve().then(shutdown), timeoutMs)
      .catch((error: unknown) => console.error('quit: shutting down failed:', error))
      .finally(() => {
        state = 'stopped';
        app.quit();
      });
  });
}

/**
 * Closing the window quits, except on macOS, where an app stays in the Dock
 * (and its server keeps running) until the user quits it; a Dock click
 * brings the window back (see setupActivate).
 */
export function setupWindowAllClosed(platform: NodeJS.Platform = process.platform): void {
  app.on('window-all-closed', () => {
    if (platform !== 'darwin') app.quit();
  });
}

/** macOS: a Dock click (or relaunch) shows the window, reopening it if it was closed. */
export function setupActivate(showWindow: () => void): void {
  app.on('activate', () => showWindow());
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
