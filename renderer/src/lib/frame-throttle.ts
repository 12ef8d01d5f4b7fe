/**
 * Runs a function with the newest value at most once per interval, on an
 * animation frame: values pushed in between are coalesced, and nothing is
 * drawn while the window is hidden (frames do not run then).
 */

export interface Throttle<T> {
  push(value: T): void;
  cancel(): void;
}

export interface ThrottleClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  requestFrame(fn: () => void): unknown;
  cancelFrame(handle: unknown): void;
}

export const browserClock = (): ThrottleClock => ({
  now: () => performance.now(),
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (h) => window.clearTimeout(h as number),
  requestFrame: (fn) => window.requestAnimationFrame(fn),
  cancelFrame: (h) => window.cancelAnimationFrame(h as number),
});

export function createThrottle<T>(
  intervalMs: number,
  run: (value: T) => void,
  clock: ThrottleClock = browserClock(),
): Throttle<T> {
  let latest: { value: T } | null = null;
  let lastRun = -Infinity;
  let timer: unknown = null;
  let frame: unknown = null;

  const flush = (): void => {
    frame = null;
    if (!latest) return;
    const { value } = latest;
    latest = null;
    lastRun = clock.now();
    run(value);
  };

  const schedule = (): void => {
    timer = null;
    frame = clock.requestFrame(flush);
  };

  return {
    push(value) {
      latest = { value };
      if (timer !== null || frame !== null) return;
      const wait = Math.max(0, lastRun + intervalMs - clock.now());
      if (wait === 0) schedule();
      else timer = clock.setTimeout(schedule, wait);
    },
    cancel() {
      if (timer !== null) clock.clearTimeout(timer);
      if (frame !== null) clock.cancelFrame(frame);
      timer = null;
      frame = null;
      latest = null;
    },
  };
}
