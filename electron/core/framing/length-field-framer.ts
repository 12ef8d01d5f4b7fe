/**
 * `{ lengthField: { offset, bytes, endian, adjust } }`: each frame says its
 * own length, like Netty's LengthFieldBasedFrameDecoder with
 * lengthFieldOffset = offset, lengthFieldLength = bytes, lengthAdjustment =
 * adjust and initialBytesToStrip = 0: the frame is `offset + bytes + value +
 * adjust` bytes, header included, and the whole frame is the request.
 * Modbus TCP is offset 4, bytes 2, big endian, adjust 0.
 */
import { CountFramer } from './count-framer.js';
import type { LengthFieldConfig, OverLimitPolicy } from './framer.js';

export class LengthFieldFramer extends CountFramer {
  readonly #field: LengthFieldConfig;
  readonly #headerLength: number;

  constructor(field: LengthFieldConfig, maxRequestBytes: number, overLimit: OverLimitPolicy) {
    const problem = lengthFieldProblem(field);
    if (problem) throw new RangeError(problem);
    const headerLength = field.offset + field.bytes;
    super(headerLength, maxRequestBytes, overLimit);
    this.#field = { ...field };
    this.#headerLength = headerLength;
  }

  /**
   * A length that makes the frame shorter than its own header (possible only
   * with a negative adjust) frames the header alone, so the stream always
   * moves on.
   */
  protected frameLength(header: Buffer): number {
    const { offset, bytes, endian } = this.#field;
    const value = endian === 'big' ? header.readUIntBE(offset, bytes) : header.readUIntLE(offset, bytes);
    return Math.max(this.#headerLength, this.#headerLength + value + this.#field.adjust);
  }
}

/** What is wrong with a length field's settings (checked at run time: they may come from anywhere). */
export function lengthFieldProblem(field: {
  offset: number;
  bytes: number;
  endian: string;
  adjust: number;
}): string | null {
  if (!Number.isSafeInteger(field.offset) || field.offset < 0)
    return `lengthField.offset: ${field.offset} is not a whole number of bytes of at least 0`;
  if (field.bytes !== 1 && field.bytes !== 2 && field.bytes !== 4)
    return `lengthField.bytes: ${String(field.bytes)} is not 1, 2 or 4`;
  if (field.endian !== 'big' && field.endian !== 'little')
    return `lengthField.endian: ${JSON.stringify(field.endian)} is not "big" or "little"`;
  if (!Number.isSafeInteger(field.adjust)) return `lengthField.adjust: ${field.adjust} is not a whole number`;
  return null;
}
