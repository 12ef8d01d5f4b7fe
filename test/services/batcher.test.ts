import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Batcher } from '../../electron/services/batcher.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A batcher that records each delivery and when it came. */
function recording(intervalMs: number): { batcher: Batcher<number>; batches: number[][]; times: number[] } {
  const batches: number[][] = [];
  const times: number[] = [];
  const batcher = new Batcher<number>(intervalMs, (items) => {
    batches.push(items);
    times.push(Date.now());
  });
  return { batcher, batches, times };
}

describe('Batcher', () => {
  it('delivers a first item after an idle time on the next turn, not an interval later', () => {
    const { batcher, batches } = recording(50);
    batcher.push(1);
    expect(batches).toEqual([]); // never synchronously
    vi.advanceTimersByTime(0);
    expect(batches).toEqual([[1]]);
  });

  it('gathers items pushed in the same turn into one batch', () => {
    const { batcher, batches } = recording(50);
    for (let i = 0; i < 100; i++) batcher.push(i);
    expect(batcher.pending).toBe(100);
    vi.advanceTimersByTime(0);
    expect(batches).toEqual([Array.from({ length: 100 }, (_, i) => i)]);
    expect(batcher.pending).toBe(0);
  });

  it('delivers at most once per interval under a continuous burst, losing nothing and keeping order', () => {
    const interval = 50;
    const { batcher, batches, times } = recording(interval);
    let next = 0;
    // One push every millisecond for one second.
    for (let ms = 0; ms < 1000; ms++) {
      batcher.push(next++);
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(interval);
    expect(batches.length).toBeLessThanOrEqual(1000 / interval + 1);
    expect(batches.length).toBeGreaterThanOrEqual(1000 / interval - 1);
    for (let i = 1; i < times.length; i++) {
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(interval);
    }
    expect(batches.flat()).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('holds a push right after a delivery until the interval has passed', () => {
    const { batcher, batches } = recording(50);
    batcher.push(1);
    vi.advanceTimersByTime(0);
    vi.advanceTimersByTime(10);
    batcher.push(2);
    vi.advanceTimersByTime(39);
    expect(batches).toEqual([[1]]);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([[1], [2]]);
  });

  it('leaves no timer pending once everything is delivered', () => {
    const { batcher, batches } = recording(50);
    expect(vi.getTimerCount()).toBe(0);
    batcher.push(1);
    batcher.push(2);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(0);
    expect(batches).toEqual([[1, 2]]);
    expect(vi.getTimerCount()).toBe(0);
    // Still idle much later: nothing wakes up.
    vi.advanceTimersByTime(10_000);
    expect(batches).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('flush delivers what waits at once and cancels the timer', () => {
    const { batcher, batches } = recording(50);
    batcher.push(1);
    vi.advanceTimersByTime(0);
    batcher.push(2);
    batcher.push(3);
    expect(vi.getTimerCount()).toBe(1);
    batcher.flush();
    expect(batches).toEqual([[1], [2, 3]]);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('flush with nothing waiting delivers nothing', () => {
    const { batcher, batches } = recording(50);
    batcher.flush();
    expect(batches).toEqual([]);
  });

  it('a flush counts as a delivery for the interval', () => {
    const { batcher, batches } = recording(50);
    batcher.push(1);
    batcher.flush();
    batcher.push(2);
    vi.advanceTimersByTime(49);
    expect(batches).toEqual([[1]]);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([[1], [2]]);
  });

  it('accepts items pushed from inside a delivery, in the next batch', () => {
    const batches: number[][] = [];
    const batcher: Batcher<number> = new Batcher<number>(50, (items) => {
      batches.push(items);
      if (items.includes(1)) batcher.push(99);
    });
    batcher.push(1);
    vi.advanceTimersByTime(0);
    expect(batches).toEqual([[1]]);
    vi.advanceTimersByTime(50);
    expect(batches).toEqual([[1], [99]]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
