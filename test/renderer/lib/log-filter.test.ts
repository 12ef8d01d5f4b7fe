import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../electron/shared/ipc/models';
import {
  NO_FILTER,
  countNewer,
  createIncrementalFilter,
  filterLog,
  firstIndexAfter,
  kindChoice,
  logMatcher,
  parseConnection,
  type LogFilter,
} from '../../../renderer/src/lib/log-filter';
import { logEntry } from '../fake-bridge';

const seqs = (rows: readonly { seq: number }[]): number[] => rows.map((r) => r.seq);
const filter = (f: Partial<LogFilter>): LogFilter => ({ ...NO_FILTER, ...f });

/** A small conversation: #1 and #2 talk, the server starts around them. */
const LOG: LogEntry[] = [
  logEntry(1, { conn: 0, remote: '', kind: 'listening', detail: 'listening on 127.0.0.1:31310' }),
  logEntry(2, { conn: 1, remote: '127.0.0.1:50001', kind: 'open', detail: 'connected' }),
  logEntry(3, { conn: 1, remote: '127.0.0.1:50001', kind: 'line', detail: 'SONG' }),
  logEntry(4, { conn: 1, remote: '127.0.0.1:50001', kind: 'reply', detail: 'Old McDonald (37 bytes)' }),
  logEntry(5, { conn: 12, remote: '[::1]:50012', kind: 'open', detail: 'connected' }),
  logEntry(6, { conn: 12, remote: '[::1]:50012', kind: 'line', detail: 'song please' }),
  logEntry(7, { conn: 12, remote: '[::1]:50012', kind: 'error', detail: 'read ECONNRESET' }),
  logEntry(8, { conn: 13, remote: '127.0.0.1:50013', kind: 'rejected', detail: 'rejected: server busy' }),
];

describe('parseConnection', () => {
  it.each([
    ['', null],
    ['  ', null],
    ['#12', 12],
    ['12', 12],
    [' # 7 ', 7],
  ])('reads %j as %j', (text, conn) => {
    expect(parseConnection(text)).toEqual({ ok: true, conn });
  });

  it.each(['#', 'abc', '#1x', '-3', '1.5'])('refuses %j', (text) => {
    expect(parseConnection(text)).toEqual({ ok: false, error: 'a connection number, like #12' });
  });
});

describe('logMatcher', () => {
  const shown = (f: Partial<LogFilter>): number[] => {
    const match = logMatcher(filter(f));
    return seqs(match ? LOG.filter(match) : LOG);
  };

  it('lets everything through without a filter', () => {
    expect(logMatcher(NO_FILTER)).toBeNull();
    expect(logMatcher(filter({ search: '   ' }))).toBeNull();
  });

  it('filters by one kind or a group of kinds', () => {
    expect(shown({ kinds: 'kind:line' })).toEqual([3, 6]);
    expect(shown({ kinds: 'traffic' })).toEqual([3, 4, 6]);
    expect(shown({ kinds: 'connections' })).toEqual([2, 5, 8]);
    expect(shown({ kinds: 'problems' })).toEqual([7, 8]);
    expect(shown({ kinds: 'server' })).toEqual([1]);
  });

  it('treats an unknown kind choice as every kind', () => {
    expect(kindChoice('nonsense').kinds).toBeNull();
    expect(shown({ kinds: 'nonsense' })).toEqual(seqs(LOG));
  });

  it('filters by connection', () => {
    expect(shown({ conn: 12 })).toEqual([5, 6, 7]);
    expect(shown({ conn: 0 })).toEqual([1]);
    expect(shown({ conn: 99 })).toEqual([]);
  });

  it('searches detail and remote address, ignoring case', () => {
    expect(shown({ search: 'song' })).toEqual([3, 6]);
    expect(shown({ search: '::1' })).toEqual([5, 6, 7]);
    expect(shown({ search: 'ECONN' })).toEqual([7]);
  });

  it('searches for regular-expression characters literally', () => {
    const rows = [
      logEntry(1, { detail: 'a.b' }),
      logEntry(2, { detail: 'axb' }),
      logEntry(3, { detail: '(x)*' }),
    ];
    const dot = logMatcher(filter({ search: 'a.b' }));
    expect(seqs(rows.filter((r) => dot?.(r) ?? true))).toEqual([1]);
    const star = logMatcher(filter({ search: '(x)*' }));
    expect(seqs(rows.filter((r) => star?.(r) ?? true))).toEqual([3]);
  });

  it('combines every filter', () => {
    expect(shown({ kinds: 'kind:line', conn: 12, search: 'please' })).toEqual([6]);
    expect(shown({ kinds: 'kind:reply', conn: 12 })).toEqual([]);
  });

  it('filters by listener: a name, or default for rows without one', () => {
    const rows = [
      logEntry(1, { detail: 'a' }),
      logEntry(2, { detail: 'b', listener: 'secure' }),
      logEntry(3, { detail: 'c', listener: 'events' }),
    ];
    const pick = (listener: string | null): number[] => {
      const match = logMatcher(filter({ listener }));
      return seqs(rows.filter((r) => match?.(r) ?? true));
    };
    expect(pick(null)).toEqual([1, 2, 3]);
    expect(pick('secure')).toEqual([2]);
    expect(pick('default')).toEqual([1]);
    expect(pick('nobody')).toEqual([]);
    // Another listener is another filter: not extended from the last result.
    const view = createIncrementalFilter();
    expect(seqs(view(rows, filter({ listener: 'secure' })))).toEqual([2]);
    expect(seqs(view(rows, filter({ listener: 'events' })))).toEqual([3]);
  });
});

