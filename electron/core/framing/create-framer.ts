/**
 * Builds the framer a framing names, and says how a frame reads as text.
 * The framings, their limits and their end-of-input rules are described in
 * docs/framing.md.
 */
import { trimBlanks } from '../../shared/protocol/text.js';
import { DelimiterFramer } from './delimiter-framer.js';
import { FixedLengthFramer, fixedProblem } from './fixed-length-framer.js';
import { systemClock, type Frame, type Framer, type FramerOptions, type FramingConfig } from './framer.js';
import { LengthFieldFramer, lengthFieldProblem } from './length-field-framer.js';
import { RawGapFramer } from './raw-gap-framer.js';

/** The longest `{ delimiter }` accepted: a terminator, not a document. */
export const MAX_DELIMITER_BYTES = 256;

const LF = Buffer.from([0x0a]);
const CR = Buffer.from([0x0d]);
const CRLF = Buffer.from([0x0d, 0x0a]);
const NUL = Buffer.from([0x00]);

/**
 * A new framer for one connection. Throws a RangeError naming the field for
 * a framing {@link framingProblem} refuses.
 */
export function createFramer(
  config: FramingConfig,
  maxRequestBytes: number,
  options: FramerOptions = {},
): Framer {
  const problem = framingProblem(config) ?? limitProblem(maxRequestBytes);
  if (problem) throw new RangeError(problem);
  const overLimit = options.overLimit ?? 'stop';
  const delimited = (
    delimiter: Buffer,
    extra: { dropCrBefore?: boolean; skipLfAfter?: boolean } = {},
  ): Framer => new DelimiterFramer({ delimiter, maxRequestBytes, overLimit, ...extra });
  switch (config) {
    case 'lf':
      return delimited(LF, { dropCrBefore: true });
    case 'crlf':
      return delimited(CRLF);
    case 'cr':
      return delimited(CR, { skipLfAfter: true });
    case 'nul':
      return delimited(NUL);
  }
  if ('delimiter' in config) return delimited(delimiterBytes(config.delimiter));
  if ('fixed' in config) return new FixedLengthFramer(config.fixed, maxRequestBytes, overLimit);
  if ('lengthField' in config) return new LengthFieldFramer(config.lengthField, maxRequestBytes, overLimit);
  return new RawGapFramer(
    config.raw.gapMs,
    maxRequestBytes,
    overLimit,
    options.clock ?? systemClock,
    options.onReady ?? (() => undefined),
  );
}

/** What is wrong with a framing, naming the field, or null when it can be used. */
export function framingProblem(config: FramingConfig): string | null {
  if (typeof config === 'string') {
    return ['lf', 'crlf', 'cr', 'nul'].includes(config)
      ? null
      : `framing: unknown framing ${JSON.stringify(config)}`;
  }
  if ('delimiter' in config) {
    const { delimiter } = config;
    if (typeof delimiter !== 'string' || delimiter.length === 0)
      return 'framing.delimiter: must not be empty';
    for (let i = 0; i < delimiter.length; i++) {
      if (delimiter.charCodeAt(i) > 0xff) {
        return `framing.delimiter: character ${i + 1} is above \\u00FF; write each byte as a \\u00XX escape`;
      }
    }
    if (delimiter.length > MAX_DELIMITER_BYTES)
      return `framing.delimiter: longer than ${MAX_DELIMITER_BYTES} bytes`;
    return null;
  }
  if ('fixed' in config) {
    const problem = fixedProblem(config.fixed);
    return problem ? `framing.${problem}` : null;
  }
  if ('lengthField' in config) {
    const problem = lengthFieldProblem(config.lengthField);
    return problem ? `framing.${problem}` : null;
  }
  if ('raw' in config) {
    const { gapMs } = config.raw;
    return Number.isFinite(gapMs) && gapMs >= 0
      ? null
      : `framing.raw.gapMs: ${String(gapMs)} is not a number of milliseconds of at least 0`;
  }
  return 'framing: not one of the framings';
}

function limitProblem(maxRequestBytes: number): string | null {
  return Number.isSafeInteger(maxRequestBytes) && maxRequestBytes >= 0
    ? null
    : `the request limit ${maxRequestBytes} is not a whole number of bytes`;
}

/** A `{ delimiter }` string's bytes: each character U+0000–U+00FF is one byte, as in JSON's `\u00XX`. */
export function delimiterBytes(delimiter: string): Buffer {
  return Buffer.from(delimiter, 'latin1');
}

/** `lf`, `crlf` and `cr` frame lines: their requests are trimmed text, and replies end in CRLF by default. */
export function isLineFraming(config: FramingConfig): config is 'lf' | 'crlf' | 'cr' {
  return config === 'lf' || config === 'crlf' || config === 'cr';
}

/**
 * The text the rules see for a request. Line framings: the line as UTF-8
 * with spaces and tabs trimmed. Other framings: the request's bytes read as
 * latin1, untrimmed, one character per byte, so a pattern can match any byte
 * exactly and nothing is lost to UTF-8 decoding.
 */
export function requestText(frame: Frame, config: FramingConfig): string {
  return isLineFraming(config)
    ? trimBlanks(frame.request.toString('utf8'))
    : frame.request.toString('latin1');
}
