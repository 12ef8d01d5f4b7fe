/**
 * Why the server has stopped reading from a socket. Reading resumes only when
 * no reason is left, so that one cause ending never resumes a socket another
 * cause still holds.
 */
import type net from 'node:net';

export type PauseReason =
  | 'backpressure' // the client has not read enough of its replies yet
  | 'delayed-reply' // too many replies wait behind a delayed one
  | 'budget' // this turn's budget is spent: it waits for a coming turn
  | 'hold'; // the server holds every connection's reading (its durable log is behind)

const BIT: Readonly<Record<PauseReason, number>> = {
  backpressure: 1,
  'delayed-reply': 2,
  budget: 4,
  hold: 8,
};

/** A socket and the reasons it is paused for, as bits (one number per connection, not a Set). */
export interface Pausable {
  readonly socket: net.Socket;
  pausedFor: number;
}

export function pauseReading(p: Pausable, reason: PauseReason): void {
  if (p.pausedFor === 0) p.socket.pause();
  p.pausedFor |= BIT[reason];
}

/** Drops `reason`; true when reading resumed because no other reason is left. */
export function resumeReading(p: Pausable, reason: PauseReason): boolean {
  if ((p.pausedFor & BIT[reason]) === 0) return false;
  p.pausedFor &= ~BIT[reason];
  if (p.pausedFor !== 0) return false;
  p.socket.resume();
  return true;
}

export function isPausedFor(p: Pausable, reason: PauseReason): boolean {
  return (p.pausedFor & BIT[reason]) !== 0;
}

/** Drops every reason and reads again (a closing connection reads and drops until the client's FIN). */
export function clearPauses(p: Pausable): void {
  if (p.pausedFor === 0) return;
  p.pausedFor = 0;
  p.socket.resume();
}
