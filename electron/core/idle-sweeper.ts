/**
 * Finds the connections that have been silent too long, or have taken too
 * long to finish a line, with one timer for all of them rather than a timer
 * per socket: a few hundred bytes less for every connection held open.
 *
 * Time is counted in sweeps. A connection notes the sweep it was last active
 * in (and the sweep its unfinished line began in); a sweep runs every eighth
 * of the shortest timeout (at most every `maxSweepMs`), so a connection is
 * closed no sooner than its timeout and less than two sweeps later.
 */

/** The marks the sweeper reads on every connection it watches. */
export interface Watched {
  /** The sweep during which it last read or wrote. */
  activeSweep: number;
  /** The sweep its unfinished line began in, or -1 when no line is unfinished. */
  lineSweep: number;
}

export type Expiry =
  | 'idle' // silent for the idle timeout
  | 'line-timeout'; // a line begun longer ago than the line timeout is still unfinished

export interface SweepTimeouts {
  /** 0 = never. */
  idleMs: number;
  /** 0 = never. */
  lineMs: number;
}

export const DEFAULT_MAX_SWEEP_MS = 1000;
/** Sweeping more often than this would cost more than it finds. */
const MIN_SWEEP_MS = 5;

export class IdleSweeper<T extends Watched> {
  #timer: NodeJS.Timeout | null = null;
  /** Sweeps so far. */
  #sweep = 0;
  /** Sweeps of silence that make a connection idle; 0 = never. */
  #idleSweeps = 0;
  /** Sweeps an unfinished line may take; 0 = never. */
  #lineSweeps = 0;
  #sweepMs = 0;

  /**
   * @param watched the connections to look at on each sweep
   * @param expired called for each connection past one of its timeouts
   */
  constructor(
    private readonly watched: () => Iterable<T>,
    private readonly expired: (item: T, why: Expiry) => void,
    private readonly maxSweepMs = DEFAULT_MAX_SWEEP_MS,
  ) {}

  /** Sets the timeouts for the connections to come (call while no sweep runs). */
  configure({ idleMs, lineMs }: SweepTimeouts): void {
    this.stop();
    const shortest = Math.min(...[idleMs, lineMs].filter((ms) => ms > 0));
    if (!Number.isFinite(shortest)) {
      this.#sweepMs = 0;
      return;
    }
    this.#sweepMs = Math.min(this.maxSweepMs, Math.max(MIN_SWEEP_MS, shortest / 8));
    this.#idleSweeps = idleMs > 0 ? Math.ceil(idleMs / this.#sweepMs) : 0;
    this.#lineSweeps = lineMs > 0 ? Math.ceil(lineMs / this.#sweepMs) : 0;
  }

  /** The current sweep, for the marks of {@link Watched}. */
  get now(): number {
    return this.#sweep;
  }

  /** Starts sweeping, unless it already does or there is no timeout. */
  start(): void {
    if (this.#timer || this.#sweepMs === 0) return;
    this.#timer = setInterval(() => this.#sweepOnce(), this.#sweepMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  #sweepOnce(): void {
    const now = ++this.#sweep;
    let any = false;
    for (const item of this.watched()) {
      any = true;
      // Silent through more than idleSweeps whole sweeps: at least the timeout.
      if (this.#idleSweeps > 0 && now - item.activeSweep > this.#idleSweeps) this.expired(item, 'idle');
      else if (this.#lineSweeps > 0 && item.lineSweep >= 0 && now - item.lineSweep > this.#lineSweeps)
        this.expired(item, 'line-timeout');
    }
    // Nothing to watch: sleep until the next connection.
    if (!any) this.stop();
  }
}
