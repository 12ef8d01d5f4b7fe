/**
 * Builds the framer a framing names, and says how a frame reads as text.
 * The framings, their limits and their end-of-input rules are described in
 * docs/framing.md.
 */
import {
  LINE_FRAMINGS,
  MAX_DELIMITER_CHARS,
  type Framing,
  type LineFramingName,
} from '../../shared/protocol/table-framing.js';
import { trimBlanks } from '../../shared/protocol/text.js';
import { DelimiterFramer } from './delimiter-framer.js';
import { FixedLengthFramer, fixedProblem } from './fixed-length-framer.js';
import { systemClock, type Frame, type Framer, type FramerOptions, type FramingConfig } from './framer.js';
import { LengthFieldFramer, lengthFieldProblem } from './length-field-framer.js';
import { RawGapFramer } from './raw-gap-framer.js';

/** The longest `{ delimiter }` accepted (the table schema's bound): a terminator, not a document. */
export const MAX_DELIMITER_BYTES = MAX_DELIMITER_CHARS;

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
  if ('lengthField' in config) {
    const { endian = 'big', adjust = 0, ...field } = config.lengthField;
    return new LengthFieldFramer({ ...field, endian, adjust }, maxRequestBytes, overLimit);
  }
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
    const { endian = 'big', adjust = 0, ...field } = config.lengthField;
    const problem = lengthFieldProblem({ ...field, endian, adjust });
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

/**
 * `lf`, `crlf`, `cr` and `nul` frame lines (the table schema's line
 * framings): their requests are trimmed text, a final fragment at the end
 * of input is a request, and replies end in CRLF by default.
 */
export function isLineFraming(config: FramingConfig): config is LineFramingName {
  return typeof config === 'string' && (LINE_FRAMINGS as readonly string[]).includes(config);
}

/** A table's resolved framing (defaults filled in, delimiter as bytes) as the framers take it. */
export function framingConfigOf(framing: Framing): FramingConfig {
  switch (framing.kind) {
    case 'delimiter':
      return { delimiter: Buffer.from(framing.delimiter).toString('latin1') };
    case 'fixed':
      return fixedConfig(framing.size);
    case 'lengthField': {
      const { offset, bytes, endian, adjust } = framing;
      return { lengthField: { offset, bytes, endian, adjust } };
    }
    case 'raw':
      return { raw: { gapMs: framing.gapMs } };
    default:
      return framing.kind;
  }
}

/** `{ fixed: size }`, built through its own type (as a union literal, lint reads `fixed` as String#fixed). */
function fixedConfig(size: number): FramingConfig {
  const config: { fixed: number } = { fixed: size };
  return config;
}

/**
 * The text the rules see for a request, as the command table reads it.
 * Line framings: the line as UTF-8 with spaces and tabs trimmed. Other
 * framings: the request's bytes read as latin1, untrimmed, one character
 * per byte, so a pattern can match any byte exactly and nothing is lost to
 * UTF-8 decoding.
 */
export function requestText(frame: Frame, config: FramingConfig): string {
  return isLineFraming(config)
    ? trimBlanks(frame.request.toString('utf8'))
    : frame.request.toString('latin1');
}
