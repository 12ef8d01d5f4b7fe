/**
 * `{ fixed: N }`: every N bytes are one request, like Netty's
 * FixedLengthFrameDecoder.
 */
import { CountFramer } from './count-framer.js';
import type { OverLimitPolicy } from './framer.js';

export class FixedLengthFramer extends CountFramer {
  readonly #length: number;

  constructor(length: number, maxRequestBytes: number, overLimit: OverLimitPolicy) {
    const problem = fixedProblem(length);
    if (problem) throw new RangeError(problem);
    super(0, maxRequestBytes, overLimit);
    this.#length = length;
  }

  protected frameLength(): number {
    return this.#length;
  }
}

export function fixedProblem(length: number): string | null {
  return Number.isSafeInteger(length) && length >= 1
    ? null
    : `fixed: ${String(length)} is not a whole number of bytes of at least 1`;
}
