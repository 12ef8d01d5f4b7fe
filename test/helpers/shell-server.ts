/**
 * A stand-in for ServerController as the desktop shell sees it (the
 * ShellServer of electron/main/app-actions.ts): a status, the 'status'
 * event, and start/stop spies that move the status as the real one does.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';
import type { ShellServer } from '../../electron/main/app-actions.js';
import type { ServerStatus } from '../../electron/shared/ipc/models.js';
import { DEFAULT_SETTINGS, type ServerSettings } from '../../electron/shared/protocol/settings.js';

/** Statuses as ServerController writes them. */
export const STATUS = {
  stopped: { state: 'stopped', host: '', port: 0, text: 'Stopped' },
  starting: { state: 'starting', host: '127.0.0.1', port: 31310, text: 'Starting on 127.0.0.1:31310…' },
  running: { state: 'running', host: '127.0.0.1', port: 31310, text: 'Running on 127.0.0.1:31310' },
  stopping: { state: 'stopping', host: '127.0.0.1', port: 31310, text: 'Stopping…' },
  failed: {
    state: 'failed',
    host: '127.0.0.1',
    port: 31310,
    text: 'port 31310 on 127.0.0.1 is already in use',
  },
} as const satisfies Record<string, ServerStatus>;

export class FakeShellServer implements ShellServer {
  status: ServerStatus = STATUS.stopped;
  readonly #events = new EventEmitter();

  /** Starts as asked, or fails when `failWith` is set. */
  failWith: string | undefined;

  readonly start = vi.fn<ShellServer['start']>((settings) => {
    if (this.failWith !== undefined) {
      this.setStatus({ state: 'failed', host: settings.host, port: settings.port, text: this.failWith });
      return Promise.resolve({ ok: false, status: this.status, error: this.failWith });
    }
    const text = `Running on ${settings.host}:${settings.port}`;
    this.setStatus({ state: 'running', host: settings.host, port: settings.port, text });
    return Promise.resolve({ ok: true, status: this.status });
  });

  readonly stop = vi.fn<ShellServer['stop']>(() => {
    this.setStatus(STATUS.stopped);
    return Promise.resolve({ closed: 0, durationMs: 0, status: this.status });
  });

  on(event: 'status', listener: (status: ServerStatus) => void): () => void {
    this.#events.on(event, listener);
    return () => this.#events.off(event, listener);
  }

  /** Moves to `status` and tells the listeners, as ServerController does. */
  setStatus(status: ServerStatus): void {
    this.status = status;
    this.#events.emit('status', status);
  }

  listenerCount(): number {
    return this.#events.listenerCount('status');
  }
}

/** The saved settings (SettingsStore's state), with a port of their own to tell them apart. */
export function savedSettings(port = 4242): { state: { settings: ServerSettings } } {
  return { state: { settings: { ...DEFAULT_SETTINGS, port } } };
}
