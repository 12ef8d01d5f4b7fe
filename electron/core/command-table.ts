/**
 * The command table compiled for serving: what the server asks for each
 * request it answers, for each connection it greets, and for each push.
 *
 * The table itself is data (electron/shared/protocol/command-table.ts,
 * docs/command-tables.md). Compiling takes the analysis made when the table
 * was checked (patterns compiled once, templates parsed once), encodes every
 * reply that has no variables once, so answering a fixed command allocates
 * nothing.
 *
 * The per-connection API, for the server:
 *
 * - `answer(request, conn)`: `request` is one framed request (a Buffer, or
 *   the line as text); `conn` is `{ id, state }`, the connection's id and its
 *   current state (`start` at connect). It returns null for a blank line in
 *   a line framing (nothing to answer), else an Answer: `bytes` to write
 *   (empty for `reply: []`), `text` for the log, `kind` and `rule` (which
 *   rule answered, or help/quit/unknown), `delayMs` to wait before writing,
 *   `close` to close once written, and `nextState` (null: stay; else the
 *   state to move the connection to). The server owns the state; the table
 *   keeps none per connection.
 * - `greeting(conn)`: the bytes to send on connect, or null.
 * - `pushes`: one entry per push; the server runs one timer per entry (not
 *   per connection) and on each tick writes `render(conn)` to every open
 *   connection whose state `appliesTo`.
 * - `framing`, `replyEnding`, `toxics`: the table's settings, typed and
 *   defaulted, for the framer and the fault layer.
 *
 * `respond(line, conn)` is the older, line-only form, kept for callers that
 * know no states: it answers as `answer(line, { id: conn, state: 'start' })`.
 */
import type { Matcher } from 're2js';
import {
  CLASSIC_TABLE,
  DEFAULT_UNKNOWN_REPLY,
  START_STATE,
  analyseTable,
  describeTableIssue,
  type CommandTable,
  type ReplyTemplate,
  type RuleAnalysis,
  type TableAnalysis,
} from '../shared/protocol/command-table.js';
import { isLineFraming, type Framing } from '../shared/protocol/table-framing.js';
import type { Toxic } from '../shared/protocol/toxics.js';
import { asciiUpper, splitCommand, trimBlanks } from '../shared/protocol/text.js';
import { ruleFinder } from '../shared/protocol/rule-order.js';
import { renderer, type Renderer, type Rendered } from './templates.js';

export type { Rendered };

export { CLASSIC_TABLE, DEFAULT_UNKNOWN_REPLY, START_STATE, type CommandTable };

