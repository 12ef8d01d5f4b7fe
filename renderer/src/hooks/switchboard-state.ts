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
  type LogBatch,
  type LogEntry,
  type ServerStats,
  type ServerStatus,
  type SettingsState,
  type Snapshot,
} from '../../../electron/shared/models';

/** How many log rows and transcript lines the window keeps; older ones drop off. */
export const MAX_ROWS = 2000;

export interface SwitchboardState {
  /** Null until the snapshot arrives; the settings form starts from it. */
  settings: SettingsState | null;
  status: ServerStatus;
  stats: ServerStats;
  log: readonly LogEntry[];
  /** The highest log seq taken; older or repeated rows are dropped. */
  logSeq: number;
  transcript: readonly ClientEvent[];
  /** Kept through Clear, so cleared lines never come back. */
  transcriptSeq: number;
  client: ClientState;
}

export type SwitchboardAction =
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'status'; status: ServerStatus }
  | { type: 'stats'; stats: ServerStats }
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
  transcript: [],
  transcriptSeq: 0,
  client: { connected: false, target: null, history: [] },
};

interface Sequenced {
  seq: number;
}

/** The rows of `incoming` newer than `lastSeq`, appended to `held` and capped. */
export function appendNewer<T extends Sequenced>(
  held: readonly T[],
  lastSeq: number,
  incoming: readonly T[],
): { rows: readonly T[]; lastSeq: number } {
  const fresh = incoming.filter((row) => row.seq > lastSeq);
  if (fresh.length === 0) return { rows: held, lastSeq };
  // Main sends rows in order; sorting anyway keeps a stray one from breaking lastSeq.
  fresh.sort((a, b) => a.seq - b.seq);
  const last = fresh[fresh.length - 1]?.seq ?? lastSeq;
  return { rows: capRows([...held, ...fresh]), lastSeq: last };
}

/**
 * Joins the snapshot's rows with rows pushed before it arrived: the snapshot
 * holds everything up to its own last row, the pushed ones may go further.
 */
export function mergeSnapshotRows<T extends Sequenced>(
  snapshotRows: readonly T[],
  held: readonly T[],
  heldSeq: number,
): { rows: readonly T[]; lastSeq: number } {
  const base = [...snapshotRows].sort((a, b) => a.seq - b.seq);
  const baseSeq = base[base.length - 1]?.seq ?? 0;
  const newer = held.filter((row) => row.seq > baseSeq);
  return { rows: capRows([...base, ...newer]), lastSeq: Math.max(baseSeq, heldSeq) };
}

function capRows<T>(rows: T[]): T[] {
  return rows.length > MAX_ROWS ? rows.slice(rows.length - MAX_ROWS) : rows;
}

export function switchboardReducer(state: SwitchboardState, action: SwitchboardAction): SwitchboardState {
  switch (action.type) {
    case 'snapshot': {
      const { snapshot } = action;
      const log = mergeSnapshotRows(snapshot.recent, state.log, state.logSeq);
      const transcript = mergeSnapshotRows(snapshot.transcript, state.transcript, state.transcriptSeq);
      return {
        settings: snapshot.settings,
        // The snapshot was taken after anything pushed before it, so its status and counters win.
        status: snapshot.status,
        stats: snapshot.stats,
        log: log.rows,
        logSeq: log.lastSeq,
        transcript: transcript.rows,
        transcriptSeq: transcript.lastSeq,
        client: snapshot.client,
      };
    }
    case 'status':
      return { ...state, status: action.status };
    case 'stats':
      return { ...state, stats: action.stats };
    case 'log-batch': {
      const log = appendNewer(state.log, state.logSeq, action.batch.entries);
      return { ...state, log: log.rows, logSeq: log.lastSeq, stats: action.batch.stats };
    }
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
