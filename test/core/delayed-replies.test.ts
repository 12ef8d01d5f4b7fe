import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DelayedReplies } from '../../electron/core/delayed-replies.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function setup() {
  const sent: string[] = [];
  let closing = false;
  let drained = 0;
  const queue = new DelayedReplies<{ text: string; delayMs: number }>({
    send: (reply) => sent.push(reply.text),
    closing: () => closing,
    drained: () => drained++,
  });
  return { queue, sent, close: () => (closing = true), drained: () => drained };
}

describe('DelayedReplies', () => {
  it('sends replies in order, each after its own delay, then says it is drained', () => {
    const { queue, sent, drained } = setup();
    queue.push({ text: 'slow', delayMs: 100 });
    queue.push({ text: 'fast', delayMs: 0 });
    queue.push({ text: 'slower', delayMs: 50 });
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual(['slow', 'fast']);
    expect(queue.length).toBe(1);
    vi.advanceTimersByTime(50);
    expect(sent).toEqual(['slow', 'fast', 'slower']);
    expect(drained()).toBe(1);
  });

  it('sends nothing more once the connection is closing', () => {
    const { queue, sent, close, drained } = setup();
    queue.push({ text: 'a', delayMs: 10 });
    queue.push({ text: 'b', delayMs: 10 });
    vi.advanceTimersByTime(10);
    close();
    vi.advanceTimersByTime(100);
    expect(sent).toEqual(['a']);
    expect(drained()).toBe(0);
  });

  it('drops what waits on cancel', () => {
    const { queue, sent } = setup();
    queue.push({ text: 'a', delayMs: 10 });
    queue.cancel();
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
