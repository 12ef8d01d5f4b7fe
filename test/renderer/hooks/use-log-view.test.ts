import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../electron/shared/ipc/models';
import { useLogView } from '../../../renderer/src/hooks/use-log-view';
import { logEntry } from '../fake-bridge';

const seqs = (rows: readonly { seq: number }[]): number[] => rows.map((r) => r.seq);

function setup(initial: LogEntry[]) {
  return renderHook(({ live }: { live: readonly LogEntry[] }) => useLogView(live), {
    initialProps: { live: initial },
  });
}

describe('useLogView', () => {
  const base = [
    logEntry(1, { conn: 1, kind: 'open' }),
    logEntry(2, { conn: 1, kind: 'line', detail: 'SONG' }),
    logEntry(3, { conn: 2, kind: 'line', detail: 'QUOTE' }),
  ];

  it('shows the live rows as they are until a filter is set', () => {
    const { result } = setup(base);
    expect(result.current.rows).toBe(base);
    expect(result.current.filtering).toBe(false);
  });

  it('filters by kind, by connection and by text', () => {
    const { result } = setup(base);
    act(() => result.current.setKinds('kind:line'));
    expect(seqs(result.current.rows)).toEqual([2, 3]);
    act(() => result.current.setConnText('#2'));
    expect(seqs(result.current.rows)).toEqual([3]);
    expect(result.current.filter.conn).toBe(2);
    act(() => result.current.setConnText(''));
    act(() => result.current.setSearch('song'));
    expect(seqs(result.current.rows)).toEqual([2]);
    expect(result.current.filtering).toBe(true);
  });

  it('says why the Connection field cannot be read, and ignores it meanwhile', () => {
    const { result } = setup(base);
    act(() => result.current.setConnText('twelve'));
    expect(result.current.connError).toBe('a connection number, like #12');
    expect(result.current.rows).toBe(base);
  });

  it('holds the rows still while paused, counts what came, and shows it on resume', () => {
    const { result, rerender } = setup(base);
    act(() => result.current.pause());
    expect(result.current.paused).toBe(true);
    const more = [...base, logEntry(4, { conn: 2, kind: 'reply' }), logEntry(5, { conn: 1, kind: 'line' })];
    rerender({ live: more });
    expect(seqs(result.current.rows)).toEqual([1, 2, 3]);
    expect(result.current.newCount).toBe(2);
    // The count follows the filters: only new rows that would be shown.
    act(() => result.current.setConnText('#1'));
    expect(result.current.newCount).toBe(1);
    expect(seqs(result.current.rows)).toEqual([1, 2]);
    act(() => result.current.resume());
    expect(result.current.paused).toBe(false);
    expect(result.current.newCount).toBe(0);
    expect(seqs(result.current.rows)).toEqual([1, 2, 5]);
  });

  it('keeps the frozen rows even when old rows drop off the live log', () => {
    const { result, rerender } = setup(base);
    act(() => result.current.pause());
    rerender({ live: [logEntry(3), logEntry(4), logEntry(5)] });
    expect(seqs(result.current.rows)).toEqual([1, 2, 3]);
    expect(result.current.newCount).toBe(2);
  });
});
