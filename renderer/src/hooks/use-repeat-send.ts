/**
 * The test client's repeat timer: sends one command every N ms, a given
 * number of times, until done, stopped, or a send fails. The next send is
 * timed from the end of the one before, so a slow connection never piles
 * sends up.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export const REPEAT_MIN_MS = 10;
export const REPEAT_MAX_MS = 3_600_000;
export const REPEAT_MAX_COUNT = 100_000;

export interface RepeatPlan {
  everyMs: number;
  times: number;
}

/** Reads the two fields; a message for the first one that is wrong. */
export function parseRepeat(
  every: string,
  times: string,
): { ok: true; plan: RepeatPlan } | { ok: false; error: string } {
  const ms = wholeNumber(every);
  if (ms === null || ms < REPEAT_MIN_MS || ms > REPEAT_MAX_MS) {
    return {
      ok: false,
      error: `Repeat every: a whole number of ms from ${REPEAT_MIN_MS} to ${REPEAT_MAX_MS.toLocaleString('en-US')}`,
    };
  }
  const count = wholeNumber(times);
  if (count === null || count < 1 || count > REPEAT_MAX_COUNT) {
    return {
      ok: false,
      error: `Repeat count: a whole number from 1 to ${REPEAT_MAX_COUNT.toLocaleString('en-US')}`,
    };
  }
  return { ok: true, plan: { everyMs: ms, times: count } };
}

function wholeNumber(text: string): number | null {
  const trimmed = text.trim();
  return /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : null;
}

export interface RepeatProgress {
  running: boolean;
  sent: number;
  times: number;
}

export interface RepeatSend {
  progress: RepeatProgress;
  /** Starts sending with `sendOnce` (true when that send went out); a running repeat is stopped first. */
  start: (plan: RepeatPlan, sendOnce: () => Promise<boolean>) => void;
  stop: () => void;
}

const IDLE: RepeatProgress = { running: false, sent: 0, times: 0 };

export function useRepeatSend(): RepeatSend {
  const [progress, setProgress] = useState<RepeatProgress>(IDLE);
  // Each run has its own token: Stop, or a new start, makes the old run's next step a no-op.
  const run = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const stop = useCallback(() => {
    run.current += 1;
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    setProgress((p) => ({ ...p, running: false }));
  }, []);

  const start = useCallback((plan: RepeatPlan, sendOnce: () => Promise<boolean>) => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    const token = ++run.current;
    let sent = 0;
    setProgress({ running: true, sent: 0, times: plan.times });
    const step = async (): Promise<void> => {
      const ok = await sendOnce();
      if (run.current !== token) return;
      if (ok) sent += 1;
      const done = !ok || sent >= plan.times;
      setProgress({ running: !done, sent, times: plan.times });
      if (done) return;
      timer.current = setTimeout(() => {
        timer.current = null;
        void step();
      }, plan.everyMs);
    };
    void step();
  }, []);

  // A pane that goes away stops its timer.
  useEffect(
    () => () => {
      run.current += 1;
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );

  return { progress, start, stop };
}
