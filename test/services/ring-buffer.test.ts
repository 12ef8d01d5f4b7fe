import { describe, expect, it } from 'vitest';
import { LINE_ROW, REPLY_ROW, type ExchangeBatch } from '../../electron/core/server.js';
import { lineRow, replyRow } from '../../electron/services/log-entries.js';
import { LogRing, RingBuffer } from '../../electron/services/ring-buffer.js';
import type { LogRecord } from '../../electron/shared/ipc/models.js';

function filled(capacity: number, count: number): RingBuffer<number> {
  const ring = new RingBuffer<number>(capacity);
  for (let i = 1; i <= count; i++) ring.push(i);
  return ring;
}

describe('RingBuffer', () => {
  it('starts empty', () => {
    const ring = new RingBuffer<string>(3);
    expect(ring.size).toBe(0);
    expect(ring.toArray()).toEqual([]);
    expect(ring.capacity).toBe(3);
  });

  it('keeps everything, oldest first, while under capacity', () => {
    const ring = filled(5, 3);
    expect(ring.size).toBe(3);
    expect(ring.toArray()).toEqual([1, 2, 3]);
  });

  it('keeps exactly capacity items when full', () => {
    expect(filled(4, 4).toArray()).toEqual([1, 2, 3, 4]);
  });

  it('drops the oldest items past capacity, keeping the last ones in order', () => {
    const ring = filled(4, 11);
    expect(ring.size).toBe(4);
    expect(ring.toArray()).toEqual([8, 9, 10, 11]);
  });

  it('stays correct across many wraps', () => {
    const ring = filled(7, 1000);
    expect(ring.toArray()).toEqual([994, 995, 996, 997, 998, 999, 1000]);
  });

  it('with capacity 1 keeps only the last item', () => {
    expect(filled(1, 5).toArray()).toEqual([5]);
  });

  it('toArray returns a copy that later pushes do not change', () => {
    const ring = filled(3, 3);
    const before = ring.toArray();
    ring.push(4);
    expect(before).toEqual([1, 2, 3]);
    expect(ring.toArray()).toEqual([2, 3, 4]);
  });

  it('clear empties it, and it fills again from the start', () => {
    const ring = filled(3, 5);
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.toArray()).toEqual([]);
    ring.push(42);
    ring.push(43);
    expect(ring.toArray()).toEqual([42, 43]);
  });

  it('keeps falsy items such as 0, empty strings and undefined as items', () => {
    const ring = new RingBuffer<number | string | undefined>(3);
    ring.push(0);
    ring.push('');
    ring.push(undefined);
    expect(ring.size).toBe(3);
    expect(ring.toArray()).toEqual([0, '', undefined]);
  });
});

describe('LogRing', () => {
  const remote = '127.0.0.1:5000';
  function batchOf(at: number, conn: number, rows: [number, string, number][]): ExchangeBatch {
    return {
      at,
      conn,
      length: rows.length,
      kinds: rows.map((r) => r[0]),
      texts: rows.map((r) => r[1]),
      bytes: rows.map((r) => r[2]),
      unknown: rows.map(() => false),
    };
  }
  const open = (seq: number): LogRecord => ({
    seq,
    at: 1,
    conn: 1,
    remote,
    kind: 'open',
    detail: 'connected',
  });

  it('gives back lines and replies as the rows the log shows for them, other rows as they came', () => {
    const ring = new LogRing(10);
    ring.append(open(1));
    ring.appendRows({
      firstSeq: 2,
      remote,
      batch: batchOf(1000, 1, [
        [LINE_ROW, 'SONG', 5],
        [REPLY_ROW, 'A\r\nB\r\n', 6],
        [LINE_ROW, 'x\u0001', 3],
      ]),
    });
    expect(ring.toArray()).toEqual([
      open(1),
      { seq: 2, ...lineRow(1000, 1, remote, 'SONG', 5) },
      { seq: 3, ...replyRow(1000, 1, remote, 'A\r\nB\r\n', 6) },
      { seq: 4, ...lineRow(1000, 1, remote, 'x\u0001', 3) },
    ]);
    expect(ring.toArray()[2]?.detail).toBe('A ⏎ B (6 bytes)');
    expect(ring.lastSeq).toBe(4);
  });

  it('keeps the newest rows; after() gives at most max of those above a seq and counts the rest', () => {
    const ring = new LogRing(5);
    for (let seq = 1; seq <= 12; seq++) {
      ring.appendRows({ firstSeq: seq, remote, batch: batchOf(seq, 1, [[LINE_ROW, `L${seq % 3}`, 3]]) });
    }
    expect(ring.size).toBe(5);
    expect(ring.toArray().map((e) => e.seq)).toEqual([8, 9, 10, 11, 12]);
    // 9 rows came after seq 3; the ring holds 5 of them and 2 are asked for.
    const { entries, skipped } = ring.after(3, 2);
    expect(entries.map((e) => [e.seq, e.text])).toEqual([
      [11, 'L2'],
      [12, 'L0'],
    ]);
    expect(skipped).toBe(7);
    expect(ring.after(12)).toEqual({ entries: [], skipped: 0 });
    ring.clear();
    expect(ring.toArray()).toEqual([]);
  });
});
