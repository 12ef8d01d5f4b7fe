/**
 * Text that came from the wire, made safe to show: the protocol's one
 * escaping function (`escapeControlChars`), which writes control bytes as
 * `\xNN` and Unicode bidirectional and invisible format characters as
 * `\u{XXXX}`, so that a client sending U+202E cannot make a row read
 * backwards ("evil" shown as "live") or hide text in zero-width characters.
 *
 * Every place the window shows a line, a reply or an unknown command goes
 * through here. Main escapes log details already; escaping is idempotent,
 * so text escaped twice reads the same.
 */
import { escapeControlChars } from '../../../electron/shared/protocol/text';

export function wireText(text: string): string {
  return escapeControlChars(text);
}
