import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TurnScheduler } from '../../electron/core/turn-scheduler.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setImmediate'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const BUDGET = { outputBytes: 100, inputBytes: 50, lines: 3 };

describe('TurnScheduler', () => {
  it.each([
    ['output bytes', (t: TurnScheduler<string>) => t.spendOutput(100)],
    ['input bytes', (t: TurnScheduler<string>) => t.spendLine(50)],
    ['lines', (t: TurnScheduler<string>) => [1, 2, 3].forEach(() => t.spendLine(0))],
  ])('is exhausted once a turn has spent its %s, and fresh in the next turn', (_, spend) => {
    const turns = new TurnScheduler<string>(BUDGET, () => undefined);
    expect(turns.exhausted).toBe(false);
    spend(turns);
    expect(turns.exhausted).toBe(true);
    vi.runAllTicks();
    vi.advanceTimersToNextTimer();
    expect(turns.exhausted).toBe(false);
  });

  it('resumes the waiting in order in the next turn, each once', () => {
    const resumed: string[] = [];
    const turns = new TurnScheduler<string>(BUDGET, (item) => resumed.push(item));
    turns.spendOutput(100);
    for (const item of ['a', 'b', 'a', 'c']) turns.wait(item);
    expect(resumed).toEqual([]);
    vi.advanceTimersToNextTimer();
    expect(resumed).toEqual(['a', 'b', 'c']);
    expect(turns.isWaiting('a')).toBe(false);
  });

  it('leaves the rest first in line for the turn after when the budget runs out again', () => {
    const resumed: string[] = [];
    const turns = new TurnScheduler<string>(BUDGET, (item) => {
      resumed.push(item);
      turns.spendOutput(60); // two of them spend a turn
      if (item === 'a') turns.wait('a'); // and one has more to do
    });
    turns.spendOutput(100);
    for (const item of ['a', 'b', 'c', 'd']) turns.wait(item);
    vi.advanceTimersToNextTimer();
    expect(resumed).toEqual(['a', 'b']);
    vi.advanceTimersToNextTimer();
    expect(resumed).toEqual(['a', 'b', 'c', 'd']);
    vi.advanceTimersToNextTimer();
    expect(resumed).toEqual(['a', 'b', 'c', 'd', 'a']);
  });

  it('never resumes an item withdrawn while it waited', () => {
    const resumed: string[] = [];
    const turns = new TurnScheduler<string>(BUDGET, (item) => resumed.push(item));
    turns.spendLine(50);
    turns.wait('gone');
    turns.wait('stays');
    turns.withdraw('gone');
    vi.advanceTimersToNextTimer();
    expect(resumed).toEqual(['stays']);
  });
});
