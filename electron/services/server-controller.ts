/**
 * The server as the app sees it: wraps the core, owns the status the window
 * shows, and turns core events into log entries and counters.
 *
 * The Electron app, browser mode and the command line each make one of these.
 */
import {
  LINE_ROW,
  LineServer,
  type ExchangeBatch,
  type ServerEvents,
  type StopReport,
} from '../core/server.js';
import { formatAddress } from '../shared/protocol/address.js';
import { TypedEmitter } from '../core/typed-emitter.js';
import {
  EMPTY_STATS,
  type LogRecord,
  type ServerStats,
  type ServerStatus,
  type StatsSeries,
  type StartOutcome,
  type StopOutcome,
} from '../shared/ipc/models.js';
import { isLoopbackHost, type ServerSettings } from '../shared/protocol/settings.js';
import { LogEntryMaker, type EntryDraft } from './log-entries.js';
import { ForwardMode } from './forward-mode.js';
import type { ListenerKind } from '../shared/protocol/settings.js';
import type { Toxic } from '../shared/protocol/toxics.js';
import { StatsSeriesTracker } from './stats-series.js';

/**
 * A batch of the core's lines and replies, numbered: row `i` of `batch` is
 * log row `firstSeq + i`. Read it while the call runs (the core reuses it).
 */
export interface NumberedRows {
  firstSeq: number;
  /** The connection's `address:port`. */
  remote: string;
  batch: ExchangeBatch;
}

/**
 * Takes every log row, in order, without an object per line or reply: the
 * durable log and the window's ring are sinks.
 */
export interface RowSink {
  /** A row that is no line or reply (open, close, error…). */
  append(entry: LogRecord): void;
  /** A batch of lines and replies. */
  appendRows(rows: NumberedRows): void;
}

export interface ServerControllerEvents {
  status: ServerStatus;
  /** Every log row as a LogRecord: made only while someone listens (sinks get rows cheaper). */
  entry: LogRecord;
  unknown: ServerEvents['unknown'];
}

const STOPPED: ServerStatus = { state: 'stopped', host: '', port: 0, text: 'Stopped' };

/** The warning shown whenever the server is reachable from other machines. */
export function exposureWarning(host: string, port?: number): string | undefined {
  if (isLoopbackHost(host)) return undefined;
  // `[::]:31310`, or `[::]` without a port: never the misreading `:::`.
  const where = port === undefined ? (host.includes(':') ? `[${host}]` : host) : formatAddress(host, port);
  return `listening on ${where}: other machines on your network can connect`;
}

export class ServerController extends TypedEmitter<ServerControllerEvents> {
  readonly server: LineServer;
  #status: ServerStatus = STOPPED;
  #stats: Omit<ServerStats, 'bytesIn' | 'bytesOut'> = { ...EMPTY_STATS };
  /** The core's byte totals when the counters were last reset: the bytes shown count from there. */
  #trafficAtReset = { bytesIn: 0, bytesOut: 0 };
  #seq = 0;
  readonly #maker = new LogEntryMaker();
  readonly #series = new StatsSeriesTracker();
  /** The listener in forward mode (docs/forwarding.md); the settings' `kind` picks it at Start. */
  readonly forward = new ForwardMode();
  /** What the last Start started: the mock server or the forwarder. */
  #kind: ListenerKind = 'mock';
  #sinks: RowSink[] = [];

