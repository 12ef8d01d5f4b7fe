/**
 * Chunks released in order, each no sooner than its due time: the shared
 * machinery of the toxics that delay (latency, bandwidth, slicer, slow_close).
 *
 * One timer serves the whole queue, and every chunk already due goes out in
 * the same turn, so many small chunks do not each pay a timer's granularity
 * (which would slow a bandwidth toxic below its rate).
 */
import { performance } from 'node:perf_hooks';
import type { Handover, StageOutput } from './stage.js';

interface Item {
  /** `null` is the end of the stream. */
  chunk: Buffer | null;
  /** performance.now() milliseconds. */
  due: number;
}

export class TimedQueue {
  #items: Item[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | null = null;
  #held = 0;

  constructor(readonly out: StageOutput) {}

  get heldBytes(): number {
    return this.#held;
  }

  /** When the last queued item is due, or now when nothing waits: the next item cannot go before it. */
  get lastDue(): number {
    const last = this.#items[this.#items.length - 1];
    return this.#head < this.#items.length && last ? last.due : performance.now();
  }

  get isEmpty(): boolean {
    return this.#head >= this.#items.length;
  }

  /** Queues a chunk (or the end, `null`) to go no sooner than `due` and after all queued before it. */
  add(chunk: Buffer | null, due: number): void {
    const last = this.#items[this.#items.length - 1];
    const at = this.#head < this.#items.length && last ? Math.max(due, last.due) : due;
    this.#items.push({ chunk, due: at });
    if (chunk) this.#held += chunk.length;
    this.#release();
  }

  #release(): void {
    const now = performance.now();
    let released = false;
    while (this.#head < this.#items.length) {
      const item = this.#items[this.#head];
      if (!item || item.due > now) break;
      this.#head++;
      if (item.chunk) {
        this.#held -= item.chunk.length;
        released = true;
        this.out.push(item.chunk);
      } else {
        this.out.end();
      }
    }
    if (this.#head >= this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 1024) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    if (released) this.out.released();
    this.#arm();
  }

  #arm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const next = this.#items[this.#head];
    if (!next) return;
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        this.#release();
      },
      Math.max(0, next.due - performance.now()),
    );
  }

  /** Stops the timer and hands over what waits, in order. */
  takeAll(): Handover {
    this.dispose();
    const chunks: Buffer[] = [];
    let ended = false;
    for (let i = this.#head; i < this.#items.length; i++) {
      const item = this.#items[i];
      if (item?.chunk) chunks.push(item.chunk);
      else if (item) ended = true;
    }
    this.#items = [];
    this.#head = 0;
    this.#held = 0;
    return { chunks, ended };
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
