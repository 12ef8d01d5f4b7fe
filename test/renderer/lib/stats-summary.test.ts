import { describe, expect, it } from 'vitest';
import { describeSeries, formatRate, summarise } from '../../../renderer/src/lib/stats-summary';

const series = (connections: number[], commands: number[]) => ({ end: 1000, connections, commands });

describe('stats summary', () => {
  it('averages the last ten complete seconds, leaving out the one still filling', () => {
    const conn = [...Array<number>(290).fill(0), 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 50];
    const s = summarise(
      series(
        conn,
        conn.map((n) => n * 2),
      ),
    );
    expect(s.connectionsNow).toBe(1);
    expect(s.commandsNow).toBe(2);
    expect(s.connectionsPeak).toBe(50);
    expect(s.commandsPeak).toBe(100);
  });

  it('is all zero for an empty series', () => {
    expect(summarise(series([], []))).toEqual({
      connectionsNow: 0,
      commandsNow: 0,
      connectionsPeak: 0,
      commandsPeak: 0,
    });
  });

  it('rounds rates to what is worth reading', () => {
    expect(formatRate(0)).toBe('0');
    expect(formatRate(0.04)).toBe('0.0');
    expect(formatRate(0.45)).toBe('0.5');
    expect(formatRate(3)).toBe('3.0');
    expect(formatRate(12.6)).toBe('13');
  });

  it('says the rates in words for the chart’s text alternative', () => {
    const conn = [0, 0, 2, 4, 0];
    expect(describeSeries(series(conn, [1, 1, 1, 1, 1]))).toBe(
      'Connections and commands per second over the last 5 minutes. ' +
        'Connections: 1.5 per second now, peak 4.0. Commands: 1.0 per second now, peak 1.0.',
    );
  });
});
