/**
 * Everything main does, minus Electron: the server, the command table, the
 * test client, the settings, the durable log and the streaming to windows,
 * behind the handler table the IPC contract asks for. The desktop app and
 * browser mode both build one of these, so the window talks to the very
 * same code in either.
 */
import path from 'node:path';
import type { EventSink, Handlers, LogRetentionState } from '../shared/ipc/ipc-contract.js';
import type { ClientEvent, Snapshot } from '../shared/ipc/models.js';
import { describeIssues, serverSettingsSchema } from '../shared/protocol/settings.js';
import { commandsDelta } from '../shared/ipc/commands-update.js';
import { Batcher, Pacer } from './batcher.js';
import { ClientController } from './client-controller.js';
import { CommandsService } from './commands-service.js';
import { EventHub } from './event-hub.js';
import { archiveLastRun, CURRENT_LOG, readPreviousRun } from './log-archive.js';
import { readRunPage } from './log-reader.js';
import { DEFAULT_LOG_KEEP, DEFAULT_LOG_MAX_BYTES, holdWhileBehind, LogFile } from './log-file.js';
import { LogRing } from './ring-buffer.js';
import { ServerController } from './server-controller.js';
import { logRetentionSchema, SettingsStore } from './settings-store.js';
import { ListenerTools } from './listener-tools.js';
import { forwardIssue } from '../shared/protocol/settings.js';
import { WindowListeners } from './window-listeners.js';

export interface AppServices {
  handlers: Handlers;
  /** Adds a window's event sink; returns the function that removes it. */
  subscribe(sink: EventSink): () => void;
  /** Stops the server (closing every connection), closes the test client, writes the log out. */
  shutdown(): Promise<void>;
  /** The parts, for the command line, the tray and tests. */
  readonly server: ServerController;
  readonly client: ClientController;
  readonly settings: SettingsStore;
  readonly commands: CommandsService;
  readonly logFile: LogFile;
  /** Faults, Record, the control API switch, sending to and closing connections. */
  readonly tools: ListenerTools;
  /**
   * What went wrong with the data folder at start (unreadable, read-only, a
   * folder or a pipe where a file should be); the app went on with defaults.
   * Also in every snapshot.
   */
  readonly startProblems: readonly string[];
  /** The window's extra listeners (docs/window.md, "Listeners"). */
  readonly listeners: WindowListeners;
}

export interface AppServicesOptions {
  /** Where settings, tables, history and logs live: Electron's userData, or browser mode's data folder. */
  dataDir: string;
  /** The durable log's retention; default {@link LOG_FILE_BYTES} and {@link LOG_FILES_KEPT}. */
  logMaxBytes?: number;
  logKeep?: number;
  /** Problems the caller met before (taking the data folder's lock), shown with the others. */
  startProblems?: string[];
}

/** The most rows one batch carries. */
export const RECENT_ROWS = 2000;
/**
 * Rows a window gets when it (re)loads: as many as it holds (MAX_LOG_ROWS in
 * the window), so a reload shows what the window showed before.
 */
export const RELOAD_ROWS = 50_000;
/** At most 1000 / 50 = 20 batched messages a second to a window, all channels together. */
export const BATCH_INTERVAL_MS = 50;
/** Counters, the chart and the inbox: at most 4 updates a second. */
export const SLOW_INTERVAL_MS = 250;
/**
 * The durable log keeps the current file and 5 rotated ones of 25 MiB each:
 * at about 120 bytes a row, some 1.3 million rows, a full minute of the
 * heaviest flood the window is built for (20,000 events a second).
 */
export const LOG_FILE_BYTES = DEFAULT_LOG_MAX_BYTES;
export const LOG_FILES_KEPT = DEFAULT_LOG_KEEP;

