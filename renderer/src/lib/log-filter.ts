/**
 * Which connection-log rows are shown: by event kind, by connection and by
 * free text. Pure functions, so the window and its tests agree on every
 * rule, plus an incremental filter that looks only at rows that are new
 * since the last call (a busy log appends 20 batches a second to up to
 * 50,000 rows; re-testing them all each time would waste the frame).
 */
import type { LogCloseReason, LogEntry, LogKind, LogRecord } from '../../../electron/shared/ipc/models';
import { escapeRegExp } from '../../../electron/shared/protocol/literals';

/** One choice of the `Event kinds` select: a named group of kinds, or one kind. */
export interface KindChoice {
  value: string;
  label: string;
  /** Null: every kind. */
  kinds: readonly LogKind[] | null;
  /** Rows of other kinds the choice takes too (Problems: closes that went wrong). */
  also?: (entry: LogEntry) => boolean;
}

/** Closes that mean something went wrong: the server cut the connection short. */
const PROBLEM_REASONS: ReadonlySet<LogCloseReason> = new Set<LogCloseReason>([
  'line-too-long',
  'idle',
  'line-timeout',
  'backpressure',
  'error',
]);
/** The same, for rows read back from a log file, which keep only the detail. */
const PROBLEM_DETAIL =
  /^closed \((line too long|idle timeout|line not finished in time|client not reading its replies|error)[):]/;

/** A close row whose reason is a problem: a line too long, an idle timeout, a client not reading, an error. */
export function isProblemClose(entry: LogRecord): boolean {
  if (entry.kind !== 'close') return false;
  return entry.reason !== undefined ? PROBLEM_REASONS.has(entry.reason) : PROBLEM_DETAIL.test(entry.detail);
}

export const ALL_KINDS: readonly LogKind[] = [
  'listening',
  'open',
  'line',
  'reply',
  'close',
  'rejected',
  'error',
  'stopped',
];

/** Groups first (what people look for), then each kind on its own. */
export const KIND_GROUPS: readonly KindChoice[] = [
  { value: 'all', label: 'All events', kinds: null },
  { value: 'traffic', label: 'Lines and replies', kinds: ['line', 'reply'] },
  { value: 'connections', label: 'Opens and closes', kinds: ['open', 'close', 'rejected'] },
  { value: 'problems', label: 'Problems', kinds: ['rejected', 'error'], also: isProblemClose },
  { value: 'server', label: 'Server start and stop', kinds: ['listening', 'stopped'] },
];

export const SINGLE_KINDS: readonly KindChoice[] = ALL_KINDS.map((kind) => ({
  value: `kind:${kind}`,
  label: kind,
  kinds: [kind],
}));

const CHOICES = new Map([...KIND_GROUPS, ...SINGLE_KINDS].map((c) => [c.value, c]));

export function kindChoice(value: string): KindChoice {
  return CHOICES.get(value) ?? { value: 'all', label: 'All events', kinds: null };
}

export interface LogFilter {
  /** A value of KIND_GROUPS or SINGLE_KINDS. */
  kinds: string;
  /** A connection id, or null for every connection. */
  conn: number | null;
  /** Free text, matched case-insensitively in the detail and the remote address. */
  search: string;
  /**
   * One listener's rows (docs/window.md, "Listeners"): its name, or
   * `default` for the window's own (rows without a listener); left out or
   * null for every listener.
   */
  listener?: string | null;
}

export const NO_FILTER: LogFilter = { kinds: 'all', conn: null, search: '' };

export type ConnectionInput = { ok: true; conn: number | null } | { ok: false; error: string };

/** Reads the Connection field: `#12`, `12`, or empty for every connection. */
export function parseConnection(text: string): ConnectionInput {
  const t = text.trim();
  if (t === '') return { ok: true, conn: null };
  const m = /^#?\s*(\d{1,9})$/.exec(t);
  if (!m) return { ok: false, error: 'a connection number, like #12' };
  return { ok: true, conn: Number(m[1]) };
}

type Predicate = (entry: LogEntry) => boolean;

/** The window's own listener, whose rows carry no listener name. */
export const DEFAULT_LISTENER = 'default';

