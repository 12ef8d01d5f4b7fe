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

  it("shows one extra listener's counters when picked, the select only once there are extra listeners", async () => {
    const user = userEvent.setup();
    const end = Math.floor(Date.now() / 1000);
    const series = { end, connections: [0], commands: [0] };
    const { rerender } = render(<LiveStats stats={stats({ active: 3, commands: 10 })} series={series} />);
    expect(screen.queryByLabelText('Stats of listener')).toBeNull();
    const api = {
      name: 'api',
      stats: stats({ active: 1, total: 4, commands: 77, bytesIn: 2048, errors: 2 }),
    };
    const events = { name: 'events' };
    const extra = [api, events];
    rerender(<LiveStats stats={stats({ active: 3, commands: 10 })} series={series} listeners={extra} />);
    const select = screen.getByLabelText<HTMLSelectElement>('Stats of listener');
    expect([...select.options].map((o) => o.value)).toEqual(['default', 'api', 'events']);
    expect(screen.getByLabelText('Active connections').textContent).toBe('3');
    await user.selectOptions(select, 'api');
    expect(screen.getByLabelText('Active connections').textContent).toBe('1');
    expect(screen.getByLabelText('Total connections').textContent).toBe('4');
    expect(screen.getByText('Counters of api; the chart is of default.')).toBeTruthy();
    expect(screen.getByLabelText('Bytes in').getAttribute('data-value')).toBe('2,048 bytes');
    // One not heard from yet counts zeros.
    await user.selectOptions(select, 'events');
    expect(screen.getByLabelText('Active connections').textContent).toBe('0');
    // Removed while picked: back to the window's own.
    rerender(<LiveStats stats={stats({ active: 3, commands: 10 })} series={series} listeners={[events]} />);
    await user.selectOptions(screen.getByLabelText('Stats of listener'), 'events');
    rerender(<LiveStats stats={stats({ active: 3, commands: 10 })} series={series} listeners={[api]} />);
    expect(screen.getByLabelText<HTMLSelectElement>('Stats of listener').value).toBe('default');
    expect(screen.getByLabelText('Active connections').textContent).toBe('3');
  });
});
