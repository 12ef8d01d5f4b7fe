/**
 * The engine of the framings that know a frame's length before its end
 * arrives: `{ fixed }` and `{ lengthField }`. A frame is taken out as soon
 * as its last byte is in; a length over the limit is known from the header
 * alone, so no byte of such a frame is kept (nothing is allocated for the
 * length a stranger claims).
 */
import { ByteRope } from './byte-rope.js';
import { EMPTY, OVER_LIMIT, type Frame, type Framer, type OverLimitPolicy } from './framer.js';

export abstract class CountFramer implements Framer {
  readonly #max: number;
  readonly #split: boolean;
  readonly #headerLength: number;

  #input: Buffer[] = [];
  #inputBytes = 0;
  #pos = 0;
  readonly #rope = new ByteRope();
  /** The current frame's length once its header is in, else -1. */
  #need = -1;
  /** `split`: bytes of an over-limit frame still to hand out in parts. */
  #overRemaining = 0;
  #ended = false;
  #finished = false;
  #dropped: Buffer = EMPTY;

  constructor(headerLength: number, maxRequestBytes: number, overLimit: OverLimitPolicy) {
    if (overLimit === 'split' && maxRequestBytes < 1)
      throw new RangeError('split needs a limit of at least 1 byte');
    this.#headerLength = headerLength;
    this.#max = maxRequestBytes;
    this.#split = overLimit === 'split';
  }

  /** The whole frame's length, header included, read from its first headerLength bytes. */
  protected abstract frameLength(header: Buffer): number;

  get buffered(): number {
    return this.#rope.length + this.#inputBytes - this.#pos;
  }

  /** The bytes of a partial frame that the end of input cut off (these framings drop it). */
  get droppedAtEnd(): Buffer {
    return this.#dropped;
  }

  get retainedBytes(): number {
    return this.#rope.retainedBytes + this.#inputBytes;
  }

  push(chunk: Buffer): void {
    if (this.#finished || this.#ended || chunk.length === 0) return;
    this.#input.push(chunk);
    this.#inputBytes += chunk.length;
  }

  end(): void {
    this.#ended = true;
  }

  close(): void {
    this.#finish();
  }

  next(): Frame | null {
    for (;;) {
      if (this.#finished) return null;
      const chunk = this.#input[0];
      if (chunk === undefined) {
        if (!this.#ended) return null;
        // An unfinished frame cannot be answered: it is dropped, and said so.
        this.#dropped = this.#rope.takeAll();
        this.#finish();
        return null;
      }
      const have = this.#rope.length + chunk.length - this.#pos;
      if (this.#overRemaining > 0) {
        const part = Math.min(this.#max, this.#overRemaining);
        if (have < part) {
          this.#keep(chunk);
          continue;
        }
        this.#overRemaining -= part;
        return { ...this.#take(chunk, part), overLimit: true };
      }
      if (this.#need < 0) {
        if (this.#headerLength > this.#max) {
          // Every frame is longer than its header, so every frame is too long; not even a header is kept.
          if (!this.#split) {
            this.#finish();
            return OVER_LIMIT;
          }
          this.#overRemaining = Infinity;
          continue;
        }
        if (have < this.#headerLength) {
          this.#keep(chunk);
          continue;
        }
        const length = this.frameLength(this.#header(chunk));
        if (length > this.#max) {
          if (!this.#split) {
            this.#finish();
            return OVER_LIMIT;
          }
          this.#overRemaining = length;
          continue;
        }
        this.#need = length;
      }
      if (have < this.#need) {
        this.#keep(chunk);
        continue;
      }
      const frame = this.#take(chunk, this.#need);
      this.#need = -1;
      return { ...frame, overLimit: false };
    }
  }

  /** The header's bytes, from the rope (which holds less than a header) and the chunk. */
  #header(chunk: Buffer): Buffer {
    const inRope = this.#rope.length;
    const fromChunk = chunk.subarray(this.#pos, this.#pos + this.#headerLength - inRope);
    return inRope === 0 ? fromChunk : Buffer.concat([this.#rope.copyAll(), fromChunk]);
  }

  /** The next `n` bytes (rope first, then the chunk) as one frame's bytes. */
  #take(chunk: Buffer, n: number): { request: Buffer; raw: Buffer } {
    const inRope = this.#rope.length;
    let raw: Buffer;
    if (inRope >= n) {
      raw = this.#rope.takeFirst(n);
    } else {
      const end = this.#pos + n - inRope;
      const head = chunk.subarray(this.#pos, end);
      raw = inRope === 0 ? head : this.#rope.takeAll(head);
      this.#pos = end;
      if (this.#pos >= chunk.length) this.#shift(chunk);
    }
    return { request: raw, raw };
  }

  /** Not enough for a frame: keep the rest of the chunk and move on to the next. */
  #keep(chunk: Buffer): void {
    this.#rope.append(chunk.subarray(this.#pos));
    this.#shift(chunk);
  }

  #shift(chunk: Buffer): void {
    this.#input.shift();
    this.#inputBytes -= chunk.length;
    this.#pos = 0;
  }

  #finish(): void {
    this.#finished = true;
    this.#input = [];
    this.#inputBytes = 0;
    this.#pos = 0;
    this.#rope.clear();
  }
}
