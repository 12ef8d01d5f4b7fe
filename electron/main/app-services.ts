/**
 * Everything main does, minus Electron: the server, the test client, the
 * settings and the log streaming, behind the handler table the IPC contract
 * asks for. The desktop app and browser mode both build one of these, so
 * the window talks to the very same code in either.
 */
import path from 'node:path';
import type { EventSink, Handlers } from '../shared/ipc-contract.js';
import type { ClientEvent, LogEntry, Snapshot } from '../shared/models.js';
import { describeIssues, serverSettingsSchema } from '../shared/settings.js';
import { Batcher } from './batcher.js';
import { ClientController } from './client-controller.js';
import { EventHub } from './event-hub.js';
import { LogFile } from './log-file.js';
import { RingBuffer } from './ring-buffer.js';
import { ServerController } from './server-controller.js';
import { SettingsStore } from './settings-store.js';

export interface AppServices {
  handlers: Handlers;
  /** Adds a window's event sink; returns the function that removes it. */
  subscribe(sink: EventSink): () => void;
  /** Stops the server (closing every connection), closes the test client, delivers what waits. */
  shutdown(): Promise<void>;
  /** The parts, for the command line and tests. */
  readonly server: ServerController;
  readonly client: ClientController;
}

export interface AppServicesOptions {
  /** Where settings (and logs) live: Electron's userData, or browser mode's data folder. */
  dataDir: string;
}

/** Rows a window gets when it (re)loads, and the most one batch carries. */
export const RECENT_ROWS = 2000;
/** At most 1000 / 50 = 20 messages a second per event channel. */
export const BATCH_INTERVAL_MS = 50;
/** The durable log, in the data folder's logs/. */
export const LOG_FILE_NAME = 'switchboard.jsonl';

export async function createAppServices(options: AppServicesOptions): Promise<AppServices> {
  const settings = await SettingsStore.open(options.dataDir);
  const server = new ServerController();
  const client = new ClientController();
  const hub = new EventHub();
  const recent = new RingBuffer<LogEntry>(RECENT_ROWS);
  const logFile = new LogFile({ file: path.join(options.dataDir, 'logs', LOG_FILE_NAME) });

  const logBatches = new Batcher<LogEntry>(BATCH_INTERVAL_MS, (entries) => {
    const skipped = Math.max(0, entries.length - RECENT_ROWS);
    hub.publish('log:batch', {
      entries: skipped > 0 ? entries.slice(skipped) : entries,
      stats: server.stats,
      ...(skipped > 0 ? { skipped } : {}),
    });
  });
  server.on('entry', (entry) => {
    recent.push(entry);
    logBatches.push(entry);
    logFile.append(entry);
  });
  server.on('status', (status) => {
    // Rows that led up to a status change reach the window before it.
    logBatches.flush();
    hub.publish('server:status', status);
  });
  // When Stop is done, so is the log of everything up to it.
  server.server.on('stopped', () => void logFile.flush());

  const clientBatches = new Batcher<ClientEvent>(BATCH_INTERVAL_MS, (events) =>
    hub.publish('client:batch', { events, state: client.state }),
  );
  client.on('event', (event) => clientBatches.push(event));
  client.on('state', () => clientBatches.flush());

  const handlers: Handlers = {
    'app:snapshot': () => {
      logBatches.flush();
      clientBatches.flush();
      const snapshot: Snapshot = {
        status: server.status,
        stats: server.stats,
        recent: recent.toArray(),
        settings: settings.state,
        client: client.state,
        transcript: client.transcript,
      };
      return Promise.resolve(snapshot);
    },
    'server:start': async (req) => {
      const parsed = serverSettingsSchema.safeParse(req);
      if (!parsed.success) {
        return {
          ok: false,
          status: server.status,
          error: `invalid settings: ${describeIssues(parsed.error)}`,
        };
      }
      // The settings are remembered even when the start fails: the user
      // meant them, and a busy port is no reason to forget a port number.
      await settings.save(parsed.data).catch(() => undefined);
      return server.start(parsed.data);
    },
    'server:stop': () => server.stop(),
    'settings:save': async (req) => {
      const parsed = serverSettingsSchema.safeParse(req);
      if (!parsed.success) return { ok: false, error: `invalid settings: ${describeIssues(parsed.error)}` };
      try {
        await settings.save(parsed.data);
        return { ok: true, settings: settings.state };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
    'client:send': (req) => client.send(req),
    'client:disconnect': () => client.disconnect(),
  };

  return {
    handlers,
    server,
    client,
    subscribe: (sink) => hub.subscribe(sink),
    async shutdown() {
      await Promise.all([server.stop(), client.disconnect()]);
      logBatches.flush();
      clientBatches.flush();
      await logFile.close();
    },
  };
}
