/**
 * Splits a byte stream into lines, as CONTRACT §1 frames them.
 *
 * A line ends at LF; one CR just before the LF is dropped. The framer only
 * looks for line ends (no per-byte work) and hands out views into the bytes
 * it was given, copying only a partial line that has to wait for more bytes.
 */

/** Returned by {@link LineFramer.next} when a line is longer than the limit. */
export const LINE_TOO_LONG = Symbol('line too long');

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

export class LineFramer {
  #buf: Buffer = EMPTY;
  #pos = 0;

  /** @param maxLineBytes the longest line accepted, not counting its CR LF. */
  constructor(readonly maxLineBytes: number) {}

  /** Adds bytes that arrived. Lines are taken out with {@link next}. */
  push(chunk: Buffer): void {
    if (this.#pos >= this.#buf.length) {
      this.#buf = chunk;
    } else {
      this.#buf = Buffer.concat([this.#buf.subarray(this.#pos), chunk]);
    }
    this.#pos = 0;
  }

  /**
   * The next complete line (without its line end), `null` when none is
   * complete yet, or {@link LINE_TOO_LONG}.
   */
  next(): Buffer | null | typeof LINE_TOO_LONG {
    const start = this.#pos;
    const lf = this.#buf.indexOf(LF, start);
    if (lf === -1) {
      // A partial line may still end in the CR of its CR LF: one byte over
      // the limit is allowed only while that byte is a CR.
      const partial = this.#buf.length - start;
      const endsInCr = this.#buf[this.#buf.length - 1] === CR;
      if (partial > this.maxLineBytes + (endsInCr ? 1 : 0)) return LINE_TOO_LONG;
      this.#keepRest();
      return null;
    }
    const end = lf > start && this.#buf[lf - 1] === CR ? lf - 1 : lf;
    if (end - start > this.maxLineBytes) return LINE_TOO_LONG;
    this.#pos = lf + 1;
    return this.#buf.subarray(start, end);
  }

  /**
   * At end of input: the final unterminated fragment, `null` when there is
   * none, or {@link LINE_TOO_LONG} (with no LF after it, a trailing CR is part
   * of the line). Call only after {@link next} has returned `null`.
   */
  takeRest(): Buffer | null | typeof LINE_TOO_LONG {
    const rest = this.#buf.subarray(this.#pos);
    this.#buf = EMPTY;
    this.#pos = 0;
    if (rest.length === 0) return null;
    if (rest.length > this.maxLineBytes) return LINE_TOO_LONG;
    return rest;
  }

  /** Bytes held that are not yet handed out as lines. */
  get buffered(): number {
    return this.#buf.length - this.#pos;
  }

  /**
   * Copies a waiting partial line out of the chunk it arrived in, so that an
   * idle connection holds a few bytes rather than a whole socket read.
   */
  #keepRest(): void {
    const rest = this.#buf.length - this.#pos;
    if (rest === 0) this.#buf = EMPTY;
    else if (this.#pos > 0 || this.#buf.length > rest) this.#buf = Buffer.from(this.#buf.subarray(this.#pos));
    this.#pos = 0;
  }
}
