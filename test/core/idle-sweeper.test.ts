import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleSweeper, type Expiry, type Watched } from '../../electron/core/idle-sweeper.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(idleMs: number, lineMs: number, maxSweepMs = 1000) {
  const items = new Set<Watched & { name: string }>();
  const expired: string[] = [];
  const sweeper = new IdleSweeper(
    () => items,
    (item, why: Expiry) => {
      expired.push(`${item.name} ${why}`);
      items.delete(item);
    },
    maxSweepMs,
  );
  sweeper.configure({ idleMs, lineMs });
  const add = (name: string): Watched & { name: string } => {
    const item = { name, activeSweep: sweeper.now, lineSweep: -1 };
    items.add(item);
    sweeper.start();
    return item;
  };
  return { sweeper, expired, add };
}

describe('IdleSweeper', () => {
  it('expires a silent connection no sooner than the timeout and within two sweeps of it', () => {
    const { expired, add } = setup(800, 0);
    add('a');
    vi.advanceTimersByTime(799);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(200); // sweeps are 100 ms apart
    expect(expired).toEqual(['a idle']);
  });

  it('keeps a connection that is active', () => {
    const { sweeper, expired, add } = setup(800, 0);
    const a = add('a');
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(100);
      a.activeSweep = sweeper.now;
    }
    expect(expired).toEqual([]);
  });

  it('expires an unfinished line after the line timeout, however active the connection is', () => {
    const { sweeper, expired, add } = setup(10_000, 400);
    const a = add('a');
    const b = add('b');
    a.lineSweep = sweeper.now;
    for (let i = 0; i < 9; i++) {
      vi.advanceTimersByTime(50);
      a.activeSweep = sweeper.now;
      b.activeSweep = sweeper.now;
    }
    expect(expired).toEqual(['a line-timeout']);
  });

  it('sweeps at most every maxSweepMs, and not at all without a timeout or connections', () => {
    const long = setup(3_600_000, 0, 20);
    long.add('a');
    vi.advanceTimersByTime(100);
    expect(long.sweeper.now).toBe(5);
    const none = setup(0, 0);
    none.add('b');
    vi.advanceTimersByTime(10_000);
    expect(none.sweeper.now).toBe(0);
    expect(vi.getTimerCount()).toBe(1); // the long one's only
  });

  it('stops once nothing is left to watch', () => {
    const { expired, add } = setup(80, 0);
    add('a');
    vi.advanceTimersByTime(1000);
    expect(expired).toEqual(['a idle']);
    expect(vi.getTimerCount()).toBe(0);
  });
});
