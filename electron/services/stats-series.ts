/**
 * Connections and commands per second over the last five minutes, kept as
 * one bucket a second in fixed memory, for the window's chart.
 */
import type { StatsSeries } from '../shared/ipc/models.js';

export const SERIES_SECONDS = 300;

export class StatsSeriesTracker {
  readonly #connections = new Float64Array(SERIES_SECONDS);
  readonly #commands = new Float64Array(SERIES_SECONDS);
  /** The epoch second of the newest bucket. */
  #end = Math.floor(Date.now() / 1000);

  constructor(private readonly now: () => number = Date.now) {
    this.#end = Math.floor(now() / 1000);
  }

  connection(at: number): void {
    this.#bucket(this.#connections, at);
  }

  /** `count` commands at `at` (a batch of them shares one time). */
  command(at: number, count = 1): void {
    this.#bucket(this.#commands, at, count);
  }

  /** Empties every bucket: a new measurement. */
  reset(): void {
    this.#connections.fill(0);
    this.#commands.fill(0);
    this.#end = Math.floor(this.now() / 1000);
  }

  /** The series up to now, oldest bucket first. */
  snapshot(): StatsSeries {
    this.#advance(Math.floor(this.now() / 1000));
    const order = (data: Float64Array): number[] => {
      const out: number[] = [];
      for (let i = 1; i <= SERIES_SECONDS; i++) out.push(data[(this.#end + i) % SERIES_SECONDS] ?? 0);
      return out;
    };
    return { end: this.#end, connections: order(this.#connections), commands: order(this.#commands) };
  }

  #bucket(data: Float64Array, at: number, count = 1): void {
    const second = Math.floor(at / 1000);
    this.#advance(second);
    if (second <= this.#end - SERIES_SECONDS) return; // older than the window
    const i = second % SERIES_SECONDS;
    data[i] = (data[i] ?? 0) + count;
  }

  /** Moves the window forward to `second`, emptying the buckets it passes. */
  #advance(second: number): void {
    if (second <= this.#end) return;
    const steps = Math.min(second - this.#end, SERIES_SECONDS);
    for (let k = 1; k <= steps; k++) {
      const i = (this.#end + k) % SERIES_SECONDS;
      this.#connections[i] = 0;
      this.#commands[i] = 0;
    }
    this.#end = second;
  }
}
