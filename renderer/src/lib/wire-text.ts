/**
 * Text that came from the wire, made safe to show: control bytes as `\xNN`
 * (the protocol's own escaping, `escapeControlChars`), and Unicode
 * bidirectional and invisible format characters as `\u{XXXX}`, so that a
 * client sending U+202E cannot make a row read backwards ("evil" shown as
 * "live") or hide text in zero-width characters.
 *
 * Every place the window shows a line, a reply, an unknown command or an
 * address from a connection goes through this one function. The bidi part
 * belongs in `escapeControlChars` itself (docs/protocol.md); until that lands,
 * it is done here, after it, and is idempotent either way.
 */
import { escapeControlChars } from '../../../electron/shared/protocol/text';

/** U+200B–U+200F, U+202A–U+202E, U+2066–U+2069, U+FEFF. */
const FORMAT_CHAR = /[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;
const FORMAT_CHARS = new RegExp(FORMAT_CHAR.source, 'g');

export function wireText(text: string): string {
  const escaped = escapeControlChars(text);
  // Fast path: most lines have none.
  return FORMAT_CHAR.test(escaped) ? escaped.replace(FORMAT_CHARS, formatEscape) : escaped;
}

function formatEscape(ch: string): string {
  return `\\u{${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}}`;
}
