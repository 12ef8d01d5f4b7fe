/**
 * Splits a byte stream into lines, as README's protocol section frames them:
 * a line ends at LF; one CR just before the LF is dropped.
 *
 * The `lf` framer (electron/core/framing) does the work, linear in the bytes
 * it sees and holding at most one line; this class keeps the small API the
 * server's answer loop pulls lines through.
 */
import { createFramer, type Framer } from './framing/index.js';

/** Returned by {@link LineFramer.next} when a line is longer than the limit. */
export const LINE_TOO_LONG = Symbol('line too long');

export class LineFramer {
  #framer: Framer;
  #tooLong = false;

  /** @param maxLineBytes the longest line accepted, not counting its CR LF. */
  constructor(readonly maxLineBytes: number) {
    this.#framer = createFramer('lf', maxLineBytes);
  }

  /** Adds bytes that arrived. Lines are taken out with {@link next}. */
  push(chunk: Buffer): void {
    this.#framer.push(chunk);
  }

  /**
   * The next complete line (without its line end), `null` when none is
   * complete yet, or {@link LINE_TOO_LONG} (from then on, until
   * {@link takeRest}).
   */
  next(): Buffer | null | typeof LINE_TOO_LONG {
    if (this.#tooLong) return LINE_TOO_LONG;
    const frame = this.#framer.next();
    if (frame === null) return null;
    if (frame.overLimit) {
      this.#tooLong = true;
      return LINE_TOO_LONG;
    }
    return frame.request;
  }

  /**
   * At end of input: the final unterminated fragment, `null` when there is
   * none, or {@link LINE_TOO_LONG} (with no LF after it, a trailing CR is part
   * of the line). Call only after {@link next} has returned `null`; the
   * framer is empty and ready for a new stream after.
   */
  takeRest(): Buffer | null | typeof LINE_TOO_LONG {
    const tooLong = this.#tooLong;
    this.#framer.end();
    const frame = tooLong ? null : this.#framer.next();
    this.#framer.close();
    this.#framer = createFramer('lf', this.maxLineBytes);
    this.#tooLong = false;
    if (tooLong || frame?.overLimit) return LINE_TOO_LONG;
    return frame ? frame.request : null;
  }

  /** Bytes held that are not yet handed out as lines. */
  get buffered(): number {
    return this.#tooLong ? 0 : this.#framer.buffered;
  }
}