describe('counting and finding by seq', () => {
  it('finds the first row newer than a seq', () => {
    expect(firstIndexAfter(LOG, 0)).toBe(0);
    expect(firstIndexAfter(LOG, 4)).toBe(4);
    expect(firstIndexAfter(LOG, 8)).toBe(8);
    expect(firstIndexAfter([], 3)).toBe(0);
  });

  it('counts the rows newer than a seq that pass the filter', () => {
    expect(countNewer(LOG, 4, NO_FILTER)).toBe(4);
    expect(countNewer(LOG, 4, filter({ conn: 12 }))).toBe(3);
    expect(countNewer(LOG, 8, NO_FILTER)).toBe(0);
  });
});

describe('filterLog', () => {
  it('returns the log itself when nothing is filtered', () => {
    expect(filterLog(null, LOG, NO_FILTER).rows).toBe(LOG);
  });

  it('extends an earlier result by testing only the new rows, dropping rows that left the front', () => {
    const f = filter({ kinds: 'kind:line' });
    const first = filterLog(null, LOG.slice(0, 5), f);
    expect(seqs(first.rows)).toEqual([3]);
    // The same log (same objects), two rows off the front and three on the end.
    const grown = [...LOG.slice(3), logEntry(9, { kind: 'line' })];
    const second = filterLog(first, grown, f);
    expect(seqs(second.rows)).toEqual([6, 9]);
    // Same answer as filtering afresh.
    expect(seqs(filterLog(null, grown, f).rows)).toEqual([6, 9]);
  });

  it('keeps the earlier result when the log did not change', () => {
    const f = filter({ conn: 1 });
    const first = filterLog(null, LOG, f);
    expect(filterLog(first, LOG, f)).toBe(first);
  });

  it('filters afresh for another filter, a cleared log or a different log', () => {
    const f = filter({ kinds: 'kind:line' });
    const first = filterLog(null, LOG, f);
    expect(seqs(filterLog(first, LOG, filter({ kinds: 'kind:open' })).rows)).toEqual([2, 5]);
    expect(filterLog(first, [], f).rows).toEqual([]);
    // Another log whose seqs happen to overlap (the previous run's): not mistaken for this one grown.
    const other = [logEntry(8, { kind: 'open' }), logEntry(9, { kind: 'line' })];
    expect(seqs(filterLog(first, other, f).rows)).toEqual([9]);
  });

  it('works through the incremental filter a view keeps', () => {
    const run = createIncrementalFilter();
    const f = filter({ search: 'song' });
    expect(seqs(run(LOG.slice(0, 4), f))).toEqual([3]);
    expect(seqs(run(LOG, f))).toEqual([3, 6]);
  });
});
