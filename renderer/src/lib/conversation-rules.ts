/**
 * One connection's conversation as command-table rules (docs/window.md,
 * "Rules from a conversation"): each line the client sent becomes a rule
 * matching exactly that line, answered with the lines that came back before
 * the next one; what came before the first line is the greeting. The first
 * answer seen for a line is the one kept, as a recording keeps it.
 *
 * It works from the log's rows, so it says replies as lines: exact for line
 * protocols, where the reply ending is the table's. A forwarded binary
 * protocol is better recorded (Record), which keeps the bytes.
 */
import type { LogEntry, LogRecord } from '../../../electron/shared/ipc/models';
import type { CommandRule, CommandTable } from '../../../electron/shared/protocol/command-table';
import { parseCloseDetail } from './conversation';
import { exactPattern, literalTemplate } from '../../../electron/shared/protocol/literals';

/** Closes that followed the last answer because of it: the rule closes the connection too. */
const CLOSED_BY_ANSWER = new Set(['QUIT', 'closed by rule', 'one-shot reply sent', 'upstream closed']);

/** A reply row's lines: a mock reply's text ends each line with CRLF; a forwarded row is one frame. */
function replyLines(row: LogRecord): string[] {
  const text = row.text ?? '';
  if (row.direction === 'upstream') return [text];
  const lines = text.split(/\r\n|\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

export interface ConversationRules {
  rules: CommandRule[];
  greeting: string[];
}

export function rulesFromConversation(rows: readonly LogEntry[]): ConversationRules {
  const rules = new Map<string, { reply: string[]; close: boolean }>();
  const greeting: string[] = [];
  let current: { reply: string[]; close: boolean } | null = null;
  /** The rule of the last line the client sent, even when an earlier answer was kept. */
  let last: { reply: string[]; close: boolean } | null = null;
  for (const entry of rows) {
    const row: LogRecord = entry;
    if (row.kind === 'line' && row.text !== undefined) {
      const line = row.text.trim();
      if (line === '') continue;
      const known = rules.get(line);
      if (known) current = null;
      else rules.set(line, (current = { reply: [], close: false }));
      last = known ?? current;
    } else if (row.kind === 'reply' && row.text !== undefined) {
      const lines = replyLines(row).map(literalTemplate);
      if (current) current.reply.push(...lines);
      else if (rules.size === 0) greeting.push(...lines);
    } else if (row.kind === 'close' && last) {
      // QUIT (or a closing rule, or the upstream hanging up) ended it right after that answer.
      const reason = parseCloseDetail(row.detail)?.reason.replace(/:.*$/s, '') ?? '';
      if (CLOSED_BY_ANSWER.has(reason)) last.close = true;
    }
  }
  return {
    rules: [...rules].map(([line, { reply, close }]) => ({
      pattern: exactPattern(line),
      reply,
      ...(close ? { close: true } : {}),
    })),
    greeting,
  };
}

/**
 * `table` with the conversation's rules first (ahead of the rules it had, so
 * they answer), and its greeting where the table has none. Rules the table
 * already has the same pattern for are left out.
 */
export function tableWithConversation(table: CommandTable, rows: readonly LogEntry[]): CommandTable {
  const made = rulesFromConversation(rows);
  const known = new Set(table.commands.map((r) => r.pattern).filter((p) => p !== undefined));
  const fresh = made.rules.filter((r) => r.pattern === undefined || !known.has(r.pattern));
  return {
    ...table,
    commands: [...fresh, ...table.commands],
    ...(table.greeting === undefined && made.greeting.length > 0 ? { greeting: made.greeting } : {}),
  };
}
