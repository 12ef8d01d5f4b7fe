/**
 * Plain data that crosses from main to the window: the server's status, its
 * counters, log entries and the test client's events.
 */
import type { CommandTable } from '../protocol/command-table.js';
import type { ServerSettings } from '../protocol/settings.js';

export type ServerState = 'stopped' | 'starting' | 'running' | 'stopping' | 'failed';

export interface ServerStatus {
  state: ServerState;
  /** Where it runs, or where it last tried to. */
  host: string;
  port: number;
  /** What the status line reads: `Running on HOST:PORT`, `Stopped`, or the start error. */
  text: string;
  /** Set when the server listens beyond this machine, so anyone on the network can reach it. */
  warning?: string;
  /** In forward mode: the upstream it relays to, `HOST:PORT` (docs/forwarding.md). */
  forward?: string;
}

export interface ServerStats {
  active: number;
  total: number;
  commands: number;
  bytesIn: number;
  bytesOut: number;
  rejected: number;
  errors: number;
}

export const EMPTY_STATS: Readonly<ServerStats> = Object.freeze({
  active: 0,
  total: 0,
  commands: 0,
  bytesIn: 0,
  bytesOut: 0,
  rejected: 0,
  errors: 0,
});

export type LogKind = 'listening' | 'open' | 'line' | 'reply' | 'close' | 'rejected' | 'error' | 'stopped';

/** One row of the connection log. */
export interface LogEntry {
  /** Increases by one per entry for as long as the app runs. */
  seq: number;
  /** Milliseconds since the epoch. */
  at: number;
  /** The connection id; 0 is the server itself. */
  conn: number;
  /** `address:port` of the client, or '' for the server. */
  remote: string;
  kind: LogKind;
  /** What happened, ready to show (control bytes already escaped). */
  detail: string;
  /** The name of the listener it belongs to, in a workspace of several (docs/listeners.md). */
  listener?: string;
}

/** Why a connection closed, as the durable log and exports name it. */
export type LogCloseReason =
  | 'eof'
  | 'quit'
  | 'one-shot'
  | 'rule'
  | 'line-too-long'
  | 'idle'
  | 'line-timeout'
  | 'stop'
  | 'backpressure'
  | 'reset'
  | 'error'
  | 'closed-by-user';

/**
 * A log row with its facts as typed fields, for exports and filters: what
 * the window holds. The durable log keeps the `LogEntry` part.
 */
export interface LogRecord extends LogEntry {
  /** `in`: the client sent it; `out`: the server sent it. */
  dir?: 'in' | 'out';
  /** A line or reply exactly as on the wire (real line breaks, nothing escaped), line end of a reply included. */
  text?: string;
  /** Bytes on the wire: of the line as it arrived, of the reply, or (for a close) in and out. */
  bytes?: number;
  bytesIn?: number;
  bytesOut?: number;
  /** For a close. */
  reason?: LogCloseReason;
  durationMs?: number;
  /** Forwarded traffic: `client` sent it (to the upstream), or the `upstream` did (docs/forwarding.md). */
  direction?: 'client' | 'upstream';
}

/** What the window gets in one batch: new rows and the counters after them. */
export interface LogBatch {
  entries: LogRecord[];
  stats: ServerStats;
  /**
   * Rows left out of this batch because more arrived than the window keeps;
   * the durable log still has them.
   */
  skipped?: number;
}

export type StartOutcome =
  { ok: true; status: ServerStatus } | { ok: false; status: ServerStatus; error: string };

export interface StopOutcome {
  closed: number;
  durationMs: number;
  status: ServerStatus;
}

export type ClientEventKind = 'connecting' | 'connected' | 'sent' | 'reply' | 'closed' | 'error';

/**
 * One row of the built-in test client's conversation, in the order things
 * happened: what was sent, and what was received as it arrived (`reply`),
 * each with its time. Received bytes are cut into rows at line ends; bytes
 * without a line end yet are shown at once as a row of their own.
 */
export interface ClientEvent {
  seq: number;
  at: number;
  kind: ClientEventKind;
  /** The row as text (line end left out), control bytes escaped. */
  text: string;
  /** For sent and received rows: the bytes on the wire, line end included, as hex pairs. */
  hex?: string;
  /** For sent and received rows: how many bytes the row stands for (more than `hex` shows when `omitted`). */
  bytes?: number;
  /** Bytes of a long row left out of `text` and `hex`, to keep the transcript small. */
  omitted?: number;
  /** A received row whose line has not ended (yet): what came without a line end. */
  unterminated?: boolean;
  /** A received row that continues the line of the row before (whose end had not come). */
  continued?: boolean;
  /** For a sent row: sent as hex or with escapes, not as text. */
  inputMode?: 'hex' | 'escapes';
  /**
   * On the first bytes received after a send, and only when nothing else was
   * sent in between: milliseconds since that send (round-trip time).
   */
  rttMs?: number;
}