  constructor(server = new LineServer()) {
    super();
    this.server = server;
    this.forward.on('draft', (d) => {
      if (d.kind === 'open') {
        this.#stats.active++;
        this.#stats.total++;
        this.#series.connection(d.at);
      } else if (d.kind === 'line') {
        this.#stats.commands++;
        this.#series.command(d.at);
      } else if (d.kind === 'close') {
        this.#stats.active--;
        // An upstream that cannot be reached, or a relay that failed, counts as an error, as a mock's do.
        if (d.reason === 'error') this.#stats.errors++;
      } else if (d.kind === 'error') this.#stats.errors++;
      this.#push(d);
    });
    const m = this.#maker;
    server.on('listening', (e) => this.#push(m.listening(e)));
    server.on('open', (e) => {
      this.#stats.active++;
      this.#stats.total++;
      this.#series.connection(e.at);
      this.#push(m.open(e));
    });
    server.on('batch', (batch) => this.#onBatch(batch));
    server.on('close', (e) => {
      this.#stats.active--;
      if (e.reason === 'error') this.#stats.errors++;
      this.#push(m.close(e));
    });
    server.on('unknown', (e) => this.emit('unknown', e));
    server.on('rejected', (e) => {
      this.#stats.rejected++;
      this.#push(m.rejected(e));
    });
    server.on('error', (e) => {
      this.#stats.errors++;
      this.#push(m.error(e));
    });
    server.on('stopped', (e) => this.#push(m.stopped(e)));
  }

  get status(): ServerStatus {
    return this.#status;
  }

  /** A copy of the counters as they are now; bytes are the core's own totals, counted as they flow. */
  get stats(): ServerStats {
    const { bytesIn, bytesOut } = this.#traffic();
    return {
      ...this.#stats,
      bytesIn: bytesIn - this.#trafficAtReset.bytesIn,
      bytesOut: bytesOut - this.#trafficAtReset.bytesOut,
    };
  }

  /** Connections and commands per second over the last five minutes. */
  get series(): StatsSeries {
    return this.#series.snapshot();
  }

  /** What the last Start started: `mock` (the table answers) or `forward`. */
  get kind(): ListenerKind {
    return this.#kind;
  }

  /** Replaces the listener's faults, the forwarder's and the mock server's alike, at once on open connections. */
  setToxics(toxics: readonly Toxic[]): void {
    this.forward.setToxics(toxics);
    this.server.setToxics(toxics);
  }

  /** Bytes the running kind counts: the mock server's totals, or what passed the forwarder. */
  #traffic(): { bytesIn: number; bytesOut: number } {
    return this.#kind === 'forward' ? this.forward.traffic : this.server.traffic;
  }

  async start(settings: ServerSettings): Promise<StartOutcome> {
    if (settings.kind === 'forward' || this.forward.running) return this.#startForward(settings);
    const { host, port } = settings;
    // Already up: the core refuses, and the status must keep saying it runs.
    const alreadyUp = this.server.state === 'running' || this.server.state === 'starting';
    if (!alreadyUp) {
      this.#switchKind('mock');
      this.#setStatus({ state: 'starting', host, port, text: `Starting on ${formatAddress(host, port)}…` });
    }
    const result = await this.server.start(settings);
    if (!result.ok && alreadyUp) return { ok: false, status: this.#status, error: result.message };
    if (!result.ok) {
      this.#push(this.#maker.startFailed(Date.now(), result.message));
      this.#setStatus({ state: 'failed', host, port, text: result.message });
      return { ok: false, status: this.#status, error: result.message };
    }
    const warning = exposureWarning(result.host, result.port);
    this.#setStatus({
      state: 'running',
      host: result.host,
      port: result.port,
      text: `Running on ${formatAddress(result.host, result.port)}`,
      ...(warning ? { warning } : {}),
    });
    return { ok: true, status: this.#status };
  }

  /**
   * Starts a new measurement: every counter but the open connections, and
   * the chart, from zero. Bytes of open connections already counted stay
   * counted in the old measurement; their close adds only what was not seen.
   */
  resetStats(): void {
    this.#stats = { ...EMPTY_STATS, active: this.#stats.active };
    this.#trafficAtReset = { ...this.#traffic() };
    this.#series.reset();
  }

  async stop(): Promise<StopOutcome> {
    if (this.#status.state === 'running' || this.#status.state === 'starting') {
      this.#setStatus({ ...this.#status, state: 'stopping', text: 'Stopping…' });
    }
    const report: StopReport =
      this.#kind === 'forward' ? await this.forward.stop() : await this.server.stop();
    // A failed start stays on screen until the next Start; anything else reads Stopped.
    if (this.#status.state !== 'failed') this.#setStatus(STOPPED);
    return { ...report, status: this.#status };
  }

  async #startForward(settings: ServerSettings): Promise<StartOutcome> {
    const { host, port } = settings;
    if (this.forward.running || this.server.state === 'running' || this.server.state === 'starting') {
      return { ok: false, status: this.#status, error: 'the listener is already running' };
    }
    this.#switchKind('forward');
    this.#setStatus({ state: 'starting', host, port, text: `Starting on ${formatAddress(host, port)}…` });
    const result = await this.forward.start(settings, this.server.table);
    if (!result.ok) {
      this.#push(this.#maker.startFailed(Date.now(), result.message));
      this.#setStatus({ state: 'failed', host, port, text: result.message });
      return { ok: false, status: this.#status, error: result.message };
    }
    const warning = exposureWarning(result.host, result.port);
    this.#setStatus({
      state: 'running',
      host: result.host,
      port: result.port,
      text: `Running on ${formatAddress(result.host, result.port)}`,
      forward: result.upstream,
      ...(warning ? { warning } : {}),
    });
    return { ok: true, status: this.#status };
  }

  /** The counters go on across kinds: only the byte baseline moves to the new kind's totals. */
  #switchKind(kind: ListenerKind): void {
    if (kind === this.#kind) return;
    const before = this.#traffic();
    const counted = {
      bytesIn: before.bytesIn - this.#trafficAtReset.bytesIn,
      bytesOut: before.bytesOut - this.#trafficAtReset.bytesOut,
    };
    this.#kind = kind;
    const after = this.#traffic();
    this.#trafficAtReset = {
      bytesIn: after.bytesIn - counted.bytesIn,
      bytesOut: after.bytesOut - counted.bytesOut,
    };
  }

  /** Logs a row of the server's own (connection 0), for what the services around it must say. */
  logNote(message: string): void {
    this.#push(this.#maker.error({ at: Date.now(), conn: 0, message }));
  }

  /**
   * The seam the window's extra listeners log through (docs/window.md,
   * "Listeners"): their rows, `listener` set, numbered in this log's
   * sequence and sent on with the window's own.
   */
  logListenerEntry(entry: LogRecord): void {
    this.#push(entry);
  }

  #setStatus(status: ServerStatus): void {
    this.#status = status;
    this.emit('status', status);
  }

  /** One drain's lines and replies: counted, numbered, and expanded into rows only for those who want rows. */
  #onBatch(batch: ExchangeBatch): void {
    const n = batch.length;
    let lines = 0;
    for (let i = 0; i < n; i++) if (batch.kinds[i] === LINE_ROW) lines++;
    if (lines > 0) {
      this.#stats.commands += lines;
      this.#series.command(batch.at, lines);
    }
    const firstSeq = this.#seq + 1;
    this.#seq += n;
    if (this.#sinks.length > 0) {
      const rows: NumberedRows = { firstSeq, remote: this.#maker.remoteOf(batch.conn), batch };
      for (const sink of this.#sinks) sink.appendRows(rows);
    }
    if (!this.hasListeners('entry')) return;
    for (let i = 0; i < n; i++) {
      const entry = this.#maker.batchRow(batch, i) as LogRecord;
      entry.seq = firstSeq + i;
      this.emit('entry', entry);
    }
  }

  #push(draft: EntryDraft): void {
    // The draft is fresh for every event: numbered in place, not copied (this runs twice per command).
    const entry = draft as LogRecord;
    entry.seq = ++this.#seq;
    for (const sink of this.#sinks) sink.append(entry);
    this.emit('entry', entry);
  }

  /** Sends every row from now on to `sink`, in order; returns the function that stops it. */
  addSink(sink: RowSink): () => void {
    this.#sinks = [...this.#sinks, sink];
    return () => {
      this.#sinks = this.#sinks.filter((s) => s !== sink);
    };
  }
}
