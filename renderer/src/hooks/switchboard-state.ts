/**
 * What the window knows about main, and how pushed events and the snapshot
 * merge into it.
 *
 * The window listens before it asks for the snapshot, so nothing is missed;
 * the price is that batches and the snapshot may overlap. Every log entry and
 * client event carries a sequence number, and a row is taken only once.
 */
import {
  EMPTY_STATS,
  type ClientEvent,
  type ClientState,
  type CommandsState,
  type LogBatch,
  type LogEntry,
  type ServerStats,
  type ServerStatus,
  type SettingsState,
  type Snapshot,
  type StatsSeries,
} from '../../../electron/shared/ipc/models';
import { applyCommandsUpdate, type CommandsUpdate } from '../../../electron/shared/ipc/commands-update';

/** How many transcript lines the window keeps; older ones drop off. */
export const MAX_ROWS = 2000;
/**
 * How many connection-log rows the window keeps. The log is virtualized, so
 * only the rows in view are drawn; the rest are main's own objects, shared,
 * never copied.
 */
export const MAX_LOG_ROWS = 50_000;

const EMPTY_SERIES: StatsSeries = { end: 0, connections: [], commands: [] };

export interface SwitchboardState {
  /** Null until the snapshot arrives; the settings form starts from it. */
  settings: SettingsState | null;
  status: ServerStatus;
  stats: ServerStats;
  log: readonly LogEntry[];
  /** The highest log seq taken; older or repeated rows are dropped. */
  logSeq: number;
  /** Rows main left out of batches (more came than a batch carries); the log file has them. */
  logSkipped: number;
  /** The durable log's path, to point at when rows were skipped. */
  logFile: string;
  /** Why the durable log cannot be written, while that lasts. */
  logProblem: string | null;
  /** What went wrong with the data folder at start (the app went on with defaults). */
  startProblems: readonly string[];
  /** Connections and commands per second, for the chart. */
  series: StatsSeries;
  /** The command table and presets, or null until the snapshot arrives. */
  commands: CommandsState | null;
  transcript: readonly ClientEvent[];
  /** Kept through Clear, so cleared lines never come back. */
  transcriptSeq: number;
  client: ClientState;
  /** The command history as main kept it when the window loaded (the pane keeps it from then on). */
  clientHistory: readonly string[];
}

export type SwitchboardAction =
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'status'; status: ServerStatus }
  | { type: 'stats'; stats: ServerStats; series?: StatsSeries; logProblem?: string }
  | { type: 'commands'; update: CommandsUpdate }
  | { type: 'clear-log' }
  | { type: 'log-batch'; batch: LogBatch }
  | { type: 'client-batch'; events: readonly ClientEvent[]; state: ClientState }
  | { type: 'client-state'; state: ClientState }
  | { type: 'clear-transcript' };

export const INITIAL_STATE: SwitchboardState = {
  settings: null,
  status: { state: 'stopped', host: '', port: 0, text: 'Stopped' },
  stats: EMPTY_STATS,
  log: [],
  logSeq: 0,
  logSkipped: 0,
  logFile: '',
  logProblem: null,
  startProblems: [],
  series: EMPTY_SERIES,
  commands: null,
  transcript: [],
  transcriptSeq: 0,
  client: { connected: false, target: null },
  clientHistory: [],
};

interface Sequenced {
  seq: number;
}

/** The rows of `incoming` newer than `lastSeq`, appended to `held` and capped. */
export function appendNewer<T extends Sequenced>(
  held: readonly T[],
  lastSeq: number,
  incoming: readonly T[],
  max = MAX_ROWS,
): { rows: readonly T[]; lastSeq: number } {
  const fresh = incoming.filter((row) => row.seq > lastSeq);
  if (fresh.length === 0) return { rows: held, lastSeq };
  // Main sends rows in order; sorting anyway keeps a stray one from breaking lastSeq.
  fresh.sort((a, b) => a.seq - b.seq);
  const last = fresh[fresh.length - 1]?.seq ?? lastSeq;
  return { rows: capRows(held.concat(fresh), max), lastSeq: last };
}

/**
 * Joins the snapshot's rows with rows pushed before it arrived: the snapshot
 * holds everything up to its own last row, the pushed ones may go further.
 */
export function mergeSnapshotRows<T extends Sequenced>(
  snapshotRows: readonly T[],
  held: readonly T[],
  heldSeq: number,
  max = MAX_ROWS,
): { rows: readonly T[]; lastSeq: number } {
  const base = [...snapshotRows].sort((a, b) => a.seq - b.seq);
  const baseSeq = base[base.length - 1]?.seq ?? 0;
  // A reload keeps what the window held before the snapshot's oldest row.
  const firstSeq = base[0]?.seq ?? Infinity;
  const older = held.filter((row) => row.seq < firstSeq);
  const newer = held.filter((row) => row.seq > baseSeq);
  return { rows: capRows([...older, ...base, ...newer], max), lastSeq: Math.max(baseSeq, heldSeq) };
}

function capRows<T>(rows: T[], max: number): T[] {
  return rows.length > max ? rows.slice(rows.length - max) : rows;
}

/** The test client's part of a snapshot: its connection, and the history it came with. */
function clientFromSnapshot(snapshot: Snapshot): Pick<SwitchboardState, 'client' | 'clientHistory'> {
  return { client: snapshot.client, clientHistory: snapshot.clientHistory };
}

export function switchboardReducer(state: SwitchboardState, action: SwitchboardAction): SwitchboardState {
  switch (action.type) {
    case 'snapshot': {
      const { snapshot } = action;
      const log = mergeSnapshotRows(snapshot.recent, state.log, state.logSeq, MAX_LOG_ROWS);
      const transcript = mergeSnapshotRows(snapshot.transcript, state.transcript, state.transcriptSeq);
      return {
        ...state,
        settings: snapshot.settings,
        // The snapshot was taken after anything pushed before it, so its status and counters win.
        status: snapshot.status,
        stats: snapshot.stats,
        log: log.rows,
        logSeq: log.lastSeq,
        logFile: snapshot.logFile,
        logProblem: snapshot.logProblem ?? null,
        startProblems: snapshot.startProblems ?? [],
        series: snapshot.series,
        commands: snapshot.commands,
        transcript: transcript.rows,
        transcriptSeq: transcript.lastSeq,
        ...clientFromSnapshot(snapshot),
      };
    }
    case 'status':
      return { ...state, status: action.status };
    case 'stats':
      return {
        ...state,
        stats: action.stats,
        series: action.series ?? state.series,
        logProblem: action.logProblem ?? null,
      };
    case 'commands':
      // Main sends what changed; before the snapshot there is nothing to apply it to, and the snapshot is newer.
      return { ...state, commands: applyCommandsUpdate(state.commands, action.update) };
    case 'log-batch': {
      const { batch } = action;
      const log = appendNewer(state.log, state.logSeq, batch.entries, MAX_LOG_ROWS);
      const logSkipped = state.logSkipped + (batch.skipped ?? 0);
      return { ...state, log: log.rows, logSeq: log.lastSeq, logSkipped, stats: batch.stats };
    }
    case 'clear-log':
      // logSeq stays, so rows already cleared never come back with a repeated batch.
      return { ...state, log: [], logSkipped: 0 };
    case 'client-batch': {
      const transcript = appendNewer(state.transcript, state.transcriptSeq, action.events);
      return {
        ...state,
        transcript: transcript.rows,
        transcriptSeq: transcript.lastSeq,
        client: action.state,
      };
    }
    case 'client-state':
      return { ...state, client: action.state };
    case 'clear-transcript':
      return { ...state, transcript: [] };
  }
}
