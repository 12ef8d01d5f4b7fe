/**
 * `{ raw: { gapMs } }`: a request is whatever arrived before the client
 * paused for gapMs, for protocols with no framing at all (or one not worth
 * describing). One timer per connection, re-armed only when it fires: a
 * byte that arrives just resets the time of the last arrival.
 */
import { ByteRope } from './byte-rope.js';
import { EMPTY, OVER_LIMIT, type Clock, type Frame, type Framer, type OverLimitPolicy } from './framer.js';

export class RawGapFramer implements Framer {
  readonly #gapMs: number;
  readonly #max: number;
  readonly #split: boolean;
  readonly #clock: Clock;
  readonly #onReady: () => void;

  readonly #rope = new ByteRope();
  /** Requests the gap has closed, waiting to be taken out. */
  #ready: Frame[] = [];
  #readyBytes = 0;
  #lastArrival = 0;
  #timer: unknown = null;
  #ended = false;
  #finished = false;

  constructor(
    gapMs: number,
    maxRequestBytes: number,
    overLimit: OverLimitPolicy,
    clock: Clock,
    onReady: () => void,
  ) {
    if (!Number.isFinite(gapMs) || gapMs < 0)
      throw new RangeError(`raw.gapMs: ${gapMs} is not a number of milliseconds of at least 0`);
    this.#gapMs = gapMs;
    this.#max = maxRequestBytes;
    this.#split = overLimit === 'split';
    this.#clock = clock;
    this.#onReady = onReady;
  }

  readonly droppedAtEnd = EMPTY;

  get buffered(): number {
    return this.#rope.length + this.#readyBytes;
  }

  get retainedBytes(): number {
    return this.#rope.retainedBytes + this.#readyBytes;
  }

  push(chunk: Buffer): void {
    if (this.#finished || this.#ended || chunk.length === 0) return;
    this.#rope.append(chunk);
    this.#lastArrival = this.#clock.now();
    if (this.#timer === null) this.#arm(this.#gapMs);
  }

  next(): Frame | null {
    if (this.#finished) return null;
    const ready = this.#ready.shift();
    if (ready) {
      this.#readyBytes -= ready.raw.length;
      return ready;
    }
    if (this.#rope.length > this.#max) {
      // Over the limit before the client even paused.
      if (!this.#split) {
        this.close();
        return OVER_LIMIT;
      }
      const part = this.#rope.takeFirst(this.#max);
      return { request: part, raw: part, overLimit: true };
    }
    return null;
  }

  /** At end of input there is no pause to wait for: what arrived is the last request. */
  end(): void {
    if (this.#finished || this.#ended) return;
    this.#ended = true;
    this.#cancelTimer();
    this.#closeRequest();
  }

  close(): void {
    this.#finished = true;
    this.#cancelTimer();
    this.#rope.clear();
    this.#ready = [];
    this.#readyBytes = 0;
  }

  #arm(ms: number): void {
    this.#timer = this.#clock.setTimeout(() => this.#onTimer(), ms);
  }

  #onTimer(): void {
    this.#timer = null;
    if (this.#finished) return;
    const quietFor = this.#clock.now() - this.#lastArrival;
    if (quietFor < this.#gapMs) {
      this.#arm(this.#gapMs - quietFor);
      return;
    }
    if (this.#closeRequest()) this.#onReady();
  }

  /** Makes what is held one request, in limit-sized parts when it is longer; true if there was any. */
  #closeRequest(): boolean {
    if (this.#rope.length === 0) return false;
    if (this.#rope.length > this.#max && !this.#split) return true; // next() says it is too long
    while (this.#rope.length > 0) {
      const over = this.#rope.length > this.#max;
      const raw = this.#rope.takeFirst(this.#max);
      this.#ready.push({ request: raw, raw, overLimit: over });
      this.#readyBytes += raw.length;
    }
    return true;
  }

  #cancelTimer(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
  }
}
