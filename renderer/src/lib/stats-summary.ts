/**
 * The chart's numbers in words: its text alternative and its legend.
 */
import type { StatsSeries } from '../../../electron/shared/ipc/models';
import { formatCompact } from './format';

/** Seconds averaged for the "now" rate: one second alone jumps between 0 and 1. */
export const NOW_WINDOW_S = 10;

export interface SeriesSummary {
  connectionsNow: number;
  commandsNow: number;
  connectionsPeak: number;
  commandsPeak: number;
}

/** Average of the last complete seconds (the newest bucket is still filling). */
function recentRate(values: readonly number[]): number {
  const complete = values.slice(0, -1).slice(-NOW_WINDOW_S);
  if (complete.length === 0) return 0;
  return complete.reduce((a, b) => a + b, 0) / complete.length;
}

export function summarise(series: StatsSeries): SeriesSummary {
  return {
    connectionsNow: recentRate(series.connections),
    commandsNow: recentRate(series.commands),
    connectionsPeak: Math.max(0, ...series.connections),
    commandsPeak: Math.max(0, ...series.commands),
  };
}

/** `0`, `0.4`, `12`, `29K`: one decimal only where it says something. */
export function formatRate(n: number): string {
  if (n === 0) return '0';
  return n < 10 ? (Math.round(n * 10) / 10).toFixed(1) : formatCompact(Math.round(n));
}

export function describeSeries(series: StatsSeries): string {
  const s = summarise(series);
  return (
    `Connections and commands per second over the last 5 minutes. ` +
    `Connections: ${formatRate(s.connectionsNow)} per second now, peak ${formatRate(s.connectionsPeak)}. ` +
    `Commands: ${formatRate(s.commandsNow)} per second now, peak ${formatRate(s.commandsPeak)}.`
  );
}
