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
  checkTable,
  compilePattern,
  describeTableIssue,
  parseTemplate,
  type CommandTable,
  type TemplatePart,
} from '../shared/protocol/command-table.js';
import { asciiUpper, escapeControlChars, splitCommand } from '../shared/protocol/text.js';

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

/** A reply template: `fixed` when it has no variables (encoded once), else rendered per line. */
interface Renderer {
  readonly fixed: Reply | null;
  render(ctx: Context): Reply;
}

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
  // Built-in replies are fixed text, never templates: a command name may hold a brace.
  const help = fixedReply([`Commands: ${names.join(' ')}`], false, 0, 'help');
  const quit = fixedReply(['Bye.'], true, 0, 'quit');
  const unknown = makeRenderer([table.unknown ?? DEFAULT_UNKNOWN_REPLY], false, 0, 'unknown');
  let unknownCount = 0;

  return {
    names,
    source: table,
    respond(line: string, conn: number): Reply {
      const { word, args } = splitCommand(line);
      const key = asciiUpper(word);
      let rule: CompiledRule | undefined;
      let groups: (string | null)[] | null = null;
      if (hasPatterns) {
        for (const candidate of rules) {
          if (candidate.name !== undefined) {
            if (candidate.name !== key) continue;
          } else if (candidate.pattern) {
            const m = candidate.pattern.matcher(line);
            if (!m.find()) continue;
            groups = [];
            for (let g = 1; g <= m.groupCount(); g++) groups.push(m.group(g));
          }
          rule = candidate;
          break;
        }
      } else {
        rule = byName.get(key);
      }
      if (rule) {
        rule.count++;
        // A fixed reply needs no context: the hot path allocates nothing.
        return (
          rule.render.fixed ??
          rule.render.render({ line, args, groups: groups ?? argumentWords(args), conn, count: rule.count })
        );
      }
      if (helpOn && key === 'HELP') return help;
      if (quitOn && key === 'QUIT') return quit;
      unknownCount++;
      return unknown.fixed ?? unknown.render({ line, args, groups: [], conn, count: unknownCount });
    },
  };
}

/** A name rule's {1}…{9}: its arguments, split at spaces and tabs. */
function argumentWords(args: string): string[] {
  return args === '' ? [] : args.split(/[ \t]+/);
}

function fixedReply(
  lines: readonly string[],
  close: boolean,
  delayMs: number,
  kind: Reply['kind'],
  rule?: number,
): Reply {
  const text = lines.map((line) => `${line}\r\n`).join('');
  return {
    text,
    bytes: Buffer.from(text, 'utf8'),
    close,
    delayMs,
    kind,
    ...(rule === undefined ? {} : { rule }),
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
  if (templates.every((t) => t.every((p) => typeof p === 'string'))) {
    const fixed = fixedReply(
      templates.map((parts) => parts.join('')),
      close,
      delayMs,
      kind,
      rule,
    );
    return { fixed, render: () => fixed };
  }
  const extra = rule === undefined ? {} : { rule };
  return {
    fixed: null,
    render(ctx) {
      let text = '';
      for (const parts of templates) {
        for (const part of parts) text += typeof part === 'string' ? part : value(part.name, ctx);
        text += '\r\n';
      }
      return { text, bytes: Buffer.from(text, 'utf8'), close, delayMs, kind, ...extra };
    },
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
