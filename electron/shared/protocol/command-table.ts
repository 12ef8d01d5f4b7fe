/**
 * The command table as data (docs/command-tables.md): its schema, the
 * classic table, and the checks that decide whether a table may be served.
 *
 * The window, main and the command line all validate with this module, so a
 * table is refused for the same reason, in the same words, wherever it was
 * written. Checking a table also does the work serving it needs (patterns
 * compiled with RE2, templates parsed, worst cases computed): that analysis
 * is kept with the checked table (`analyseTable`), so the engine never
 * compiles or parses a table twice.
 */
import { z } from 'zod';
import { fixedLength, parseBytePattern, type BytePattern } from './byte-pattern.js';
import { parseJson } from './json-location.js';
import {
  MAX_LINE_MATCH_WORK,
  MAX_PATTERN_PROGRAM,
  MAX_TABLE_PROGRAM,
  compileBoundedPattern,
  type CompiledPattern,
} from './pattern-cost.js';
import { DEFAULT_SETTINGS } from './settings.js';
import {
  framingSchema,
  fixedRequestSize,
  replyEndingSchema,
  resolveFraming,
  resolveReplyEnding,
  type Framing,
} from './table-framing.js';
import {
  highestGroup,
  parseByteTemplate,
  parseTemplate,
  spanOutside,
  worstCaseByteTemplateBytes,
  worstCaseTextBytes,
  type BytePart,
  type TemplatePart,
} from './templates.js';
import { asciiUpper, utf8Length } from './text.js';
import { resolveToxic, toxicsSchema, type Toxic } from './toxics.js';

export { compilePattern } from './pattern-cost.js';
export { TEMPLATE_VARIABLES, parseTemplate, type TemplatePart } from './templates.js';

/** The `$id` of the published schema (schema/command-table.schema.json); files name it as their `$schema`. */
export const TABLE_SCHEMA_ID = 'https://switchboard.dev/schema/command-table.schema.json';

export const MAX_RULES = 1000;
export const MAX_DELAY_MS = 60_000;
/** A command table file larger than this is refused before it is parsed. */
export const MAX_TABLE_FILE_BYTES = 5 * 1024 * 1024;
/**
 * The most bytes one reply may ever take: half the output a client may
 * leave unread before its connection is cut (HARD_OUTPUT_CAP in
 * electron/core/server.ts), so any reply can be delivered whole.
 */
export const MAX_REPLY_BYTES = 512 * 1024;
export const MAX_REPLY_LINE_CHARS = 65_536;
export const MAX_REPLY_LINES = 256;
export const MAX_BYTES_PATTERN_CHARS = 8192;
/** Enough for MAX_REPLY_BYTES written as spaced hex pairs. */
export const MAX_REPLY_BYTES_CHARS = 3 * MAX_REPLY_BYTES;
export const MAX_PUSHES = 32;
export const MIN_PUSH_MS = 50;
export const MAX_PUSH_MS = 86_400_000;
export const MAX_STATES_PER_RULE = 32;
/** The state every connection starts in. */
export const START_STATE = 'start';

const textReplySchema = z.union(
  [
    z.string().max(MAX_REPLY_LINE_CHARS, `a reply line is at most ${MAX_REPLY_LINE_CHARS} characters`),
    z
      .array(
        z.string().max(MAX_REPLY_LINE_CHARS, `a reply line is at most ${MAX_REPLY_LINE_CHARS} characters`),
      )
      .max(MAX_REPLY_LINES, `a reply has at most ${MAX_REPLY_LINES} lines`),
  ],
  { error: 'reply must be a line of text or a list of lines' },
);

const replyBytesSchema = z
  .string({ error: 'replyBytes must be hex text, such as "01 02 {req:0:2}"' })
  .max(MAX_REPLY_BYTES_CHARS, `replyBytes is at most ${MAX_REPLY_BYTES_CHARS} characters`);

