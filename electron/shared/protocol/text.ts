/**
 * Text helpers shared by the server, the client and the window's log.
 */

const HEX = '0123456789ABCDEF';

/* eslint-disable no-control-regex -- control bytes are what these look for */
const UNSAFE = /[\x00-\x08\x0A-\x1F\x7F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');
/* eslint-enable no-control-regex */

/**
 * Makes text a stranger sent safe to echo or show: bytes below 0x20 (except
 * tab) and 0x7F become `\xNN`, so no terminal can be driven by escape
 * sequences; Unicode bidirectional controls and invisible format characters
 * (U+200B–U+200F, U+202A–U+202E, U+2066–U+2069, U+FEFF) become `\u{XXXX}`,
 * so no reader is shown text that reads differently from what was sent.
 * Every echoed value goes through this one function (docs/command-tables.md).
 */
export function escapeControlChars(text: string): string {
  // Fast path: most lines have nothing to escape.
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_ALL, escapeOne);
}

function escapeOne(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x80) return `\\x${HEX[code >> 4]}${HEX[code & 15]}`;
  return `\\u{${code.toString(16).toUpperCase()}}`;
}

/**
 * How many times larger (in UTF-8 bytes) escaping can make a text: a control
 * byte becomes four bytes (`\xNN`), a three-byte format character eight.
 */
export const ESCAPE_GROWTH = 4;

/** Trims spaces and tabs only (the protocol's notion of blank), not other whitespace. */
export function trimBlanks(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** Upper-cases ASCII letters only, as the protocol matches commands. */
export function asciiUpper(text: string): string {
  // Most command words arrive upper-case already: skip the replace then.
  return /[a-z]/.test(text) ? text.replace(/[a-z]+/g, upper) : text;
}

function upper(letters: string): string {
  return letters.toUpperCase();
}

/** Splits a trimmed line into its command word and the rest (its arguments). */
export function splitCommand(line: string): { word: string; args: string } {
  const match = /[ \t]/.exec(line);
  if (!match) return { word: line, args: '' };
  return { word: line.slice(0, match.index), args: trimBlanks(line.slice(match.index + 1)) };
}

/** The UTF-8 length of a text, without encoding it (lone surrogates count as U+FFFD does). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
