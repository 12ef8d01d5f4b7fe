import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PushScheduler } from '../../electron/core/push-scheduler.js';

interface Conn {
  id: number;
  open: boolean;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('PushScheduler', () => {
  it('sends to each connection every period from its own connect, with one timer for all', () => {
    const sent: [number, number][] = [];
    const scheduler = new PushScheduler<Conn>(
      1000,
      (conn) => sent.push([conn.id, Date.now()]),
      (conn) => conn.open,
    );
    const t0 = Date.now();
    const conns = Array.from({ length: 500 }, (_, i) => ({ id: i, open: true }));
    for (const conn of conns.slice(0, 250)) scheduler.add(conn);
    vi.advanceTimersByTime(300);
    for (const conn of conns.slice(250)) scheduler.add(conn);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(2000);
    expect(vi.getTimerCount()).toBe(1);
    const times = (id: number): number[] => sent.filter(([c]) => c === id).map(([, at]) => at - t0);
    expect(times(0)).toEqual([1000, 2000]);
    expect(times(499)).toEqual([1300, 2300]);
    expect(sent).toHaveLength(1000);
  });

  it('drops a closed connection and stops its timer when none is left', () => {
    const send = vi.fn();
    const scheduler = new PushScheduler<Conn>(100, send, (conn) => conn.open);
    const conn = { id: 1, open: true };
    scheduler.add(conn);
    vi.advanceTimersByTime(100);
    conn.open = false;
    vi.advanceTimersByTime(1000);
    expect(send).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops every push at once', () => {
    const send = vi.fn();
    const scheduler = new PushScheduler<Conn>(100, send, () => true);
    scheduler.add({ id: 1, open: true });
    scheduler.stop();
    vi.advanceTimersByTime(1000);
    expect(send).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});