export async function createAppServices(options: AppServicesOptions): Promise<AppServices> {
  const logsDir = path.join(options.dataDir, 'logs');
  const startProblems = [...(options.startProblems ?? []), ...(await archiveLastRun(logsDir))];
  const settings = await SettingsStore.open(options.dataDir);
  const server = new ServerController();
  const commands = await CommandsService.open(options.dataDir, server.server);
  for (const problem of [settings.state.problem, commands.state.problem])
    if (problem) startProblems.push(problem);
  // The window's extra listeners: none may take the window's own listener's port.
  const listeners = await WindowListeners.open(options.dataDir, () =>
    server.status.state === 'running' ? server.status : settings.state.settings,
  );
  if (listeners.problem) startProblems.push(listeners.problem);
  const client = await ClientController.open(path.join(options.dataDir, 'client-history.json'));
  const logFile = new LogFile({
    file: path.join(logsDir, CURRENT_LOG),
    // The command line's choice, else the one in settings.json, else the defaults.
    maxBytes: options.logMaxBytes ?? settings.logRetention?.maxBytes ?? LOG_FILE_BYTES,
    keep: options.logKeep ?? settings.logRetention?.keep ?? LOG_FILES_KEPT,
  });
  const hub = new EventHub();
  // Columns, not objects: rows become LogRecords only when a window is sent them.
  const recent = new LogRing(RELOAD_ROWS);
  /** The newest row sent to the windows in a batch. */
  let sentSeq = 0;
  /** The newest seq the user cleared the log up to: a reloaded window does not bring those rows back. */
  let clearedSeq = 0;
  let lastSeq = 0;

  // Every batched channel shares one budget: at most 1000 / 50 = 20 messages
  // a second reach a window in all, however many channels are busy.
  const windowPace = new Pacer(BATCH_INTERVAL_MS);
  const logBatches = new Batcher<true>(
    BATCH_INTERVAL_MS,
    () => {
      // The newest rows since the last batch, read from the ring: older ones are only counted.
      const { entries, skipped } = recent.after(sentSeq, RECENT_ROWS);
      sentSeq = recent.lastSeq;
      if (entries.length === 0 && skipped === 0) return;
      hub.publish('log:batch', { entries, stats: server.stats, ...(skipped > 0 ? { skipped } : {}) });
    },
    windowPace,
  );
  // The counters travel only in log:batch (every change to them comes with a
  // row, so they stay in step with the log); this slower channel brings the
  // chart's series and the log file's health.
  const statsUpdates = new Batcher<true>(
    SLOW_INTERVAL_MS,
    () =>
      hub.publish('stats:update', {
        stats: server.stats,
        series: server.series,
        ...(logFile.problem ? { logProblem: logFile.problem } : {}),
        logRetention: logFile.retention,
      }),
    windowPace,
  );
  // A log that cannot be written is news at once, not at the next counter update.
  const logNews = (): void => {
    statsUpdates.push(true);
    statsUpdates.flush();
  };
  logFile.on('problem', logNews);
  logFile.on('recovered', logNews);
  // Windows get what changed: the inbox, and the table or presets only when they did.
  let commandsSent = commands.state;
  const publishCommands = (): void => {
    const next = commands.state;
    hub.publish('commands:state', commandsDelta(commandsSent, next));
    commandsSent = next;
  };
  const inboxUpdates = new Batcher<true>(SLOW_INTERVAL_MS, publishCommands, windowPace);

  // Every row, in order, to the durable log and the window's ring; a log that falls behind holds the clients.
  server.addSink(logFile);
  server.addSink(recent);
  // The batchers only need to know that rows wait (the ring holds them): one mark per batch, not one per row.
  const rowsWait = (seq: number): void => {
    lastSeq = seq;
    if (logBatches.pending === 0) logBatches.push(true);
    if (statsUpdates.pending === 0) statsUpdates.push(true);
  };
  server.addSink({
    append: (entry) => rowsWait(entry.seq),
    appendRows: ({ firstSeq, batch }) => rowsWait(firstSeq + batch.length - 1),
  });
  holdWhileBehind(logFile, server.server);
  server.on('status', (status) => {
    // Rows that led up to a status change reach the window before it.
    logBatches.flush();
    hub.publish('server:status', status);
  });
  server.on('unknown', (e) => {
    commands.noteUnknown(e.line, e.at);
    inboxUpdates.push(true);
  });
  commands.on('changed', publishCommands);
  // When Stop is done, so is the log of everything up to it.
  server.server.on('stopped', () => void logFile.flush());

  const clientBatches = new Batcher<ClientEvent>(
    BATCH_INTERVAL_MS,
    (events) => hub.publish('client:batch', { events, state: client.state }),
    windowPace,
  );
  client.on('event', (event) => clientBatches.push(event));
  client.on('state', () => clientBatches.flush());

  // The tools' state changes with every connection (which toxics act where): at most 4 a second.
  const tools = new ListenerTools(server, { applyTable: (table) => void commands.apply(table) });
  const toolsProblem = await tools.open(options.dataDir);
  if (toolsProblem) startProblems.push(toolsProblem);
  const toolsUpdates = new Batcher<true>(
    SLOW_INTERVAL_MS,
    () => hub.publish('tools:state', tools.state),
    windowPace,
  );
  tools.on('changed', () => toolsUpdates.push(true));
  tools.on('recording', (recording) => {
    // The Stop that made it is logged first.
    logBatches.flush();
    hub.publish('recording:ready', recording);
  });
  // A forwarding listener's Stop, like the mock server's, flushes the log of everything up to it.
  server.on('status', (status) => {
    if (status.state === 'stopped' && server.kind === 'forward') void logFile.flush();
  });

  // The extra listeners' rows join the window's log (ring, batches, log file) through this ONE call.
  listeners.on('entry', (entry) => server.logListenerEntry(entry));
  const listenersUpdates = new Batcher<true>(
    SLOW_INTERVAL_MS,
    () => hub.publish('listeners:state', listeners.state),
    windowPace,
  );
  listeners.on('changed', () => listenersUpdates.push(true));
  const listenersNow = <T>(outcome: T): T => {
    listenersUpdates.flush();
    return outcome;
  };
  // Export and Import carry the window's own listener as `default` (docs/listeners.md, "In the window").
  listeners.own = {
    settings: () => settings.state.settings,
    table: () => commands.state.table,
    running: () => server.status.state !== 'stopped',
    apply: async (next, table) => {
      try {
        await settings.save(next);
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
      if (table === undefined) return undefined;
      const applied = await commands.apply(table);
      publishCommands();
      return applied.ok ? undefined : applied.error;
    },
  };

  const defaultRetention = { maxBytes: LOG_FILE_BYTES, keep: LOG_FILES_KEPT };
  // The LogFile's limits are fixed when it opens: a new choice is saved for the next start.
  const retentionState = (): LogRetentionState => {
    const { maxBytes, keep } = logFile.retention;
    return {
      chosen: settings.logRetention ?? defaultRetention,
      defaults: defaultRetention,
      inUse: { maxBytes, keep },
    };
  };

  const handlers: Handlers = {
    'app:snapshot': () => {
      logBatches.flush();
      clientBatches.flush();
      const snapshot: Snapshot = {
        status: server.status,
        stats: server.stats,
        series: server.series,
        recent: recent.after(clearedSeq).entries,
        settings: settings.state,
        client: client.state,
        clientHistory: client.history,
        transcript: client.transcript,
        commands: commands.state,
        logFile: logFile.file,
        ...(logFile.problem ? { logProblem: logFile.problem } : {}),
        logRetention: logFile.retention,
        ...(startProblems.length > 0 ? { startProblems } : {}),
        ...(clearedSeq > 0 ? { logClearedSeq: clearedSeq } : {}),
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
      const forward = forwardIssue(parsed.data);
      if (forward)
        return { ok: false, status: server.status, error: `invalid settings: forward: ${forward}` };
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
    'client:connect': (req) => client.connect(req),
    'client:clear': () => Promise.resolve(client.clear()),
    'commands:apply': (req) => commands.apply(req),
    'commands:savePreset': (req) => commands.savePreset(req.name, req.table),
    'commands:deletePreset': (req) => commands.deletePreset(req.name),
    'commands:clearInbox': () => Promise.resolve(commands.clearInbox()),
    'commands:try': (req) => Promise.resolve(commands.try(req)),
    'log:previous': () => readPreviousRun(logsDir),
    'log:clear': () => {
      // Rows still on their way belong to what the user saw and cleared.
      logBatches.flush();
      clearedSeq = lastSeq;
      return Promise.resolve({ seq: clearedSeq });
    },
    'stats:reset': () => {
      server.resetStats();
      listeners.resetStats();
      const update = { stats: server.stats, series: server.series };
      hub.publish('stats:update', update);
      return Promise.resolve(update);
    },
    'log:retention': () => Promise.resolve(retentionState()),
    'log:saveRetention': async (req) => {
      const parsed = logRetentionSchema.safeParse(req);
      if (!parsed.success)
        return { ok: false, error: `invalid log retention: ${describeIssues(parsed.error)}` };
      try {
        await settings.saveLogRetention(parsed.data);
        return { ok: true, state: retentionState() };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
    'log:runPage': async (req) => {
      // What was logged so far is in the files before the first page is read.
      if (req.untilSeq === undefined) await logFile.flush();
      return readRunPage(logsDir, CURRENT_LOG, {
        afterSeq: req.afterSeq,
        untilSeq: req.untilSeq ?? lastSeq,
        ...(req.resume ? { resume: req.resume } : {}),
      });
    },
    'tools:state': () => Promise.resolve(tools.state),
    'faults:set': async (req) => {
      const outcome = await tools.setFaults(req.toxics);
      toolsUpdates.flush();
      return outcome;
    },
    'record:set': (req) => {
      const state = tools.setRecord(req.on);
      toolsUpdates.flush();
      return Promise.resolve(state);
    },
    'api:set': async (req) => {
      const outcome = await tools.setApi(req.on, req.host, req.port);
      toolsUpdates.flush();
      return outcome;
    },
    'connection:send': (req) => Promise.resolve(tools.send(req)),
    'connection:close': (req) => Promise.resolve(tools.close(req.conn)),
    'listeners:state': () => Promise.resolve(listeners.state),
    'listeners:add': async (req) => listenersNow(await listeners.add(req)),
    'listeners:remove': async (req) => listenersNow(await listeners.remove(req.name)),
    'listeners:start': async (req) => listenersNow(await listeners.start(req.name)),
    'listeners:stop': async (req) => listenersNow(await listeners.stop(req.name)),
    'listeners:startAll': async () => listenersNow(await listeners.start()),
    'listeners:stopAll': async () => listenersNow(await listeners.stop()),
    'listeners:export': () => Promise.resolve(listeners.exportWorkspace()),
    'listeners:import': async (req) => listenersNow(await listeners.importWorkspace(req.text)),
  };

  return {
    handlers,
    server,
    client,
    settings,
    commands,
    logFile,
    tools,
    startProblems,
    listeners,
    subscribe: (sink) => hub.subscribe(sink),
    async shutdown() {
      await Promise.all([server.stop(), client.disconnect(), tools.shutdown(), listeners.shutdown()]);
      logBatches.flush();
      toolsUpdates.flush();
      listenersUpdates.flush();
      clientBatches.flush();
      statsUpdates.flush();
      await logFile.close();
    },
  };
}
