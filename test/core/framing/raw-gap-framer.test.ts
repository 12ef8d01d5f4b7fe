import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createFramer,
  systemClock,
  type Clock,
  type FramingConfig,
} from '../../../electron/core/framing/index.js';
import { checkFramingProperties, cut, cuts, latin1, policies, seen } from './harness.js';

/** A clock the test moves by hand; its timers fire in order as it passes their time. */
class ManualClock implements Clock {
  time = 0;
  #timers = new Map<number, { at: number; callback: () => void }>();
  #nextId = 1;

  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.time + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }
  get pending(): number {
    return this.#timers.size;
  }
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = [...this.#timers.entries()]
        .filter(([, t]) => t.at <= until)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = until;
  }
}

function rawFramer(gapMs: number, max = 100, overLimit: 'stop' | 'split' = 'stop') {
  const clock = new ManualClock();
  let ready = 0;
  const framer = createFramer({ raw: { gapMs } }, max, { clock, overLimit, onReady: () => ready++ });
  return { framer, clock, readies: () => ready };
}

const texts = (framer: ReturnType<typeof rawFramer>['framer']): string[] =>
  seen(framer).map((f) => f.request);

describe('{ raw: { gapMs } } (properties)', () => {
  it('makes one request of bytes that arrive without a pause, however they are chunked, never throwing', () => {
    const framings = fc.integer({ min: 0, max: 50 }).map((gapMs): FramingConfig => ({ raw: { gapMs } }));
    const streams = fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b));
    checkFramingProperties(framings, streams, fc.integer({ min: 1, max: 20 }), (_, max) => max, 500);
  });

  it('cuts exactly where the client paused for the gap, whatever the chunks between pauses', () => {
    // Each burst arrives in chunks with no pause; between bursts the client pauses for at least the gap.
    const bursts = fc.array(fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 30 }), cuts), { maxLength: 6 });
    fc.assert(
      fc.property(bursts, fc.integer({ min: 1, max: 30 }), policies, (list, max, policy) => {
        const { framer, clock } = rawFramer(10, max, policy);
        const got: string[] = [];
        const expected: string[] = [];
        for (const [bytes, at] of list) {
          for (const chunk of cut(Buffer.from(bytes), at)) {
            framer.push(chunk);
            got.push(...texts(framer));
            clock.advance(3);
          }
          clock.advance(10);
          got.push(...texts(framer));
          let text = Buffer.from(bytes).toString('latin1');
          if (policy === 'stop' && text.length > max) {
            expected.push('');
            break;
          }
          for (; text.length > max; text = text.slice(max)) expected.push(text.slice(0, max));
          expected.push(text);
        }
        expect(got).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('{ raw: { gapMs } }', () => {
  it('hands out what arrived once the client has paused for the gap, and tells the reader', () => {
    const { framer, clock, readies } = rawFramer(50);
    framer.push(latin1('*1\r\n'));
    clock.advance(30);
    framer.push(latin1('$4\r\nPING\r\n'));
    clock.advance(49);
    expect(framer.next()).toBeNull();
    expect(readies()).toBe(0);
    clock.advance(1);
    expect(readies()).toBe(1);
    expect(texts(framer)).toEqual(['*1\r\n$4\r\nPING\r\n']);
  });

  it('keeps one timer per framer, however many chunks arrive', () => {
    const { framer, clock } = rawFramer(50);
    for (let i = 0; i < 100; i++) framer.push(latin1('x'));
    expect(clock.pending).toBe(1);
  });

  it('hands out what is held at the end of input without waiting for the gap', () => {
    const { framer, clock } = rawFramer(1000);
    framer.push(latin1('QUIT'));
    framer.end();
    expect(texts(framer)).toEqual(['QUIT']);
    expect(clock.pending).toBe(0);
  });

  it('close cancels its timer: nothing is handed out after it', () => {
    const { framer, clock, readies } = rawFramer(50);
    framer.push(latin1('abc'));
    framer.close();
    expect(clock.pending).toBe(0);
    clock.advance(100);
    expect(readies()).toBe(0);
    expect(framer.next()).toBeNull();
  });

  it('refuses a request over the limit before the client pauses', () => {
    const { framer } = rawFramer(50, 4);
    framer.push(latin1('abcde'));
    expect(framer.next()?.overLimit).toBe(true);
    expect(framer.retainedBytes).toBe(0);
  });

  describe('with the system clock under fake timers', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('waits the gap on the real timer functions, and close leaves no timer behind', () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
      let ready = 0;
      const framer = createFramer({ raw: { gapMs: 20 } }, 100, {
        clock: systemClock,
        onReady: () => ready++,
      });
      framer.push(latin1('ab'));
      vi.advanceTimersByTime(10);
      framer.push(latin1('cd'));
      vi.advanceTimersByTime(19);
      expect(ready).toBe(0);
      vi.advanceTimersByTime(1);
      expect(ready).toBe(1);
      expect(framer.next()?.request.toString()).toBe('abcd');
      framer.push(latin1('ef'));
      expect(vi.getTimerCount()).toBe(1);
      framer.close();
      expect(vi.getTimerCount()).toBe(0);
    });
  });
});