/** The test for one filter, or null when it lets every row through. */
export function logMatcher(filter: LogFilter): Predicate | null {
  const tests: Predicate[] = [];
  const { kinds, also } = kindChoice(filter.kinds);
  if (kinds) {
    const set = new Set<LogKind>(kinds);
    tests.push(also ? (e) => set.has(e.kind) || also(e) : (e) => set.has(e.kind));
  }
  const { conn } = filter;
  if (conn !== null) tests.push((e) => e.conn === conn);
  const listener = filter.listener ?? null;
  if (listener !== null) tests.push((e) => (e.listener ?? DEFAULT_LISTENER) === listener);
  const needle = filter.search.trim();
  if (needle !== '') {
    // One case-insensitive RegExp, built once: no lower-cased copy of every row per keystroke.
    const re = new RegExp(escapeRegExp(needle), 'i');
    tests.push((e) => re.test(e.detail) || re.test(e.remote));
  }
  if (tests.length === 0) return null;
  return (e) => tests.every((t) => t(e));
}

export function isFiltering(filter: LogFilter): boolean {
  return logMatcher(filter) !== null;
}

/** The index of the first row newer than `seq` (rows are in seq order). */
export function firstIndexAfter(rows: readonly LogEntry[], seq: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((rows[mid]?.seq ?? Infinity) <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many rows newer than `seq` pass the filter: the "N new" of a paused log. */
export function countNewer(rows: readonly LogEntry[], seq: number, filter: LogFilter): number {
  const start = firstIndexAfter(rows, seq);
  const match = logMatcher(filter);
  if (!match) return rows.length - start;
  let n = 0;
  for (let i = start; i < rows.length; i++) {
    const row = rows[i];
    if (row && match(row)) n++;
  }
  return n;
}

/** A filtered result and what it was computed from, to extend on the next call. */
export interface FilterResult {
  key: string;
  source: readonly LogEntry[];
  rows: readonly LogEntry[];
}

function filterKey(filter: LogFilter): string {
  return JSON.stringify([filter.kinds, filter.conn, filter.search.trim(), filter.listener ?? null]);
}

/**
 * Filters `source`, reusing `previous` when it was made with the same
 * filter from an earlier state of the same log: rows that dropped off the
 * front are dropped from the result, and only rows appended since are
 * tested. Anything else (another filter, a cleared or different log) is
 * filtered afresh. Without a filter the source itself is the result.
 */
export function filterLog(
  previous: FilterResult | null,
  source: readonly LogEntry[],
  filter: LogFilter,
): FilterResult {
  const key = filterKey(filter);
  const match = logMatcher(filter);
  if (!match) return { key, source, rows: source };
  if (previous && previous.key === key) {
    if (previous.source === source) return previous;
    const extended = extend(previous, source, match);
    if (extended) return { key, source, rows: extended };
  }
  return { key, source, rows: source.filter(match) };
}

function extend(
  previous: FilterResult,
  source: readonly LogEntry[],
  match: Predicate,
): readonly LogEntry[] | null {
  const lastOld = previous.source[previous.source.length - 1];
  const first = source[0];
  if (!lastOld || !first) return null;
  // The same log grown at the end: the old last row is still there, as the very same object.
  const tail = firstIndexAfter(source, lastOld.seq);
  if (tail === 0 || source[tail - 1] !== lastOld) return null;
  const keptFrom = firstIndexAfter(previous.rows, first.seq - 1);
  const fresh: LogEntry[] = [];
  for (let i = tail; i < source.length; i++) {
    const row = source[i];
    if (row && match(row)) fresh.push(row);
  }
  if (keptFrom === 0 && fresh.length === 0) return previous.rows;
  return previous.rows.slice(keptFrom).concat(fresh);
}

/**
 * A filter function that remembers its last result, for filterLog's
 * incremental path; one per view.
 */
export function createIncrementalFilter(): (
  source: readonly LogEntry[],
  filter: LogFilter,
) => readonly LogEntry[] {
  let last: FilterResult | null = null;
  return (source, filter) => {
    last = filterLog(last, source, filter);
    return last.rows;
  };
}
