import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveStats } from '../../../renderer/src/components/live-stats';
import { advanceSeries } from '../../../renderer/src/lib/series-clock';
import { stats } from '../fake-bridge';

afterEach(() => {
  vi.useRealTimers();
});

const chartLabel = (): string => screen.getByRole('img').getAttribute('aria-label') ?? '';

describe('LiveStats', () => {
  it('puts the counters and the chart’s summary in one named card', () => {
    const end = Math.floor(Date.now() / 1000);
    render(
      <LiveStats
        stats={stats({ active: 3 })}
        series={{ end, connections: [0, 4, 0], commands: [0, 8, 0] }}
      />,
    );
    expect(screen.getByRole('region', { name: 'Live' })).toBeTruthy();
    expect(screen.getByLabelText('Active connections').textContent).toBe('3');
    expect(chartLabel()).toContain('peak 4.0');
  });

  it('after the traffic stops (no more updates from main), the rates fall to zero as time moves on', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const end = Math.floor(Date.now() / 1000);
    // Ten busy seconds, the newest one still filling.
    const busy = new Array<number>(300).fill(0).map((_, i) => (i >= 289 ? 50 : 0));
    render(<LiveStats stats={stats()} series={{ end, connections: busy, commands: busy }} />);
    expect(chartLabel()).toMatch(/Commands: 50 per second now/);
    act(() => {
      vi.advanceTimersByTime(5000);
    });
    expect(chartLabel()).toMatch(/Commands: 30 per second now/);
    act(() => {
      vi.advanceTimersByTime(7000);
    });
    expect(chartLabel()).toMatch(/Commands: 0 per second now, peak 50/);
    // Five minutes on, even the peak has left the chart.
    act(() => {
      vi.advanceTimersByTime(300_000);
    });
    expect(chartLabel()).toMatch(/Commands: 0 per second now, peak 0/);
  });

  it('Reset asks for a new measurement', async () => {
    const onReset = vi.fn();
    render(
      <LiveStats stats={stats()} series={{ end: 0, connections: [], commands: [] }} onReset={onReset} />,
    );
    await userEvent.setup().click(screen.getByRole('button', { name: 'Reset' }));
    expect(onReset).toHaveBeenCalledTimes(1);
  });
});

describe('advanceSeries', () => {
  it('moves the series to now with empty seconds, keeping its length', () => {
    const series = { end: 100, connections: [1, 2, 3, 4], commands: [5, 6, 7, 8] };
    expect(advanceSeries(series, 100)).toBe(series);
    expect(advanceSeries(series, 99)).toBe(series);
    expect(advanceSeries(series, 102)).toEqual({
      end: 102,
      connections: [3, 4, 0, 0],
      commands: [7, 8, 0, 0],
    });
    expect(advanceSeries(series, 1000)).toEqual({
      end: 1000,
      connections: [0, 0, 0, 0],
      commands: [0, 0, 0, 0],
    });
    // No series yet (end 0): nothing to move.
    const none = { end: 0, connections: [], commands: [] };
    expect(advanceSeries(none, 5)).toBe(none);
  });
});
