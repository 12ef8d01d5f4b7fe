import { describe, expect, it, vi } from 'vitest';
import type net from 'node:net';
import { clearPauses, isPausedFor, pauseReading, resumeReading } from '../../electron/core/read-pauses.js';

function pausable() {
  const socket = { pause: vi.fn(), resume: vi.fn() };
  return { socket: socket as unknown as net.Socket, pausedFor: 0, calls: socket };
}

describe('read pauses', () => {
  it('resumes reading only when the last reason is gone', () => {
    const p = pausable();
    pauseReading(p, 'budget');
    pauseReading(p, 'backpressure');
    expect(p.calls.pause).toHaveBeenCalledTimes(1);
    expect(resumeReading(p, 'budget')).toBe(false);
    expect(isPausedFor(p, 'backpressure')).toBe(true);
    expect(p.calls.resume).not.toHaveBeenCalled();
    expect(resumeReading(p, 'backpressure')).toBe(true);
    expect(p.calls.resume).toHaveBeenCalledTimes(1);
  });

  it('ignores a reason it was not paused for', () => {
    const p = pausable();
    pauseReading(p, 'delayed-reply');
    expect(resumeReading(p, 'budget')).toBe(false);
    expect(isPausedFor(p, 'delayed-reply')).toBe(true);
  });

  it('clears every reason at once', () => {
    const p = pausable();
    pauseReading(p, 'delayed-reply');
    pauseReading(p, 'budget');
    clearPauses(p);
    expect(p.pausedFor).toBe(0);
    expect(p.calls.resume).toHaveBeenCalledTimes(1);
    clearPauses(p);
    expect(p.calls.resume).toHaveBeenCalledTimes(1);
  });
});