export interface ClientTarget {
  host: string;
  port: number;
  /** How to reach it (docs/listeners.md): TCP by default, TLS or UDP. */
  transport?: 'tcp' | 'tls' | 'udp';
  /** For TLS: check the server's certificate (default true). */
  tlsVerify?: boolean;
}

/** The test client's connection; the history travels only in the snapshot, not with every change. */
export interface ClientState {
  connected: boolean;
  target: ClientTarget | null;
  /** While connected over TLS: the server's certificate, so a reloaded window shows it too. */
  certificate?: ClientCertificate;
}

/** The certificate a TLS server showed the test client (docs/window.md). */
export interface ClientCertificate {
  subject: string;
  issuer: string;
  /** ISO 8601. */
  validFrom: string;
  validTo: string;
  /** SHA-256, as colon-separated upper-case hex pairs. */
  fingerprint256: string;
  /** The TLS version and cipher agreed. */
  protocol: string;
  cipher: string;
  /** Checked and trusted; false when the check was off. */
  verified: boolean;
}

/** Connections opened and commands received in each of the last minutes, one bucket a second. */
export interface StatsSeries {
  /** The epoch second of the last bucket. */
  end: number;
  connections: number[];
  commands: number[];
}

/**
 * The chart's series and the log file's health, at most 4 a second. The
 * counters are not here: every change to them comes with a log row, so they
 * travel in the log batch that carries the row, in step with the log.
 */
export interface StatsUpdate {
  /**
   * The counters also come with every log batch; here they arrive when no row
   * does (after Reset, after Stop, while nothing is logged).
   */
  stats: ServerStats;
  series: StatsSeries;
  /** Set while the durable log cannot be written (events still reach the window). */
  logProblem?: string;
  logRetention?: LogRetention;
}

/** The durable log's retention, and exact counts of this run's rows in it. */
export interface LogRetention {
  /** A file is rotated once it would grow past this many bytes. */
  maxBytes: number;
  /** Rotated files kept beside the current one. */
  keep: number;
  /** This run's rows the files still hold. */
  rowsInFiles: number;
  /** This run's rows in files rotation has deleted. */
  rowsRotatedAway: number;
  /** Rows that never reached the file (a full disk, a write error). */
  rowsDropped: number;
}

/** A line the server did not know, for the unknown-command inbox. */
export interface UnknownLine {
  line: string;
  count: number;
  lastAt: number;
}

export interface CommandPreset {
  name: string;
  /** The classic table: always there, cannot be overwritten or deleted. */
  builtIn: boolean;
  table: CommandTable;
}

export interface CommandsState {
  /** The table the server answers with (applied at once, also while running). */
  table: CommandTable;
  presets: CommandPreset[];
  /** Unknown lines, most frequent first. */
  inbox: UnknownLine[];
  /** Set when the saved table or presets could not be read. */
  problem?: string;
}

/** The log of the app's previous run, read back from its durable log file. */
export interface PreviousLog {
  /** The files read, oldest first; empty when there was no previous run. */
  files: string[];
  entries: LogEntry[];
  /** Older entries left out to keep the window responsive. */
  truncated: number;
  problem?: string;
}

export interface SettingsState {
  settings: ServerSettings;
  /** Set when the settings file could not be read and defaults were used instead. */
  problem?: string;
}

/** Everything a window needs when it (re)loads. */
export interface Snapshot {
  status: ServerStatus;
  stats: ServerStats;
  series: StatsSeries;
  recent: LogRecord[];
  settings: SettingsState;
  client: ClientState;
  /** Lines sent, oldest first, kept across restarts. */
  clientHistory: string[];
  transcript: ClientEvent[];
  commands: CommandsState;
  /** The durable log's file, for the user to find it. */
  logFile: string;
  /** Set while the durable log cannot be written. */
  logProblem?: string;
  /** The newest seq the user cleared the log up to; `recent` holds only rows after it. */
  logClearedSeq?: number;
  logRetention?: LogRetention;
  /** Problems with the data folder met at start (each also printed on stderr); the app went on with defaults. */
  startProblems?: string[];
}

/**
 * One page of this run's durable log, for "Export → All rows of this run":
 * rows oldest first, read from the log files (see log-reader.ts).
 */
export interface RunLogPage {
  rows: LogRecord[];
  /** Ask for the next page after this seq. */
  lastSeq: number;
  /** The newest row the export covers, fixed when its first page was read. */
  untilSeq: number;
  /** No page follows. */
  done: boolean;
  /** Rows up to untilSeq that no log file holds (rotated away, or never written). */
  missing: number;
  /** Damaged lines skipped. */
  damaged: number;
  /** Where to read on for the next page (pass it back); absent when the reader has to search. */
  resume?: RunPageResume;
  problem?: string;
}

/** A place in the log files: the file that starts with `firstSeq` (whatever rotation named it), at `offset`. */
export interface RunPageResume {
  firstSeq: number;
  offset: number;
}
