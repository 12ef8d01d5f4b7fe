/**
 * The command table compiled for serving: what the server asks for each
 * line it answers.
 *
 * The table itself is data (electron/shared/command-table.ts, CONTRACT §5).
 * Compiling encodes every reply that has no variables once, so answering a
 * fixed command allocates nothing, and compiles patterns with RE2 so no
 * pattern can make matching slower than linear.
 */
import type { RE2JS } from 're2js';
import {
  CLASSIC_TABLE,
  DEFAULT_UNKNOWN_REPLY,
  asciiUpper,
  checkTable,
  compilePattern,
  describeTableIssue,
  parseTemplate,
  type CommandTable,
  type TemplatePart,
} from '../shared/command-table.js';
import { escapeControlChars, splitCommand } from './text.js';

export { CLASSIC_TABLE, type CommandTable };

/** What the server sends for one line, and what it does next. */
export interface Reply {
  /** The reply text, every line ended with CRLF. */
  readonly text: string;
  readonly bytes: Buffer;
  /** Close the connection once the reply is sent. */
  readonly close: boolean;
  /** Wait this long before sending. */
  readonly delayMs: number;
  /** Which kind of rule answered, for the log. */
  readonly kind: 'rule' | 'help' | 'quit' | 'unknown';
  /** The 0-based index of the rule that answered, for `kind: 'rule'`. */
  readonly rule?: number;
}

export interface CompiledTable {
  /** Every command name the table answers, sorted (what HELP lists). */
  readonly names: readonly string[];
  /** The table it was compiled from. */
  readonly source: CommandTable;
  /** The reply to one trimmed, non-empty line on connection `conn`. */
  respond(line: string, conn: number): Reply;
}

interface Context {
  line: string;
  args: string;
  groups: readonly (string | null)[];
  conn: number;
  count: number;
}

/** A reply template: fixed bytes when it has no variables, else rendered per line. */
type Renderer = (ctx: Context) => Reply;

interface CompiledRule {
  readonly index: number;
  readonly name?: string;
  readonly pattern?: RE2JS;
  readonly render: Renderer;
  count: number;
}

/**
 * Compiles a table; throws with the first issue if the table is not valid
 * (callers validate first and show every issue).
 */
export function compileTable(table: CommandTable = CLASSIC_TABLE): CompiledTable {
  const check = checkTable(table);
  if (!check.ok) throw new Error(`invalid command table: ${check.issues.map(describeTableIssue).join('; ')}`);

  const rules: CompiledRule[] = [];
  const byName = new Map<string, CompiledRule>();
  table.commands.forEach((rule, index) => {
    const lines = typeof rule.reply === 'string' ? [rule.reply] : rule.reply;
    const render = makeRenderer(lines, rule.close === true, rule.delayMs ?? 0, 'rule', index);
    if (rule.name !== undefined) {
      const compiled: CompiledRule = { index, name: asciiUpper(rule.name), render, count: 0 };
      rules.push(compiled);
      byName.set(compiled.name ?? '', compiled);
    } else if (rule.pattern !== undefined) {
      const pattern = compilePattern(rule.pattern);
      if (typeof pattern === 'string') throw new Error(pattern); // checkTable caught this already
      rules.push({ index, pattern, render, count: 0 });
    }
  });
  // Rules without patterns are found by name in one lookup; with none, the scan is skipped.
  const hasPatterns = rules.some((r) => r.pattern);

  const helpOn = table.builtins?.help !== false;
  const quitOn = table.builtins?.quit !== false;
  const builtinNames = [...(helpOn ? ['HELP'] : []), ...(quitOn ? ['QUIT'] : [])].filter(
    (n) => !byName.has(n),
  );
  const names = [...byName.keys(), ...builtinNames].sort();
  const help = makeRenderer([`Commands: ${names.join(' ')}`], false, 0, 'help');
  const quit = makeRenderer(['Bye.'], true, 0, 'quit');
  const unknown = makeRenderer([table.unknown ?? DEFAULT_UNKNOWN_REPLY], false, 0, 'unknown');
  const unknownCount = { count: 0 };

  return {
    names,
    source: table,
    respond(line: string, conn: number): Reply {
      const { word, args } = splitCommand(line);
      const key = asciiUpper(word);
      const ctx = (groups: readonly (string | null)[], count: number): Context => ({
        line,
        args,
        groups,
        conn,
        count,
      });
      let match: { rule: CompiledRule; groups: readonly (string | null)[] } | null = null;
      if (hasPatterns) {
        for (const rule of rules) {
          if (rule.name !== undefined) {
            if (rule.name === key) {
              match = { rule, groups: args === '' ? [] : args.split(/[ \t]+/) };
              break;
            }
          } else if (rule.pattern) {
            const m = rule.pattern.matcher(line);
            if (m.find()) {
              const groups: (string | null)[] = [];
              for (let g = 1; g <= m.groupCount(); g++) groups.push(m.group(g));
              match = { rule, groups };
              break;
            }
          }
        }
      } else {
        const rule = byName.get(key);
        if (rule) match = { rule, groups: args === '' ? [] : args.split(/[ \t]+/) };
      }
      if (match) {
        match.rule.count++;
        return match.rule.render(ctx(match.groups, match.rule.count));
      }
      if (helpOn && key === 'HELP') return help(ctx([], 0));
      if (quitOn && key === 'QUIT') return quit(ctx([], 0));
      unknownCount.count++;
      return unknown(ctx([], unknownCount.count));
    },
  };
}

function makeRenderer(
  lines: readonly string[],
  close: boolean,
  delayMs: number,
  kind: Reply['kind'],
  rule?: number,
): Renderer {
  const templates = lines.map((l) => parseTemplate(l) as TemplatePart[]);
  const extra = rule === undefined ? {} : { rule };
  if (templates.every((t) => t.every((p) => typeof p === 'string'))) {
    const text = templates.map((parts) => `${parts.join('')}\r\n`).join('');
    const fixed: Reply = { text, bytes: Buffer.from(text, 'utf8'), close, delayMs, kind, ...extra };
    return () => fixed;
  }
  return (ctx) => {
    let text = '';
    for (const parts of templates) {
      for (const part of parts) text += typeof part === 'string' ? part : value(part.name, ctx);
      text += '\r\n';
    }
    return { text, bytes: Buffer.from(text, 'utf8'), close, delayMs, kind, ...extra };
  };
}

/** A variable's value; text that came from the client is escaped (CONTRACT §1). */
function value(name: string, ctx: Context): string {
  switch (name) {
    case 'line':
      return escapeControlChars(ctx.line);
    case 'args':
      return escapeControlChars(ctx.args);
    case 'conn':
      return String(ctx.conn);
    case 'time':
      return new Date().toISOString();
    case 'count':
      return String(ctx.count);
    default:
      return escapeControlChars(ctx.groups[Number(name) - 1] ?? '');
  }
}
