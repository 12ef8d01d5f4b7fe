/**
 * A command table's `framing` (how the byte stream is cut into requests)
 * and `replyEnding`, as data (docs/command-tables.md). The framers that do
 * the cutting live in electron/core/framing/; this module only says which
 * configurations are valid and gives them one typed shape.
 */
import { z } from 'zod';

export const LINE_FRAMINGS = ['lf', 'crlf', 'cr', 'nul'] as const;
export type LineFramingName = (typeof LINE_FRAMINGS)[number];

/** The longest delimiter a framing may name. */
export const MAX_DELIMITER_CHARS = 64;
/** The largest fixed frame, length field offset and adjustment. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;
export const MAX_LENGTH_FIELD_OFFSET = 1024;
export const MAX_GAP_MS = 60_000;

const wholeBytes = (what: string, min: number, max: number) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(min, `${what} must be at least ${min}`)
    .max(max, `${what} must be at most ${max}`);

const framingError = {
  error:
    'framing is "lf", "crlf", "cr", "nul", { "delimiter": "…" }, { "fixed": N }, { "lengthField": { … } } or { "raw": { "gapMs": G } }',
};

export const framingSchema = z.union(
  [
    z.enum(LINE_FRAMINGS),
    z
      .object({
        delimiter: z
          .string()
          .min(1, 'delimiter cannot be empty')
          .max(MAX_DELIMITER_CHARS, `delimiter is at most ${MAX_DELIMITER_CHARS} characters`)
          .regex(/^[^\u0100-\uffff]*$/, 'delimiter is bytes: characters U+0000 to U+00FF (write \\u00XX)'),
      })
      .strict(),
    z.object({ fixed: wholeBytes('fixed', 1, MAX_FRAME_BYTES) }).strict(),
    z
      .object({
        lengthField: z
          .object({
            offset: wholeBytes('lengthField.offset', 0, MAX_LENGTH_FIELD_OFFSET),
            bytes: z.union([z.literal(1), z.literal(2), z.literal(4)], {
              error: 'lengthField.bytes is 1, 2 or 4',
            }),
            endian: z
              .enum(['big', 'little'], { error: 'lengthField.endian is "big" or "little"' })
              .optional(),
            adjust: wholeBytes('lengthField.adjust', -MAX_FRAME_BYTES, MAX_FRAME_BYTES).optional(),
          })
          .strict(),
      })
      .strict(),
    z.object({ raw: z.object({ gapMs: wholeBytes('raw.gapMs', 1, MAX_GAP_MS) }).strict() }).strict(),
  ],
  framingError,
);

export type FramingField = z.infer<typeof framingSchema>;

/** A table's framing with every default filled in: what a framer is built from. */
export type Framing =
  | { kind: LineFramingName }
  | { kind: 'delimiter'; delimiter: Uint8Array }
  | { kind: 'fixed'; size: number }
  | { kind: 'lengthField'; offset: number; bytes: 1 | 2 | 4; endian: 'big' | 'little'; adjust: number }
  | { kind: 'raw'; gapMs: number };

export function resolveFraming(field: FramingField | undefined): Framing {
  if (field === undefined) return { kind: 'lf' };
  if (typeof field === 'string') return { kind: field };
  if ('delimiter' in field) {
    return { kind: 'delimiter', delimiter: Uint8Array.from(field.delimiter, (c) => c.charCodeAt(0)) };
  }
  if ('fixed' in field) return { kind: 'fixed', size: field.fixed };
  if ('lengthField' in field) {
    const { offset, bytes, endian = 'big', adjust = 0 } = field.lengthField;
    return { kind: 'lengthField', offset, bytes, endian, adjust };
  }
  return { kind: 'raw', gapMs: field.raw.gapMs };
}

/**
 * Line framings (the four named ones) trim and match text as the classic
 * protocol does; the others hand the engine raw requests.
 */
export function isLineFraming(framing: Framing): framing is { kind: LineFramingName } {
  return (LINE_FRAMINGS as readonly string[]).includes(framing.kind);
}

/**
 * The size every request has, where the framing fixes it: `fixed` frames.
 * (A length field's frames vary; a line's too.)
 */
export function fixedRequestSize(framing: Framing): number | null {
  return framing.kind === 'fixed' ? framing.size : null;
}

/** The fewest bytes a request has: a length field's frame holds at least its header. */
export function minimumRequestSize(framing: Framing): number {
  if (framing.kind === 'fixed') return framing.size;
  if (framing.kind === 'lengthField') return framing.offset + framing.bytes;
  return 0;
}

export const MAX_REPLY_ENDING_CHARS = 16;

export const replyEndingSchema = z
  .string({ error: 'replyEnding must be text, such as "\\r\\n"' })
  .max(MAX_REPLY_ENDING_CHARS, `replyEnding is at most ${MAX_REPLY_ENDING_CHARS} characters`);

/** What ends each reply line: the table's `replyEnding`, else CRLF for line framings and nothing for the others. */
export function resolveReplyEnding(replyEnding: string | undefined, framing: Framing): string {
  if (replyEnding !== undefined) return replyEnding;
  return isLineFraming(framing) ? '\r\n' : '';
}