/** What the server sends for one line, and what it does next. */
export interface Reply {
  /** The reply as text (every line ended with the reply ending; bytes replies read as Latin-1), for the log. */
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

/** A reply, and the state its connection moves to (null: it stays where it is). */
export interface Answer extends Reply {
  readonly nextState: string | null;
}

/** What the table needs to know of a connection. */
export interface ConnectionView {
  readonly id: number;
  readonly state: string;
}

export interface Push {
  readonly everyMs: number;
  /** The states it is sent in, or null for every state. */
  readonly states: readonly string[] | null;
  appliesTo(state: string): boolean;
  render(conn: { readonly id: number }): Rendered;
}

export interface CompiledTable {
  /** Every command name the table answers, sorted (what HELP lists). */
  readonly names: readonly string[];
  /** The table it was compiled from. */
  readonly source: CommandTable;
  readonly framing: Framing;
  readonly replyEnding: string;
  readonly toxics: readonly Toxic[];
  /** Every state the table names, `start` first. */
  readonly states: readonly string[];
  readonly pushes: readonly Push[];
  /** The answer to one request on a connection; null for a blank line (no answer). */
  answer(request: Buffer | string, conn: ConnectionView): Answer | null;
  /** What to send a connection as soon as it opens, or null. */
  greeting(conn: { readonly id: number }): Rendered | null;
  /** The reply to one trimmed, non-empty line on connection `conn` (state `start`). */
  respond(line: string, conn: number): Reply;
}

interface CompiledRule {
  readonly index: number;
  readonly analysis: RuleAnalysis;
  readonly render: Renderer<Answer>;
  count: number;
}

/**
 * Compiles a table; throws with the first issue if the table is not valid
 * (callers validate first and show every issue).
 */
export function compileTable(table: CommandTable = CLASSIC_TABLE): CompiledTable {
  const check = analyseTable(table);
  if (!check.ok) throw new Error(`invalid command table: ${check.issues.map(describeTableIssue).join('; ')}`);
  return build(check.table, check.analysis);
}

function build(source: CommandTable, analysis: TableAnalysis): CompiledTable {
  const { replyEnding, framing } = analysis;
  const lineFraming = isLineFraming(framing);
  const rules: CompiledRule[] = analysis.rules.map((rule, index) => ({
    index,
    analysis: rule,
    render: renderer(rule.reply, replyEnding, (r) => ({
      ...r,
      close: source.commands[index]?.close === true,
      delayMs: source.commands[index]?.delayMs ?? 0,
      kind: 'rule' as const,
      rule: index,
      nextState: rule.then,
    })),
    count: 0,
  }));
  const finder = ruleFinder<Buffer | string>(analysis.rules, (request, text) => rawOf(request, text));
  const byName = new Set<string>();
  for (const rule of analysis.rules) if (rule.match.kind === 'name') byName.add(rule.match.key);

  const helpOn = source.builtins?.help !== false;
  const quitOn = source.builtins?.quit !== false;
  const builtinNames = [...(helpOn ? ['HELP'] : []), ...(quitOn ? ['QUIT'] : [])].filter(
    (n) => !byName.has(n),
  );
  const names = [...byName, ...builtinNames].sort();
  // Built-in replies are fixed text, never templates: a command name may hold a brace.
  const help = fixedAnswer(`Commands: ${names.join(' ')}${replyEnding}`, false, 'help');
  const quit = fixedAnswer(`Bye.${replyEnding}`, true, 'quit');
  const unknownTemplate: ReplyTemplate =
    source.unknown === '' ? { kind: 'text', lines: [] } : analysis.unknown;
  const unknown = renderer(unknownTemplate, replyEnding, (r) => ({
    ...r,
    close: false,
    delayMs: 0,
    kind: 'unknown' as const,
    nextState: null,
  }));
  let unknownCount = 0;
  const greeting = analysis.greeting ? renderer(analysis.greeting, replyEnding, (r) => r) : null;
  let greetings = 0;
  const noRequest = Buffer.alloc(0);
  const none = (): Buffer => noRequest;

  /** The request's bytes, as `bytes` rules and `{req:…}` see them; made only when one asks. */
  const rawOf = (request: Buffer | string, text: string): Buffer => {
    if (typeof request === 'string') return Buffer.from(text, lineFraming ? 'utf8' : 'latin1');
    // On line framings bytes rules see the line as name and pattern rules do: trimmed.
    return lineFraming ? trimBlankBytes(request) : request;
  };

  const answerText = (text: string, request: Buffer | string, conn: number, state: string): Answer => {
    const { word, args } = splitCommand(text);
    const key = asciiUpper(word);
    const rule = rules[finder.find(text, key, state, request)];
    if (rule) {
      rule.count++;
      // A fixed reply needs no context: the hot path allocates nothing.
      if (rule.render.fixed) return rule.render.fixed;
      const { match } = rule.analysis;
      return rule.render.render({
        line: text,
        args,
        groups:
          match.kind === 'pattern' && finder.lastMatch ? groupsOf(finder.lastMatch) : argumentWords(args),
        conn,
        count: rule.count,
        source: request,
        bytesOf: rawOf,
      });
    }
    if (helpOn && key === 'HELP') return help;
    if (quitOn && key === 'QUIT') return quit;
    unknownCount++;
    return (
      unknown.fixed ??
      unknown.render({
        line: text,
        args,
        groups: [],
        conn,
        count: unknownCount,
        source: request,
        bytesOf: rawOf,
      })
    );
  };

  return {
    names,
    source,
    framing,
    replyEnding,
    toxics: analysis.toxics,
    states: analysis.states,
    pushes: analysis.push.map((entry) => {
      let count = 0;
      const render = renderer(entry.reply, replyEnding, (r) => r);
      const states = entry.states;
      return {
        everyMs: entry.everyMs,
        states,
        appliesTo: (state: string) => states === null || states.includes(state),
        render: (conn: { readonly id: number }) => {
          count++;
          return (
            render.fixed ??
            render.render({
              line: '',
              args: '',
              groups: [],
              conn: conn.id,
              count,
              source: noRequest,
              bytesOf: none,
            })
          );
        },
      };
    }),
    answer(request, conn) {
      const text =
        typeof request === 'string'
          ? lineFraming
            ? trimBlanks(request)
            : request
          : request.toString(lineFraming ? 'utf8' : 'latin1');
      if (!lineFraming) return answerText(text, request, conn.id, conn.state);
      const line = typeof request === 'string' ? text : trimBlanks(text);
      return line === '' ? null : answerText(line, request, conn.id, conn.state);
    },
    greeting(conn) {
      if (!greeting) return null;
      greetings++;
      return (
        greeting.fixed ??
        greeting.render({
          line: '',
          args: '',
          groups: [],
          conn: conn.id,
          count: greetings,
          source: noRequest,
          bytesOf: none,
        })
      );
    },
    respond(line, conn) {
      return answerText(line, line, conn, START_STATE);
    },
  };
}

function groupsOf(m: Matcher): (string | null)[] {
  const groups: (string | null)[] = [];
  for (let g = 1; g <= m.groupCount(); g++) groups.push(m.group(g));
  return groups;
}

function trimBlankBytes(bytes: Buffer): Buffer {
  let start = 0;
  let end = bytes.length;
  while (start < end && (bytes[start] === 0x20 || bytes[start] === 0x09)) start++;
  while (end > start && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0x09)) end--;
  return start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
}

/** A name rule's {1}…{9}: its arguments, split at spaces and tabs. */
function argumentWords(args: string): string[] {
  return args === '' ? [] : args.split(/[ \t]+/);
}

function fixedAnswer(text: string, close: boolean, kind: Reply['kind']): Answer {
  return { text, bytes: Buffer.from(text, 'utf8'), close, delayMs: 0, kind, nextState: null };
}
