/**
 * What the test client's Command input means, in each of its input modes,
 * and how much of it the history keeps. The window uses this to point at a
 * mistake as the user types; main decodes again before sending, so the bytes
 * on the wire are exactly what these rules say.
 */
import { utf8Length } from '../protocol/text.js';

/** `text`: the line as UTF-8; `hex`: pairs of hex digits; `escapes`: text with C-style escapes. */
export type InputMode = 'text' | 'hex' | 'escapes';

export const INPUT_MODES: readonly InputMode[] = ['text', 'hex', 'escapes'];

/** The line ending is added in text and escapes modes; hex sends exactly the bytes typed. */
export function addsLineEnding(mode: InputMode): boolean {
  return mode !== 'hex';
}

export type DecodedInput = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

const encoder = new TextEncoder();

export function decodeInput(input: string, mode: InputMode): DecodedInput {
  switch (mode) {
    case 'text':
      if (/[\r\n]/.test(input)) return { ok: false, error: 'send one line at a time' };
      return { ok: true, bytes: encoder.encode(input) };
    case 'hex':
      return decodeHex(input);
    case 'escapes':
      return decodeEscapes(input);
  }
}

/**
 * "41 42 43", "414243", "0x41,0x42": pairs of hex digits; spaces, commas and
 * `0x` prefixes between bytes are ignored.
 */
function decodeHex(input: string): DecodedInput {
  const bytes: number[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] ?? '';
    if (/[\s,]/.test(ch)) {
      i++;
      continue;
    }
    if (
      ch === '0' &&
      (input[i + 1] === 'x' || input[i + 1] === 'X') &&
      isHex(input[i + 2]) &&
      isHex(input[i + 3])
    ) {
      i += 2;
      continue;
    }
    if (!isHex(ch)) return { ok: false, error: `hex: "${shown(ch)}" at column ${i + 1} is not a hex digit` };
    const next = input[i + 1];
    if (!isHex(next)) {
      return {
        ok: false,
        error: `hex: the digit at column ${i + 1} has no pair (write bytes as two digits, such as 0A)`,
      };
    }
    bytes.push(Number.parseInt(input.slice(i, i + 2), 16));
    i += 2;
  }
  if (bytes.length === 0) return { ok: false, error: 'hex: no bytes to send' };
  return { ok: true, bytes: Uint8Array.from(bytes) };
}

const SIMPLE_ESCAPES: Record<string, number> = { r: 0x0d, n: 0x0a, t: 0x09, '\\': 0x5c, '0': 0x00 };

/** Text with `\xHH`, `\r`, `\n`, `\t`, `\\` and `\0`; anything else after a backslash is a mistake. */
function decodeEscapes(input: string): DecodedInput {
  const parts: Uint8Array[] = [];
  let text = '';
  const flush = (): void => {
    if (text !== '') parts.push(encoder.encode(text));
    text = '';
  };
  for (let i = 0; i < input.length; i++) {
    const ch = input[i] ?? '';
    if (ch !== '\\') {
      text += ch;
      continue;
    }
    const next = input[i + 1];
    if (next === undefined) {
      return { ok: false, error: `escapes: a lone "\\" at the end (write \\\\ for a backslash)` };
    }
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      flush();
      parts.push(Uint8Array.of(simple));
      i += 1;
    } else if (next === 'x' && isHex(input[i + 2]) && isHex(input[i + 3])) {
      flush();
      parts.push(Uint8Array.of(Number.parseInt(input.slice(i + 2, i + 4), 16)));
      i += 3;
    } else {
      const what = next === 'x' ? '\\x needs two hex digits' : `"\\${shown(next)}" is not an escape`;
      return {
        ok: false,
        error: `escapes: ${what} (column ${i + 1}; use \\xHH, \\r, \\n, \\t, \\0, or \\\\ for a backslash)`,
      };
    }
  }
  flush();
  const length = parts.reduce((n, p) => n + p.length, 0);
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return { ok: true, bytes };
}

function isHex(ch: string | undefined): boolean {
  return ch !== undefined && /^[0-9a-fA-F]$/.test(ch);
}

/** A character quoted in a message, control characters escaped. */
function shown(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0').toUpperCase()}` : ch;
}

/** How many sent lines the history keeps, newest last. */
export const HISTORY_KEPT = 200;
/** A longer command is sent but not kept in the history (nor its file). */
export const HISTORY_ENTRY_MAX_BYTES = 4096;

export const NOT_IN_HISTORY = 'Sent, but not kept in the history: longer than 4 KiB.';

/** Whether `line` is short enough for the history: at most {@link HISTORY_ENTRY_MAX_BYTES} in UTF-8. */
export function fitsHistory(line: string): boolean {
  // A longer string is over the limit in any encoding: no need to count a 1 MiB command.
  return line.length <= HISTORY_ENTRY_MAX_BYTES && utf8Length(line) <= HISTORY_ENTRY_MAX_BYTES;
}