/** Characters a command name or state may not hold: HELP lists names as they are. */
// eslint-disable-next-line no-control-regex -- control bytes are what this looks for
const UNPRINTABLE = /[\x00-\x1F\x7F\u0080-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;

function printable(what: string) {
  return (value: string, ctx: z.RefinementCtx): void => {
    const found = UNPRINTABLE.exec(value);
    if (!found) return;
    const code = found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    ctx.addIssue({
      code: 'custom',
      message: `${what} cannot hold control or invisible characters (U+${code} at character ${found.index + 1})`,
    });
  };
}

const stateName = z
  .string({ error: 'a state is a name, such as "start"' })
  .min(1, 'a state name cannot be empty')
  .max(64, 'a state name is too long')
  .regex(/^[^\s]+$/, 'a state name is one word, without spaces')
  .superRefine(printable('a state name'));

const statesSchema = z.union(
  [
    stateName,
    z
      .array(stateName)
      .min(1, 'state lists at least one state')
      .max(MAX_STATES_PER_RULE, `state lists at most ${MAX_STATES_PER_RULE} states`),
  ],
  { error: 'state must be a state name or a list of them' },
);

export const commandRuleSchema = z
  .object({
    name: z
      .string()
      .min(1, 'name cannot be empty')
      .max(100, 'name is too long')
      .regex(/^[^\s]+$/, 'name is one command word, without spaces')
      .superRefine(printable('name'))
      .optional(),
    pattern: z.string().min(1, 'pattern cannot be empty').max(1000, 'pattern is too long').optional(),
    bytes: z
      .string({ error: 'bytes must be hex text, such as "00 01 ?? *"' })
      .max(MAX_BYTES_PATTERN_CHARS, `bytes is at most ${MAX_BYTES_PATTERN_CHARS} characters`)
      .optional(),
    reply: textReplySchema.optional(),
    replyBytes: replyBytesSchema.optional(),
    delayMs: z
      .number({ error: 'delayMs must be a number of milliseconds' })
      .int('delayMs must be a whole number of milliseconds')
      .min(0, 'delayMs cannot be negative')
      .max(MAX_DELAY_MS, `delayMs must be at most ${MAX_DELAY_MS}`)
      .optional(),
    close: z.boolean({ error: 'close must be true or false' }).optional(),
    state: statesSchema.optional(),
    then: stateName.optional(),
  })
  .strict();

export type CommandRule = z.infer<typeof commandRuleSchema>;

export const pushSchema = z
  .object({
    everyMs: z
      .number({ error: 'everyMs must be a number of milliseconds' })
      .int('everyMs must be a whole number of milliseconds')
      .min(MIN_PUSH_MS, `everyMs must be at least ${MIN_PUSH_MS}`)
      .max(MAX_PUSH_MS, `everyMs must be at most ${MAX_PUSH_MS}`),
    reply: textReplySchema.optional(),
    replyBytes: replyBytesSchema.optional(),
    state: statesSchema.optional(),
  })
  .strict();

export type PushEntry = z.infer<typeof pushSchema>;

export const commandTableSchema = z
  .object({
    $schema: z.string().optional(),
    /** A name for the table, shown in the window's preset list. */
    name: z.string().max(200).optional(),
    commands: z.array(commandRuleSchema).max(MAX_RULES, `a table has at most ${MAX_RULES} rules`),
    builtins: z.object({ help: z.boolean().optional(), quit: z.boolean().optional() }).strict().optional(),
    unknown: z
      .string()
      .max(MAX_REPLY_LINE_CHARS, `the unknown reply is at most ${MAX_REPLY_LINE_CHARS} characters`)
      .optional(),
    greeting: textReplySchema.optional(),
    push: z.array(pushSchema).max(MAX_PUSHES, `a table has at most ${MAX_PUSHES} push entries`).optional(),
    framing: framingSchema.optional(),
    replyEnding: replyEndingSchema.optional(),
    toxics: toxicsSchema.optional(),
  })
  .strict();

export type CommandTable = z.infer<typeof commandTableSchema>;

export const DEFAULT_UNKNOWN_REPLY = 'Unknown command: {line}';

const HAIKU = [
  'A haiku on "Error 404"',
  '',
  '  You step in the stream,',
  '  But the water has moved on.',
  '  This file is not here.',
];

/** The classic witty server's table (README.md): the default preset. */
export const CLASSIC_TABLE: CommandTable = {
  name: 'Classic',
  commands: [
    { name: 'SONG', reply: 'Old McDonald had a farm, E-I-E-I-O!' },
    { name: 'QUOTE', reply: 'And now for something completely different...' },
    { name: 'HAIKU', reply: HAIKU },
    { name: 'POEM', reply: HAIKU },
  ],
};

/** Where a table is wrong: a rule and field, or a line and column of the file. */
export interface TableIssue {
  message: string;
  /** 0-based index into `commands`. */
  rule?: number;
  /** The rule's field (name, pattern, reply, …), or a top-level key (`push[0].everyMs` inside lists). */
  field?: string;
  line?: number;
  column?: number;
}

export type TableCheck = { ok: true; table: CommandTable } | { ok: false; issues: TableIssue[] };

/** One issue as a sentence naming its place. */
export function describeTableIssue(issue: TableIssue): string {
  if (issue.line !== undefined) return `line ${issue.line}, column ${issue.column ?? 1}: ${issue.message}`;
  if (issue.rule !== undefined)
    return `rule ${issue.rule + 1}${issue.field ? `, ${issue.field}` : ''}: ${issue.message}`;
  return issue.field ? `${issue.field}: ${issue.message}` : issue.message;
}

/** Reads a command table file's text: its size, JSON, then the schema, then the rules' sense. */
export function parseTableFile(text: string): TableCheck {
  // A text has at least as many UTF-8 bytes as characters, and at most three per character.
  if (text.length > MAX_TABLE_FILE_BYTES) return { ok: false, issues: [fileTooLarge(text.length)] };
  if (text.length > MAX_TABLE_FILE_BYTES / 3) {
    const bytes = utf8Length(text);
    if (bytes > MAX_TABLE_FILE_BYTES) return { ok: false, issues: [fileTooLarge(bytes)] };
  }
  const json = parseJson(text);
  if (!json.ok) {
    const { message, line, column } = json.error;
    return { ok: false, issues: [{ message: `not valid JSON: ${message}`, line, column }] };
  }
  return checkTable(json.value);
}

/** The issue for a file of `bytes` bytes, past MAX_TABLE_FILE_BYTES (callers that read files can say it before reading). */
export function fileTooLarge(bytes: number): TableIssue {
  const mb = (n: number): string => `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return {
    message: `the file is ${mb(bytes)}; a command table file is at most ${mb(MAX_TABLE_FILE_BYTES)}`,
  };
}

/** What a rule matches, ready to match with. */
export type RuleMatch =
  | { kind: 'name'; key: string }
  | { kind: 'pattern'; pattern: CompiledPattern }
  | { kind: 'bytes'; pattern: BytePattern };

/** What a rule, the unknown reply, the greeting or a push sends, parsed. */
export type ReplyTemplate =
  | { kind: 'text'; lines: readonly (readonly TemplatePart[])[] }
  | { kind: 'bytes'; parts: readonly BytePart[] };

export interface RuleAnalysis {
  readonly match: RuleMatch;
  readonly reply: ReplyTemplate;
  /** The states it matches in, or null for every state. */
  readonly states: readonly string[] | null;
  readonly then: string | null;
}

export interface PushAnalysis {
  readonly everyMs: number;
  readonly reply: ReplyTemplate;
  readonly states: readonly string[] | null;
}

/** A valid table, with everything serving it needs worked out once. */
export interface TableAnalysis {
  readonly rules: readonly RuleAnalysis[];
  readonly unknown: ReplyTemplate;
  readonly greeting: ReplyTemplate | null;
  readonly push: readonly PushAnalysis[];
  readonly framing: Framing;
  readonly replyEnding: string;
  readonly toxics: readonly Toxic[];
  /** Every state the table names, `start` first. */
  readonly states: readonly string[];
  /** Matching work per byte of a line that no rule matches: the patterns' and byte patterns' weights. */
  readonly matchWeight: number;
}

export type TableAnalysisResult =
  { ok: true; table: CommandTable; analysis: TableAnalysis } | { ok: false; issues: TableIssue[] };

/** Checks a table given as data (from the window, or a parsed file). */
export function checkTable(value: unknown): TableCheck {
  const result = analyseTable(value);
  return result.ok ? { ok: true, table: result.table } : { ok: false, issues: result.issues };
}

/**
 * Analyses of checked tables, by the table object checkTable returned: the
 * engine compiles what was checked without compiling it again. Tables are
 * never changed after they are checked (every edit makes a new one).
 */
const ANALYSED = new WeakMap<object, TableAnalysis>();

/** The analysis of a table checkTable or analyseTable returned, if it is that very object. */
export function analysisOf(table: CommandTable): TableAnalysis | undefined {
  return ANALYSED.get(table);
}

/** Checks a table and, if it is valid, works out what serving it needs. */
export function analyseTable(value: unknown): TableAnalysisResult {
  if (typeof value === 'object' && value !== null) {
    const known = ANALYSED.get(value);
    if (known) return { ok: true, table: value as CommandTable, analysis: known };
  }
  // A reply too big says so plainly, before the schema's own words for its parts.
  const tooBigReplies = replySizeIssues(value);
  if (tooBigReplies.length > 0) return { ok: false, issues: tooBigReplies };
  const parsed = commandTableSchema.safeParse(value);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map(schemaIssue) };
  const table = parsed.data;
  const oversize = checkTextSize(table);
  if (oversize.length > 0) return { ok: false, issues: oversize };
  const issues: TableIssue[] = [];
  const framing = resolveFraming(table.framing);
  const replyEnding = resolveReplyEnding(table.replyEnding, framing);
  const names = new Map<string, { index: number; states: readonly string[] | null }[]>();
  const rules: RuleAnalysis[] = [];
  let program = 0;
  let matchWeight = 0;
  table.commands.forEach((rule, index) => {
    const problem = (field: string, message: string): void => {
      issues.push({ rule: index, field, message });
    };
    const ways = [rule.name, rule.pattern, rule.bytes].filter((w) => w !== undefined).length;
    if (ways !== 1) {
      problem('name', 'a rule matches by one of name, pattern or bytes (exactly one)');
      return;
    }
    if ((rule.reply === undefined) === (rule.replyBytes === undefined)) {
      problem('reply', 'a rule answers with one of reply or replyBytes (exactly one)');
      return;
    }
    let match: RuleMatch | null = null;
    let groups = 9;
    let requestSize: number | null = fixedRequestSize(framing);
    if (rule.name !== undefined) {
      const key = asciiUpper(rule.name);
      const states = statesOf(rule.state);
      const same = names.get(key) ?? [];
      // One name may have a rule per state, never two that can answer in one state.
      const clash = same.find((other) => statesOverlap(other.states, states));
      if (clash) {
        problem(
          'name',
          `${rule.name} is already the name of rule ${clash.index + 1}${states || clash.states ? ' in the same state' : ''}`,
        );
      }
      same.push({ index, states });
      names.set(key, same);
      match = { kind: 'name', key };
    } else if (rule.pattern !== undefined) {
      // Past the table's bound every further pattern is refused, uncompiled.
      const compiled =
        program >= MAX_TABLE_PROGRAM
          ? tableTooComplex()
          : compileBoundedPattern(rule.pattern, MAX_PATTERN_PROGRAM);
      if (typeof compiled === 'string') {
        problem('pattern', compiled);
        return;
      }
      if (program + compiled.size > MAX_TABLE_PROGRAM) {
        problem('pattern', tableTooComplex());
        return;
      }
      program += compiled.size;
      matchWeight += compiled.weight;
      groups = compiled.groups;
      match = { kind: 'pattern', pattern: compiled };
    } else if (rule.bytes !== undefined) {
      const pattern = parseBytePattern(rule.bytes);
      if (typeof pattern === 'string') {
        problem('bytes', pattern);
        return;
      }
      matchWeight += pattern.searchWeight;
      requestSize = fixedLength(pattern) ?? requestSize;
      match = { kind: 'bytes', pattern };
    }
    const reply = checkReply(rule, groups, requestSize, (field, message) => problem(field, message));
    if (!match || !reply) return;
    rules.push({
      match,
      reply,
      states: rule.state === undefined ? null : typeof rule.state === 'string' ? [rule.state] : rule.state,
      then: rule.then ?? null,
    });
  });

  const unknown = textTemplate([table.unknown ?? DEFAULT_UNKNOWN_REPLY], 9, (message) =>
    issues.push({ field: 'unknown', message }),
  );
  const greeting =
    table.greeting === undefined
      ? null
      : textTemplate(asLines(table.greeting), NO_REQUEST, (message) =>
          issues.push({ field: 'greeting', message }),
        );
  const push: PushAnalysis[] = [];
  (table.push ?? []).forEach((entry, index) => {
    const where = `push[${index}]`;
    if ((entry.reply === undefined) === (entry.replyBytes === undefined)) {
      issues.push({
        field: `${where}.reply`,
        message: 'a push sends one of reply or replyBytes (exactly one)',
      });
      return;
    }
    const reply = checkReply(entry, NO_REQUEST, 0, (field, message) =>
      issues.push({ field: `${where}.${field}`, message }),
    );
    if (reply) push.push({ everyMs: entry.everyMs, reply, states: statesOf(entry.state) });
  });

  const states = checkStates(table, issues);
  const toxicNames = new Map<string, number>();
  (table.toxics ?? []).forEach((toxic, index) => {
    const first = toxicNames.get(toxic.name);
    if (first !== undefined) {
      issues.push({
        field: `toxics[${index}].name`,
        message: `${toxic.name} is already the name of toxic ${first + 1}`,
      });
    } else toxicNames.set(toxic.name, index);
  });
  if (issues.length > 0) return { ok: false, issues };

  const analysis: TableAnalysis = {
    rules,
    unknown: unknown ?? { kind: 'text', lines: [] },
    greeting,
    push,
    framing,
    replyEnding,
    toxics: (table.toxics ?? []).map(resolveToxic),
    states,
    matchWeight,
  };
  const limits = checkTableLimits(table, analysis, DEFAULT_SETTINGS.maxLineBytes);
  if (limits.length > 0) return { ok: false, issues: limits };
  ANALYSED.set(table, analysis);
  return { ok: true, table, analysis };
}

/**
 * Refuses, before anything is parsed, a text reply longer than any reply
 * may be (a character is at least a byte) and a table holding more text
 * than a file may: what analysing a table costs is bounded by its text.
 */
function checkTextSize(table: CommandTable): TableIssue[] {
  const issues: TableIssue[] = [];
  let size = (table.unknown?.length ?? 0) + textLength(table.greeting);
  table.commands.forEach((rule, index) => {
    const reply = textLength(rule.reply);
    if (reply > MAX_REPLY_BYTES) issues.push({ rule: index, field: 'reply', message: tooLong(reply) });
    size += reply + (rule.replyBytes?.length ?? 0) + (rule.pattern?.length ?? 0);
    size += (rule.bytes?.length ?? 0) + (rule.name?.length ?? 0);
  });
  for (const entry of table.push ?? []) size += textLength(entry.reply) + (entry.replyBytes?.length ?? 0);
  if (issues.length === 0 && size > MAX_TABLE_FILE_BYTES) {
    issues.push({
      message: `the table holds ${size} characters of text; a table holds at most ${MAX_TABLE_FILE_BYTES} (the limit of a file)`,
    });
  }
  return issues;
}

function tooLong(chars: number): string {
  return `a reply is at most ${MAX_REPLY_BYTES / 1024} KiB (${MAX_REPLY_BYTES} bytes), so that any client can receive it whole; this one holds ${chars} characters`;
}

/**
 * Rules' text replies over the size or line count any reply may have, read
 * from the table as it came (not yet checked): the schema would name only
 * a part (one line too long) or, for a list too long, no limit at all.
 */
function replySizeIssues(value: unknown): TableIssue[] {
  const commands =
    typeof value === 'object' && value !== null ? (value as { commands?: unknown }).commands : null;
  if (!Array.isArray(commands)) return [];
  const issues: TableIssue[] = [];
  commands.forEach((rule: unknown, index) => {
    const reply = typeof rule === 'object' && rule !== null ? (rule as { reply?: unknown }).reply : undefined;
    const lines =
      typeof reply === 'string'
        ? [reply]
        : Array.isArray(reply) && reply.every((l): l is string => typeof l === 'string')
          ? reply
          : null;
    if (!lines) return;
    const chars = textLength(lines);
    if (chars > MAX_REPLY_BYTES) issues.push({ rule: index, field: 'reply', message: tooLong(chars) });
    else if (lines.length > MAX_REPLY_LINES) {
      issues.push({
        rule: index,
        field: 'reply',
        message: `a reply has at most ${MAX_REPLY_LINES} lines; this one has ${lines.length}`,
      });
    }
  });
  return issues;
}

function textLength(reply: string | readonly string[] | undefined): number {
  if (reply === undefined) return 0;
  if (typeof reply === 'string') return reply.length;
  let size = 0;
  for (const line of reply) size += line.length;
  return size;
}

function tableTooComplex(): string {
  return `pattern too complex: the table's patterns together compile to more than ${MAX_TABLE_PROGRAM} instructions`;
}

function statesOverlap(a: readonly string[] | null, b: readonly string[] | null): boolean {
  return a === null || b === null || a.some((s) => b.includes(s));
}

function asLines(reply: string | readonly string[]): readonly string[] {
  return typeof reply === 'string' ? [reply] : reply;
}

function statesOf(state: string | readonly string[] | undefined): readonly string[] | null {
  return state === undefined ? null : typeof state === 'string' ? [state] : state;
}

/** A rule's or a push's reply, parsed and checked against what the request can hold. */
function checkReply(
  source: { reply?: string | string[]; replyBytes?: string },
  groups: number,
  requestSize: number | null,
  problem: (field: string, message: string) => void,
): ReplyTemplate | null {
  if (source.replyBytes !== undefined) {
    const parts = parseByteTemplate(source.replyBytes);
    if (typeof parts === 'string') {
      problem('replyBytes', parts);
      return null;
    }
    if (requestSize !== null) {
      const outside = spanOutside(parts, requestSize);
      if (outside) {
        problem(
          'replyBytes',
          requestSize === 0
            ? `{req:${outside.offset}:${outside.length}}: there is no request to copy from here`
            : `{req:${outside.offset}:${outside.length}} reaches byte ${outside.offset + outside.length}, but every request it answers has ${requestSize} bytes`,
        );
        return null;
      }
    }
    return { kind: 'bytes', parts };
  }
  return textTemplate(asLines(source.reply ?? []), groups, (message) => problem('reply', message));
}

/** The `groups` of a greeting or a push: there is no request, so no groups and no {req:…}. */
const NO_REQUEST = -1;

function textTemplate(
  lines: readonly string[],
  groups: number,
  problem: (message: string) => void,
): ReplyTemplate | null {
  const parsed: TemplatePart[][] = [];
  for (const line of lines) {
    const template = parseTemplate(line);
    if (typeof template === 'string') {
      problem(template);
      return null;
    }
    const high = highestGroup(template);
    if (high > (groups === NO_REQUEST ? 0 : groups)) {
      problem(
        groups === NO_REQUEST
          ? `{${high}}: there is no request here to take groups from`
          : `{${high}} but the pattern has ${groups === 1 ? '1 group' : `${groups} groups`}`,
      );
      return null;
    }
    parsed.push(template);
  }
  return { kind: 'text', lines: parsed };
}

/**
 * The states the table names. A `then` must name a state some rule or push
 * is in, and a push's state one that `start` or some `then` reaches: a
 * name nothing else uses is a typo, refused at its place.
 */
function checkStates(table: CommandTable, issues: TableIssue[]): string[] {
  const pushes = table.push ?? [];
  const known = new Set<string>([START_STATE]);
  for (const rule of table.commands) for (const s of statesOf(rule.state) ?? []) known.add(s);
  for (const entry of pushes) for (const s of statesOf(entry.state) ?? []) known.add(s);
  const reached = new Set<string>([START_STATE]);
  for (const rule of table.commands) if (rule.then !== undefined) reached.add(rule.then);
  const listed = (): string => [...known].join(', ');
  table.commands.forEach((rule, index) => {
    if (rule.then !== undefined && !known.has(rule.then)) {
      issues.push({
        rule: index,
        field: 'then',
        message: `then names the state ${rule.then}, which no rule or push is in (states: ${listed()})`,
      });
    }
  });
  pushes.forEach((entry, index) => {
    for (const s of statesOf(entry.state) ?? []) {
      if (!reached.has(s)) {
        issues.push({
          field: `push[${index}].state`,
          message: `no connection ever reaches the state ${s}: no rule's then names it`,
        });
      }
    }
  });
  return [...known];
}

/** A zod issue, placed at the rule and field, or the key (with list indices), it is about. */
function schemaIssue(issue: z.core.$ZodIssue): TableIssue {
  const [top, index, field] = issue.path;
  if (top === 'commands' && typeof index === 'number') {
    return { message: issue.message, rule: index, ...(field !== undefined ? { field: String(field) } : {}) };
  }
  if (top === 'push' || top === 'toxics' || top === 'framing') {
    const place = issue.path
      .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
      .join('');
    return { message: issue.message, field: place };
  }
  return { message: issue.message, ...(top !== undefined ? { field: String(top) } : {}) };
}

/** A rule's matching work per byte of a line. */
function matchWeightOf(match: RuleMatch): number {
  return match.kind === 'pattern'
    ? match.pattern.weight
    : match.kind === 'bytes'
      ? match.pattern.searchWeight
      : 0;
}

/**
 * The most matching work per line byte the rules up to each one can cost,
 * and the first rule at which that, times the max line, is over the limit.
 * A pattern that needs a literal prefix (`^GET `) is tried only on lines
 * starting with it, and one line starts with one chain of such prefixes
 * at most (`G`, `GE`, `GET `): the worst line pays every unprefixed rule
 * and the costliest chain.
 */
function firstRuleOverWork(
  rules: readonly RuleAnalysis[],
  maxLineBytes: number,
): { rule: number; work: number } | null {
  let open = 0;
  const prefixed: { prefix: string; weight: number; chain: number }[] = [];
  let worstChain = 0;
  for (let index = 0; index < rules.length; index++) {
    const match = (rules[index] as RuleAnalysis).match;
    const weight = matchWeightOf(match);
    if (weight === 0) continue;
    const prefix = match.kind === 'pattern' ? match.pattern.prefix : '';
    if (prefix === '') open += weight;
    else {
      // This rule's chain: it, the prefixes it extends, and those that extend it.
      let chain = weight;
      for (const other of prefixed) {
        if (prefix.startsWith(other.prefix) || other.prefix.startsWith(prefix)) {
          chain += other.weight;
          other.chain += weight;
          worstChain = Math.max(worstChain, other.chain);
        }
      }
      prefixed.push({ prefix, weight, chain });
      worstChain = Math.max(worstChain, chain);
    }
    const work = (open + worstChain) * maxLineBytes;
    if (work > MAX_LINE_MATCH_WORK) return { rule: index, work };
  }
  return null;
}

/** The most bytes a reply template can send, for requests of at most `maxRequestBytes`. */
export function worstCaseTemplateBytes(
  reply: ReplyTemplate,
  maxRequestBytes: number,
  replyEnding: string,
): number {
  if (reply.kind === 'bytes') return worstCaseByteTemplateBytes(reply.parts);
  const ending = utf8Length(replyEnding);
  let total = 0;
  for (const parts of reply.lines) total += worstCaseTextBytes(parts, maxRequestBytes, ending);
  return total;
}

/**
 * The most bytes `rule` can ever send for one request, when requests are at
 * most `maxLineBytes` long (the server's max line), with the table's reply
 * ending. Throws if the rule itself is not valid.
 */
export function worstCaseReplyBytes(rule: CommandRule, maxLineBytes: number, replyEnding = '\r\n'): number {
  const reply = checkReply(rule, 9, null, (field, message) => {
    throw new Error(`${field}: ${message}`);
  });
  return reply ? worstCaseTemplateBytes(reply, maxLineBytes, replyEnding) : 0;
}

/**
 * The limits that depend on the server's max line: every reply must fit in
 * MAX_REPLY_BYTES and one line's matching work in MAX_LINE_MATCH_WORK.
 * checkTable applies them at the default max line; the server calls
 * `checkTableForSettings` with its own.
 */
function checkTableLimits(table: CommandTable, analysis: TableAnalysis, maxLineBytes: number): TableIssue[] {
  const issues: TableIssue[] = [];
  const tooBig = (worst: number): string =>
    `this reply can be ${worst} bytes long (with lines of ${maxLineBytes} bytes), more than the ${MAX_REPLY_BYTES} a reply may have: no client could be sure to receive it whole`;
  const field = (source: { replyBytes?: string }): string =>
    source.replyBytes !== undefined ? 'replyBytes' : 'reply';
  analysis.rules.forEach((rule, index) => {
    const worst = worstCaseTemplateBytes(rule.reply, maxLineBytes, analysis.replyEnding);
    const source = table.commands[index];
    if (worst > MAX_REPLY_BYTES && source)
      issues.push({ rule: index, field: field(source), message: tooBig(worst) });
  });
  const unknown = worstCaseTemplateBytes(analysis.unknown, maxLineBytes, analysis.replyEnding);
  if (unknown > MAX_REPLY_BYTES) issues.push({ field: 'unknown', message: tooBig(unknown) });
  if (analysis.greeting) {
    const worst = worstCaseTemplateBytes(analysis.greeting, 0, analysis.replyEnding);
    if (worst > MAX_REPLY_BYTES) issues.push({ field: 'greeting', message: tooBig(worst) });
  }
  analysis.push.forEach((entry, index) => {
    const worst = worstCaseTemplateBytes(entry.reply, 0, analysis.replyEnding);
    const source = table.push?.[index];
    if (worst > MAX_REPLY_BYTES && source) {
      issues.push({ field: `push[${index}].${field(source)}`, message: tooBig(worst) });
    }
  });
  const over = firstRuleOverWork(analysis.rules, maxLineBytes);
  const source = over === null ? undefined : table.commands[over.rule];
  if (over && source) {
    issues.push({
      rule: over.rule,
      field: source.bytes !== undefined ? 'bytes' : 'pattern',
      message: `pattern too complex: one line of ${maxLineBytes} bytes could cost ${over.work} steps to match against the patterns up to here, more than the ${MAX_LINE_MATCH_WORK} one line may: use fewer or simpler patterns, start them with ^ and a literal word, or lower the max line`,
    });
  }
  return issues;
}

/**
 * Whether a valid table can be served with a max line of `maxLineBytes`:
 * the issues that would refuse it, none if it can.
 */
export function checkTableForSettings(table: CommandTable, maxLineBytes: number): TableIssue[] {
  const result = analyseTable(table);
  if (!result.ok) return result.issues;
  return checkTableLimits(result.table, result.analysis, maxLineBytes);
}
