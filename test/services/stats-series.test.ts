import { describe, expect, it } from 'vitest';
import { SERIES_SECONDS, StatsSeriesTracker } from '../../electron/services/stats-series.js';

/** A tracker on a clock the test moves by hand, starting at `startSecond`. */
function tracker(startSecond = 1_700_000_000): {
  series: StatsSeriesTracker;
  clock: { ms: number };
  at: (second: number, ms?: number) => number;
} {
  const clock = { ms: startSecond * 1000 };
  return {
    series: new StatsSeriesTracker(() => clock.ms),
    clock,
    at: (second, ms = 0) => second * 1000 + ms,
  };
}

/** An empty series with `counts` placed at the given offsets from the end (0 = the newest bucket). */
function withCounts(counts: Record<number, number>): number[] {
  const out = new Array<number>(SERIES_SECONDS).fill(0);
  for (const [back, count] of Object.entries(counts)) out[SERIES_SECONDS - 1 - Number(back)] = count;
  return out;
}

describe('StatsSeriesTracker', () => {
  it('keeps 300 one-second buckets, all empty at first, ending at the current second', () => {
    const { series } = tracker(1_700_000_000);
    expect(SERIES_SECONDS).toBe(300);
    const snap = series.snapshot();
    expect(snap.end).toBe(1_700_000_000);
    expect(snap.connections).toEqual(new Array<number>(300).fill(0));
    expect(snap.commands).toEqual(new Array<number>(300).fill(0));
  });

  it('counts events in the bucket of their second, connections and commands apart', () => {
    const s0 = 1_700_000_000;
    const { series, clock, at } = tracker(s0);
    clock.ms = at(s0, 999);
    series.connection(at(s0, 0));
    series.connection(at(s0, 999));
    series.command(at(s0, 500));
    const snap = series.snapshot();
    expect(snap.end).toBe(s0);
    expect(snap.connections).toEqual(withCounts({ 0: 2 }));
    expect(snap.commands).toEqual(withCounts({ 0: 1 }));
  });

  it('orders buckets oldest first, the last one being the current second', () => {
    const s0 = 1_700_000_000;
    const { series, clock, at } = tracker(s0);
    series.command(at(s0));
    clock.ms = at(s0 + 1);
    series.command(at(s0 + 1));
    series.command(at(s0 + 1));
    clock.ms = at(s0 + 5, 250);
    series.command(at(s0 + 5));
    series.command(at(s0 + 5));
    series.command(at(s0 + 5));
    const snap = series.snapshot();
    expect(snap.end).toBe(s0 + 5);
    expect(snap.commands).toEqual(withCounts({ 0: 3, 4: 2, 5: 1 }));
    expect(snap.connections).toEqual(withCounts({}));
  });

  it('ends at the current second even when nothing happened since', () => {
    const s0 = 1_700_000_000;
    const { series, clock, at } = tracker(s0);
    series.connection(at(s0));
    clock.ms = at(s0 + 42, 700);
    const snap = series.snapshot();
    expect(snap.end).toBe(s0 + 42);
    expect(snap.connections).toEqual(withCounts({ 42: 1 }));
  });

  it('keeps an event 299 s old and drops one 300 s old: the window is 300 buckets', () => {
    const s0 = 1_700_000_000;
    const { series, clock, at } = tracker(s0);
    clock.ms = at(s0 + 1000);
    series.command(at(s0 + 1000 - 299));
    series.command(at(s0 + 1000 - 300));
    series.command(at(s0 + 1000 - 5000));
    const snap = series.snapshot();
    expect(snap.commands).toEqual(withCounts({ 299: 1 }));
    expect(snap.commands.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('empties the buckets it passes over as time moves on, and keeps the rest', () => {
    const s0 = 1_700_000_000;
    const { series, clock, at } = tracker(s0);
    for (let k = 0; k < SERIES_SECONDS; k++) {
      clock.ms = at(s0 + k);
      series.connection(at(s0 + k));
    }
    expect(series.snapshot().connections).toEqual(new Array<number>(300).fill(1));
    clock.ms = at(s0 + 299 + 10);
    const snap = series.snapshot();
    expect(snap.end).toBe(s0 + 309);
    // The ten newest seconds had nothing; the 290 before them still hold one each.
    expect(snap.connections).toEqual([...new Array<number>(290).fill(1), ...new Array<number>(10).fill(0)]);
  });

  it('empties every bucket after a jump of more than 300 s, and counts on from there', () => {
    const s0 = 1_700_000_000;
    const { series, clock, at } = tracker(s0);
    for (let k = 0; k < 50; k++) series.command(at(s0 - k));
    clock.ms = at(s0 + 301);
    expect(series.snapshot().commands).toEqual(withCounts({}));
    clock.ms = at(s0 + 100_000);
    series.command(at(s0 + 100_000));
    const snap = series.snapshot();
    expect(snap.end).toBe(s0 + 100_000);
    expect(snap.commands).toEqual(withCounts({ 0: 1 }));
  });

  it('drops what was 300 s ago after exactly 300 s, without touching newer buckets', () => {
    const s0 = 1_700_000_000;
    const { series, clock, at } = tracker(s0);
    series.command(at(s0));
    clock.ms = at(s0 + 1);
    series.command(at(s0 + 1));
    clock.ms = at(s0 + 300);
    expect(series.snapshot().commands).toEqual(withCounts({ 299: 1 }));
  });

  it('moves on by itself when an event comes from a later second than the clock says', () => {
    const s0 = 1_700_000_000;
    const { series, at } = tracker(s0);
    series.connection(at(s0 + 2));
    const snap = series.snapshot();
    expect(snap.end).toBe(s0 + 2);
    expect(snap.connections).toEqual(withCounts({ 0: 1 }));
  });

  it('gives a fresh copy each time: changing a snapshot changes nothing', () => {
    const { series } = tracker();
    const snap = series.snapshot();
    snap.commands[299] = 99;
    expect(series.snapshot().commands[299]).toBe(0);
  });
});
