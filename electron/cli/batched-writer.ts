/**
 * Collects output lines and writes them once per turn of the event loop, so
 * that a flood of events costs one write call per turn rather than one per
 * event.
 *
 * The output is bounded: while more than `maxPendingBytes` wait for a slow
 * reader (a stalled pipe, a paused terminal), lines are dropped and counted,
 * and once the reader has caught up one line says how many were not
 * printed. Memory stays flat however long the reader stalls, and closing
 * never waits on it for more than `closeWaitMs`.
 */
import type { Writable } from 'node:stream';

export interface BatchedWriterOptions {
  /** Output waiting for the reader past which lines are dropped. */
  maxPendingBytes?: number;
  /** How long {@link BatchedWriter.close} waits for a reader that does not read. */
  closeWaitMs?: number;
}

export const DEFAULT_MAX_PENDING_BYTES = 1024 * 1024;
export const DEFAULT_CLOSE_WAIT_MS = 500;

export class BatchedWriter {
  #pending: string[] = [];
  #scheduled = false;
  /** Lines dropped since the reader fell behind. */
  #dropped = 0;
  readonly #maxPendingBytes: number;
  readonly #closeWaitMs: number;

  constructor(
    private readonly out: Writable,
    options: BatchedWriterOptions = {},
  ) {
    this.#maxPendingBytes = options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES;
    this.#closeWaitMs = options.closeWaitMs ?? DEFAULT_CLOSE_WAIT_MS;
  }

  /** Lines dropped and not yet reported. */
  get dropped(): number {
    return this.#dropped;
  }

  line(text: string): void {
    if (this.#behind()) {
      this.#dropped++;
      return;
    }
    this.#pending.push(text);
    this.#scheduleFlush();
  }

  flush(): void {
    this.#scheduled = false;
    if (this.#dropped > 0 && !this.#behind()) {
      this.#pending.unshift(`${this.#dropped} events not printed (the output was not read fast enough)`);
      this.#dropped = 0;
    }
    if (this.#pending.length === 0) return;
    const text = this.#pending.join('\n') + '\n';
    this.#pending = [];
    this.out.write(text, this.#written);
  }

  /** A write went out: if lines were dropped, the reader may have caught up enough to be told. */
  readonly #written = (): void => {
    if (this.#dropped > 0 && !this.#behind()) this.#scheduleFlush();
  };

  /**
   * Writes `text` as the last line, even past the bound, and resolves once
   * the stream has taken it, or after `closeWaitMs` when the reader does not read.
   */
  close(text?: string): Promise<void> {
    if (text !== undefined) this.#pending.push(text);
    this.flush();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.#closeWaitMs);
      timer.unref();
      this.out.write('', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  #behind(): boolean {
    return this.out.writableLength >= this.#maxPendingBytes;
  }

  #scheduleFlush(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.flush());
  }
}
