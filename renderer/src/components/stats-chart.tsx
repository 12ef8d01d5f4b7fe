/**
 * Connections and commands per second over the last five minutes, drawn by
 * uPlot on a canvas.
 *
 * - Redrawn at most four times a second, on an animation frame, with the
 *   newest series (main sends no more often, but the window may be busy).
 * - Sized to its box with a ResizeObserver; created once the box has a size.
 * - Coloured from the theme's CSS variables, and made again when the system
 *   switches between light and dark (a canvas cannot follow CSS by itself).
 * - Its text alternative says the current and peak rates; the legend shows
 *   the same numbers.
 *
 * uPlot is loaded on first use, so the window's first paint does not wait
 * for it (and tests without a canvas never load it).
 */
import { useEffect, useRef, type ReactElement } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { StatsSeries } from '../../../electron/shared/ipc/models';
import { createThrottle } from '../lib/frame-throttle';
import { describeSeries, formatRate, summarise } from '../lib/stats-summary';
import { formatClock, formatCompact } from '../lib/format';

/** At most four redraws a second. */
export const REDRAW_INTERVAL_MS = 250;
const HEIGHT = 96;

type ChartData = [number[], number[], number[]];

export function toChartData(series: StatsSeries): ChartData {
  const n = Math.max(series.connections.length, series.commands.length);
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(series.end - (n - 1) + i);
  return [xs, series.connections.slice(), series.commands.slice()];
}

interface ChartColors {
  connections: string;
  commands: string;
  grid: string;
  axis: string;
  font: string;
}

function readColors(el: Element): ChartColors {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  return {
    connections: v('--chart-connections', '#5e5ce6'),
    commands: v('--chart-commands', '#0f9d8f'),
    grid: v('--chart-grid', 'rgba(128,128,128,0.2)'),
    axis: v('--chart-axis', '#848b98'),
    font: `10px ${v('--font-ui', 'sans-serif')}`,
  };
}

function chartOptions(width: number, colors: ChartColors): uPlot.Options {
  const axis = {
    stroke: colors.axis,
    font: colors.font,
    grid: { stroke: colors.grid, width: 1 },
    ticks: { show: false },
  };
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { show: false },
    // Room on the right for the last time label (08:05), which uPlot centres on its tick.
    padding: [6, 16, 0, 0],
    scales: {
      x: { time: true },
      // From zero, and at least 0…4, so a quiet server shows a flat line low down, not noise blown up.
      y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] },
    },
    axes: [
      {
        ...axis,
        size: 18,
        space: 44,
        values: (_u, splits) => splits.map((s) => formatClock(s * 1000).slice(0, 5)),
      },
      {
        ...axis,
        // Wide enough for its longest label, so no digit is ever cut: 12K, 1.2M.
        size: (_u, values) => yAxisWidth(values),
        space: 22,
        values: (_u, splits) => splits.map((s) => formatCompact(s)),
      },
    ],
    series: [
      {},
      { label: 'Connections/s', stroke: colors.connections, width: 1.5, points: { show: false } },
      { label: 'Commands/s', stroke: colors.commands, width: 1.5, points: { show: false } },
    ],
  };
}

/** Pixels for the y axis: its labels at 10px (about 6.5px a character) and a gap. */
export function yAxisWidth(labels: unknown): number {
  // uPlot asks before it has made any labels too (null, whatever its types say).
  const list: unknown[] = Array.isArray(labels) ? labels : [];
  const longest = Math.max(1, ...list.map((l) => (typeof l === 'string' ? l.length : 1)));
  return Math.ceil(longest * 6.5) + 10;
}

export function StatsChart({ series }: { series: StatsSeries }): ReactElement {
  const box = useRef<HTMLDivElement>(null);
  const latest = useRef(series);
  const push = useRef<(s: StatsSeries) => void>(() => undefined);

  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    let chart: uPlot | null = null;
    let width = 0;
    let disposed = false;
    let loading: Promise<typeof uPlot> | null = null;

    const throttle = createThrottle<StatsSeries>(REDRAW_INTERVAL_MS, (s) => chart?.setData(toChartData(s)));
    push.current = (s) => throttle.push(s);

    const build = (): void => {
      loading ??= import('uplot').then((m) => m.default);
      void loading.then((UPlot) => {
        if (disposed || width === 0) return;
        chart?.destroy();
        chart = new UPlot(chartOptions(width, readColors(el)), toChartData(latest.current), el);
      });
    };

    const resize = new ResizeObserver(([entry]) => {
      const w = Math.floor(entry?.contentRect.width ?? 0);
      if (w === 0 || w === width) return;
      width = w;
      if (chart) chart.setSize({ width, height: HEIGHT });
      else build();
    });
    resize.observe(el);

    // The colours are read once per chart: a theme switch makes a new one.
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', build);

    return () => {
      disposed = true;
      resize.disconnect();
      scheme.removeEventListener('change', build);
      throttle.cancel();
      push.current = () => undefined;
      chart?.destroy();
    };
  }, []);

  useEffect(() => {
    latest.current = series;
    push.current(series);
  }, [series]);

  const summary = summarise(series);
  return (
    <figure className="stats-chart">
      <div className="stats-chart-canvas" role="img" aria-label={describeSeries(series)} ref={box} />
      <figcaption className="stats-legend" aria-hidden="true">
        <span className="stats-legend-item stats-legend-item--connections">
          Connections/s <strong>{formatRate(summary.connectionsNow)}</strong>
        </span>
        <span className="stats-legend-item stats-legend-item--commands">
          Commands/s <strong>{formatRate(summary.commandsNow)}</strong>
        </span>
      </figcaption>
    </figure>
  );
}
