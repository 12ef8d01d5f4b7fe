/**
 * Text helpers shared by the server, the client and the window's log.
 */

const HEX = '0123456789ABCDEF';

/**
 * Writes bytes below 0x20 (except tab) and 0x7F as `\xNN`, so that a line a
 * stranger sent can be echoed or shown without driving anyone's terminal.
 */
export function escapeControlChars(text: string): string {
  // Fast path: most lines have nothing to escape.
  // eslint-disable-next-line no-control-regex -- control bytes are what this looks for
  if (!/[\x00-\x08\x0A-\x1F\x7F]/.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) {
      out += `\\x${HEX[code >> 4]}${HEX[code & 15]}`;
    } else {
      out += ch;
    }
  }
  return out;
}

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
