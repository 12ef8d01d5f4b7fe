/**
 * The chart's time keeps moving when nothing happens: main sends the series
 * only when something is logged, so after Stop (or on a quiet server) the
 * window moves it on itself, with empty seconds, and the rates fall to zero.
 */
import type { StatsSeries } from '../../../electron/shared/ipc/models';

/** `series` as of the epoch second `now`: seconds since its end are added as zeros, as many dropped from the front. */
export function advanceSeries(series: StatsSeries, now: number): StatsSeries {
  const gap = now - series.end;
  if (gap <= 0 || series.end === 0) return series;
  const shift = (values: readonly number[]): number[] => {
    const n = values.length;
    if (gap >= n) return new Array<number>(n).fill(0);
    return values.slice(gap).concat(new Array<number>(gap).fill(0));
  };
  return { end: now, connections: shift(series.connections), commands: shift(series.commands) };
}
