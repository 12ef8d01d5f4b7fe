import { describe, expect, it } from 'vitest';
import {
  INITIAL_STATE,
  MAX_LOG_ROWS,
  MAX_ROWS,
  appendNewer,
  mergeSnapshotRows,
  switchboardReducer,
} from '../../../renderer/src/hooks/switchboard-state';
import { RUNNING, clientEvent, clientState, logEntry, snapshot, stats } from '../fake-bridge';

const seqs = (rows: readonly { seq: number }[]): number[] => rows.map((r) => r.seq);

describe('switchboard state', () => {
  it('appends only rows newer than the last one held', () => {
    const first = appendNewer([], 0, [logEntry(1), logEntry(2)]);
    const again = appendNewer(first.rows, first.lastSeq, [logEntry(2), logEntry(3)]);
    expect(seqs(again.rows)).toEqual([1, 2, 3]);
    expect(again.lastSeq).toBe(3);
  });

  it('keeps the same array when a batch holds nothing new', () => {
    const held = [logEntry(1)];
    expect(appendNewer(held, 1, [logEntry(1)]).rows).toBe(held);
  });

  it('keeps only the newest rows', () => {
    const many = Array.from({ length: MAX_ROWS + 50 }, (_, i) => logEntry(i + 1));
    const { rows } = appendNewer([], 0, many);
    expect(rows).toHaveLength(MAX_ROWS);
    expect(rows[0]?.seq).toBe(51);
    expect(rows[rows.length - 1]?.seq).toBe(MAX_ROWS + 50);
  });

  it('merges a snapshot with rows pushed before it, once each', () => {
    const merged = mergeSnapshotRows([logEntry(1), logEntry(2), logEntry(3)], [logEntry(3), logEntry(4)], 4);
    expect(seqs(merged.rows)).toEqual([1, 2, 3, 4]);
    expect(merged.lastSeq).toBe(4);
  });

  it('takes status, counters and client from the snapshot and drops repeated batches after it', () => {
    let state = switchboardReducer(INITIAL_STATE, {
      type: 'log-batch',
      batch: { entries: [logEntry(5)], stats: stats({ total: 1 }) },
    });
    state = switchboardReducer(state, {
      type: 'snapshot',
      snapshot: snapshot({
        status: RUNNING,
        stats: stats({ total: 5, active: 2 }),
        recent: [logEntry(4), logEntry(5)],
        transcript: [clientEvent(1, 'sent', 'SONG')],
      }),
    });
    expect(state.status).toEqual(RUNNING);
    expect(state.stats.active).toBe(2);
    expect(seqs(state.log)).toEqual([4, 5]);

    state = switchboardReducer(state, {
      type: 'log-batch',
      batch: { entries: [logEntry(5), logEntry(6)], stats: stats({ total: 6 }) },
    });
    expect(seqs(state.log)).toEqual([4, 5, 6]);
    expect(state.stats.total).toBe(6);

    state = switchboardReducer(state, {
      type: 'client-batch',
      events: [clientEvent(1, 'sent', 'SONG'), clientEvent(2, 'reply', 'Old McDonald')],
      state: clientState({ connected: true, target: { host: '127.0.0.1', port: 31310 } }),
    });
    expect(state.transcript.map((e) => e.text)).toEqual(['SONG', 'Old McDonald']);
    expect(state.client.connected).toBe(true);
  });

  it('does not bring cleared transcript lines back', () => {
    let state = switchboardReducer(INITIAL_STATE, {
      type: 'client-batch',
      events: [clientEvent(1, 'sent', 'SONG')],
      state: clientState({ connected: true }),
    });
    state = switchboardReducer(state, { type: 'clear-transcript' });
    state = switchboardReducer(state, {
      type: 'client-batch',
      events: [clientEvent(1, 'sent', 'SONG'), clientEvent(2, 'reply', 'x')],
      state: clientState({ connected: true }),
    });
    expect(state.transcript.map((e) => e.seq)).toEqual([2]);
  });

  it('keeps up to 50,000 log rows, the very objects main sent', () => {
    const many = Array.from({ length: MAX_LOG_ROWS + 10 }, (_, i) => logEntry(i + 1));
    const state = switchboardReducer(INITIAL_STATE, {
      type: 'log-batch',
      batch: { entries: many, stats: stats() },
    });
    expect(MAX_LOG_ROWS).toBe(50_000);
    expect(state.log).toHaveLength(MAX_LOG_ROWS);
    expect(state.log[0]).toBe(many[10]);
    expect(state.log[state.log.length - 1]).toBe(many[many.length - 1]);
  });

  it('adds up the rows main skipped, and clears the log without letting its rows back in', () => {
    let state = switchboardReducer(INITIAL_STATE, {
      type: 'log-batch',
      batch: { entries: [logEntry(3001)], stats: stats(), skipped: 3000 },
    });
    state = switchboardReducer(state, {
      type: 'log-batch',
      batch: { entries: [logEntry(3003)], stats: stats(), skipped: 1 },
    });
    expect(state.logSkipped).toBe(3001);
    state = switchboardReducer(state, { type: 'clear-log' });
    expect(state.log).toEqual([]);
    expect(state.logSkipped).toBe(0);
    state = switchboardReducer(state, {
      type: 'log-batch',
      batch: { entries: [logEntry(3003), logEntry(3004)], stats: stats() },
    });
    expect(seqs(state.log)).toEqual([3004]);
  });

  it('takes the chart’s series, the command table and the log file from main', () => {
    let state = switchboardReducer(INITIAL_STATE, {
      type: 'snapshot',
      snapshot: snapshot({ series: { end: 100, connections: [1], commands: [2] }, logFile: '/logs/a.jsonl' }),
    });
    expect(state.series).toEqual({ end: 100, connections: [1], commands: [2] });
    expect(state.logFile).toBe('/logs/a.jsonl');
    expect(state.commands?.table.name).toBe('Classic');

    state = switchboardReducer(state, {
      type: 'stats',
      series: { end: 101, connections: [3], commands: [4] },
    });
    expect(state.series.end).toBe(101);
    // Counters come with a log batch, and keep the series.
    state = switchboardReducer(state, {
      type: 'log-batch',
      batch: { entries: [], stats: stats({ active: 2 }) },
    });
    expect(state.series.end).toBe(101);
    expect(state.stats.active).toBe(2);

    const table = { commands: [{ name: 'PING', reply: 'PONG' }] };
    state = switchboardReducer(state, { type: 'commands', update: { table, presets: [], inbox: [] } });
    expect(state.commands?.table).toBe(table);
  });

  it('keeps rows older than a reloaded snapshot’s oldest', () => {
    const merged = mergeSnapshotRows(
      [logEntry(3), logEntry(4)],
      [logEntry(1), logEntry(2), logEntry(3)],
      3,
      10,
    );
    expect(seqs(merged.rows)).toEqual([1, 2, 3, 4]);
  });
});
