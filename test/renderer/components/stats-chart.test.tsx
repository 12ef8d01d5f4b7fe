import { act, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StatsSeries } from '../../../electron/shared/ipc/models';
import {
  REDRAW_INTERVAL_MS,
  StatsChart,
  toChartData,
  yAxisWidth,
} from '../../../renderer/src/components/stats-chart';

/** Stands in for uPlot, which needs a real canvas: records what the chart asks of it. */
const charts: FakePlot[] = [];
class FakePlot {
  data: unknown[][];
  sizes: { width: number; height: number }[] = [];
  updates: unknown[][][] = [];
  /** When each update came (performance.now()). */
  updatedAt: number[] = [];
  destroyed = false;
  constructor(
    readonly options: { width: number; series: { stroke?: string }[] },
    data: unknown[][],
    readonly target: HTMLElement,
  ) {
    this.data = data;
    charts.push(this);
  }
  setData(data: unknown[][]): void {
    this.updates.push(data);
    this.updatedAt.push(performance.now());
  }
  setSize(size: { width: number; height: number }): void {
    this.sizes.push(size);
  }
  destroy(): void {
    this.destroyed = true;
  }
}
vi.mock('uplot', () => ({ default: FakePlot }));

/** jsdom has neither; the chart needs both. */
let resize: (width: number) => void = () => undefined;
let schemeChanged: () => void = () => undefined;
beforeEach(() => {
  charts.length = 0;
  vi.stubGlobal(
    'ResizeObserver',
    class {
      constructor(callback: (entries: { contentRect: { width: number } }[]) => void) {
        resize = (width) => callback([{ contentRect: { width } }]);
      }
      observe(): void {}
      disconnect(): void {}
    },
  );
  vi.stubGlobal('matchMedia', () => ({
    matches: false,
    addEventListener: (_: string, fn: () => void) => (schemeChanged = fn),
    removeEventListener: () => undefined,
  }));
});
afterEach(() => {
  vi.unstubAllGlobals();
});

/** The theme's colour, where jsdom (which does not inherit custom properties) reads it: on the box. */
const setThemeColor = (color: string): void =>
  screen.getByRole('img').style.setProperty('--chart-connections', color);

const series = (n: number): StatsSeries => ({ end: 1000, connections: [0, n], commands: [n, 2 * n] });

describe('StatsChart', () => {
  it('lays the seconds out on the x axis, oldest first', () => {
    expect(toChartData({ end: 1000, connections: [1, 2, 3], commands: [4, 5, 6] })).toEqual([
      [998, 999, 1000],
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('is made once its box has a size, coloured from the theme', async () => {
    render(<StatsChart series={series(1)} />);
    expect(charts).toHaveLength(0);
    setThemeColor('#111111');
    act(() => resize(240));
    await waitFor(() => expect(charts).toHaveLength(1));
    const chart = charts[0];
    expect(chart?.options.width).toBe(240);
    expect(chart?.options.series[1]?.stroke).toBe('#111111');
    expect(chart?.data).toEqual([
      [999, 1000],
      [0, 1],
      [1, 2],
    ]);
    expect(chart?.target).toBe(screen.getByRole('img'));
  });

  it('follows its box’s width', async () => {
    render(<StatsChart series={series(1)} />);
    act(() => resize(240));
    await waitFor(() => expect(charts).toHaveLength(1));
    act(() => resize(300));
    expect(charts[0]?.sizes).toEqual([{ width: 300, height: 96 }]);
  });

  it('redraws with the newest series, at most four times a second', async () => {
    const { rerender } = render(<StatsChart series={series(1)} />);
    act(() => resize(240));
    await waitFor(() => expect(charts).toHaveLength(1));
    const chart = charts[0] as FakePlot;
    rerender(<StatsChart series={series(2)} />);
    await waitFor(() => expect(chart.updates).toHaveLength(1));
    rerender(<StatsChart series={series(3)} />);
    rerender(<StatsChart series={series(4)} />);
    rerender(<StatsChart series={series(5)} />);
    await waitFor(() => expect(chart.updates).toHaveLength(2));
    // Three series came within the interval: one redraw, with the newest, no sooner than the interval
    // allows (a busy machine can only make the gap longer). No sleep asserts what did not happen.
    expect(chart.updates).toHaveLength(2);
    const [first = 0, second = 0] = chart.updatedAt;
    expect(second - first).toBeGreaterThanOrEqual(REDRAW_INTERVAL_MS - 20);
    expect(chart.updates[1]).toEqual([
      [999, 1000],
      [0, 5],
      [5, 10],
    ]);
  });

  it('is made again in the new colours when the system switches theme', async () => {
    render(<StatsChart series={series(1)} />);
    act(() => resize(240));
    await waitFor(() => expect(charts).toHaveLength(1));
    setThemeColor('#eeeeee');
    act(() => schemeChanged());
    await waitFor(() => expect(charts).toHaveLength(2));
    expect(charts[0]?.destroyed).toBe(true);
    expect(charts[1]?.options.series[1]?.stroke).toBe('#eeeeee');
  });

  it('says the rates in words and in its legend, and lets the chart go when it goes', async () => {
    const { unmount } = render(
      <StatsChart series={{ end: 5, connections: [2, 2, 9], commands: [0, 1, 0] }} />,
    );
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe(
      'Connections and commands per second over the last 5 minutes. ' +
        'Connections: 2.0 per second now, peak 9.0. Commands: 0.5 per second now, peak 1.0.',
    );
    expect(document.querySelector('.stats-legend')?.textContent).toBe('Connections/s 2.0Commands/s 0.5');
    act(() => resize(240));
    await waitFor(() => expect(charts).toHaveLength(1));
    unmount();
    expect(charts[0]?.destroyed).toBe(true);
  });

  it('gives the y axis room for its longest label, in compact notation', () => {
    expect(yAxisWidth(['0', '2', '4'])).toBeLessThan(yAxisWidth(['0', '10K', '20K']));
    // Each character is 10px text at most 6.5px wide: "1.2M" fits whole.
    expect(yAxisWidth(['1.2M'])).toBeGreaterThanOrEqual(4 * 6.5 + 8);
    // Before uPlot has labels it asks with none.
    expect(yAxisWidth(null)).toBeGreaterThan(0);
  });
});
