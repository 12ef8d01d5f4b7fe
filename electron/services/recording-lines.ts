/**
 * A recording as the window's editor shows it (docs/window.md, "Record"):
 * a recorded reply that is text lines, each ended by the table's reply
 * ending, is written as `reply` lines instead of `replyBytes`. Served, the
 * two send the same bytes; the lines can be read and edited. Anything else
 * (binary, a missing or mixed ending) stays bytes.
 */
import type { RecordedTable } from '../core/recorder.js';
import { isLineFraming, resolveFraming, resolveReplyEnding } from '../shared/protocol/table-framing.js';
import { literalTemplate } from '../shared/protocol/literals.js';

/** `hex` as reply lines ended by `ending`, or null when lines cannot say those bytes exactly. */
export function replyLinesOf(hex: string, ending: string): string[] | null {
  if (ending === '') return null;
  const bytes = Buffer.from(hex.replace(/\s+/g, ''), 'hex');
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes) || !text.endsWith(ending)) return null;
  const lines = text.slice(0, -ending.length).split(ending);
  // A control byte inside a line (a lone CR or LF too) is not something a reply line sends as it is.
  // eslint-disable-next-line no-control-regex
  if (lines.some((l) => /[\x00-\x08\x0a-\x1f\x7f]/.test(l))) return null;
  // Template braces are written doubled, so they are sent as they are.
  return lines.map(literalTemplate);
}

export function withTextReplies(table: RecordedTable): RecordedTable {
  const framing = resolveFraming(table.framing);
  if (!isLineFraming(framing)) return table;
  const ending = resolveReplyEnding(table.replyEnding, framing);
  return {
    ...table,
    commands: table.commands.map((rule) => {
      if (rule.replyBytes === undefined) return rule;
      const lines = replyLinesOf(rule.replyBytes, ending);
      if (!lines) return rule;
      const text = { ...rule, reply: lines };
      delete text.replyBytes;
      return text;
    }),
  };
}
