/**
 * Plain data that crosses from main to the window: the server's status, its
 * counters, log entries and the test client's events.
 */
import type { ServerSettings } from './settings.js';

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
}

/** What the window gets in one batch: new rows and the counters after them. */
export interface LogBatch {
  entries: LogEntry[];
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

/** One line of the built-in test client's transcript. */
export interface ClientEvent {
  seq: number;
  at: number;
  kind: ClientEventKind;
  text: string;
}

export interface ClientTarget {
  host: string;
  port: number;
}

export interface ClientState {
  connected: boolean;
  target: ClientTarget | null;
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
  recent: LogEntry[];
  settings: SettingsState;
  client: ClientState;
  transcript: ClientEvent[];
}
