import { describe, expect, it } from 'vitest';
import { createThrottle, type ThrottleClock } from '../../../renderer/src/lib/frame-throttle';

/** A clock the test moves by hand: timers and frames run when it says. */
function manualClock(): ThrottleClock & { advance(ms: number): void; frame(): void; frames: number } {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let frames: { fn: () => void; id: number }[] = [];
  let nextId = 1;
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
    requestFrame: (fn) => {
      const id = nextId++;
      frames.push({ fn, id });
      return id;
    },
    cancelFrame: (id) => {
      frames = frames.filter((f) => f.id !== id);
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.fn();
    },
    frame() {
      const run = frames;
      frames = [];
      for (const f of run) f.fn();
    },
    get frames() {
      return frames.length;
    },
  };
}

describe('createThrottle', () => {
  it('runs on the next frame with the newest value, then at most once per interval', () => {
    const clock = manualClock();
    const seen: number[] = [];
    const throttle = createThrottle<number>(250, (v) => seen.push(v), clock);

    throttle.push(1);
    throttle.push(2);
    expect(seen).toEqual([]);
    clock.frame();
    expect(seen).toEqual([2]);

    // Pushed 100 ms later: waits out the interval, then takes the newest.
    clock.advance(100);
    throttle.push(3);
    throttle.push(4);
    clock.frame();
    expect(seen).toEqual([2]);
    clock.advance(149);
    clock.frame();
    expect(seen).toEqual([2]);
    clock.advance(1);
    clock.frame();
    expect(seen).toEqual([2, 4]);
  });

  it('runs nothing when nothing new came', () => {
    const clock = manualClock();
    const seen: number[] = [];
    const throttle = createThrottle<number>(250, (v) => seen.push(v), clock);
    throttle.push(1);
    clock.frame();
    clock.advance(1000);
    clock.frame();
    expect(seen).toEqual([1]);
  });

  it('cancels what is waiting', () => {
    const clock = manualClock();
    const seen: number[] = [];
    const throttle = createThrottle<number>(250, (v) => seen.push(v), clock);
    throttle.push(1);
    throttle.cancel();
    clock.frame();
    expect(seen).toEqual([]);
    expect(clock.frames).toBe(0);
  });

  it('keeps at most four runs a second under a flood of values', () => {
    const clock = manualClock();
    let runs = 0;
    const throttle = createThrottle<number>(250, () => runs++, clock);
    for (let ms = 0; ms < 1000; ms += 10) {
      throttle.push(ms);
      clock.advance(10);
      clock.frame();
    }
    expect(runs).toBeLessThanOrEqual(4);
    expect(runs).toBeGreaterThanOrEqual(3);
  });
});
