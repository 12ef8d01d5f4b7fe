/**
 * The command table as data (CONTRACT §5): its schema, the classic table,
 * and the checks that decide whether a table may be served.
 *
 * The window, main and the command line all validate with this module, so a
 * table is refused for the same reason, in the same words, wherever it was
 * written. Patterns are compiled with RE2 (re2js), whose matching time is
 * linear in the line's length whatever the pattern: no pattern can hang the
 * server.
 */
import { RE2JS } from 're2js';
import { z } from 'zod';
import { parseJson } from './json-location.js';
import { asciiUpper } from './text.js';

/** The `$id` of the published schema (schema/command-table.schema.json); files name it as their `$schema`. */
export const TABLE_SCHEMA_ID = 'https://switchboard.dev/schema/command-table.schema.json';

export const MAX_RULES = 1000;
export const MAX_DELAY_MS = 60_000;

const replySchema = z.union([z.string().max(65_536), z.array(z.string().max(65_536)).min(1).max(1000)], {
  error: 'reply must be a line of text or a list of lines',
});

export const commandRuleSchema = z
  .object({
    name: z
      .string()
      .min(1, 'name cannot be empty')
      .max(100, 'name is too long')
      .regex(/^[^\s]+$/, 'name is one command word, without spaces')
      .optional(),
    pattern: z.string().min(1, 'pattern cannot be empty').max(1000, 'pattern is too long').optional(),
    reply: replySchema,
    delayMs: z
      .number({ error: 'delayMs must be a number of milliseconds' })
      .int('delayMs must be a whole number of milliseconds')
      .min(0, 'delayMs cannot be negative')
      .max(MAX_DELAY_MS, `delayMs must be at most ${MAX_DELAY_MS}`)
      .optional(),
    close: z.boolean({ error: 'close must be true or false' }).optional(),
  })
  .strict();

export type CommandRule = z.infer<typeof commandRuleSchema>;

export const commandTableSchema = z
  .object({
    $schema: z.string().optional(),
    /** A name for the table, shown in the window's preset list. */
    name: z.string().max(200).optional(),
    commands: z.array(commandRuleSchema).max(MAX_RULES, `a table has at most ${MAX_RULES} rules`),
    builtins: z.object({ help: z.boolean().optional(), quit: z.boolean().optional() }).strict().optional(),
    unknown: z.string().max(65_536).optional(),
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

/** The classic witty server's table (CONTRACT §1): the default preset. */
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
  /** The rule's field (name, pattern, reply, delayMs, close), or a top-level key. */
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

/** Reads a command table file's text: JSON, then the schema, then the rules' sense. */
export function parseTableFile(text: string): TableCheck {
  const json = parseJson(text);
  if (!json.ok) {
    const { message, line, column } = json.error;
    return { ok: false, issues: [{ message: `not valid JSON: ${message}`, line, column }] };
  }
  return checkTable(json.value);
}

/** Checks a table given as data (from the window, or a parsed file). */
export function checkTable(value: unknown): TableCheck {
  const parsed = commandTableSchema.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => {
        const [top, index, field] = issue.path;
        if (top === 'commands' && typeof index === 'number') {
          return {
            message: issue.message,
            rule: index,
            ...(field !== undefined ? { field: String(field) } : {}),
          };
        }
        return { message: issue.message, ...(top !== undefined ? { field: String(top) } : {}) };
      }),
    };
  }
  const table = parsed.data;
  const issues: TableIssue[] = [];
  const names = new Map<string, number>();
  table.commands.forEach((rule, index) => {
    if ((rule.name === undefined) === (rule.pattern === undefined)) {
      issues.push({
        rule: index,
        field: 'name',
        message: 'a rule has either a name or a pattern (one of the two)',
      });
      return;
    }
    let groups = 9;
    if (rule.name !== undefined) {
      const key = asciiUpper(rule.name);
      const first = names.get(key);
      if (first !== undefined) {
        issues.push({
          rule: index,
          field: 'name',
          message: `${rule.name} is already the name of rule ${first + 1}`,
        });
      } else names.set(key, index);
    } else if (rule.pattern !== undefined) {
      const compiled = compilePattern(rule.pattern);
      if (typeof compiled === 'string') {
        issues.push({ rule: index, field: 'pattern', message: compiled });
        return;
      }
      groups = compiled.groupCount();
    }
    const lines = typeof rule.reply === 'string' ? [rule.reply] : rule.reply;
    for (const line of lines) {
      const template = parseTemplate(line);
      if (typeof template === 'string') {
        issues.push({ rule: index, field: 'reply', message: template });
        break;
      }
      const tooHigh = template.find(
        (part) => typeof part === 'object' && /^\d$/.test(part.name) && Number(part.name) > groups,
      );
      if (tooHigh && typeof tooHigh === 'object' && rule.pattern !== undefined) {
        const has = groups === 1 ? '1 group' : `${groups} groups`;
        issues.push({ rule: index, field: 'reply', message: `{${tooHigh.name}} but the pattern has ${has}` });
        break;
      }
    }
  });
  if (table.unknown !== undefined) {
    const template = parseTemplate(table.unknown);
    if (typeof template === 'string') issues.push({ field: 'unknown', message: template });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, table };
}

/** Compiles a pattern with RE2, or says why it cannot be compiled. */
export function compilePattern(pattern: string): RE2JS | string {
  try {
    return RE2JS.compile(pattern);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // RE2's own words for these ("invalid named capture", "invalid escape sequence") do not say why.
    const hint = /\(\?<?[=!]/.test(pattern)
      ? ' (lookahead and lookbehind are not supported: patterns use RE2 syntax)'
      : /\\[1-9]/.test(pattern)
        ? ' (backreferences are not supported: patterns use RE2 syntax)'
        : '';
    return `invalid pattern: ${message.replace(/^error parsing regexp: /, '')}${hint}`;
  }
}

/** The variables a reply may use (CONTRACT §5). */
export const TEMPLATE_VARIABLES = [
  'line',
  'args',
  'conn',
  'time',
  'count',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
];

export type TemplatePart = string | { name: string };

/** Splits a reply line into text and variables, or says what is wrong with it. */
export function parseTemplate(template: string): TemplatePart[] | string {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    const c = template.charAt(i);
    if (c === '{' && template.charAt(i + 1) === '{') {
      text += '{';
      i += 2;
      continue;
    }
    if (c !== '{') {
      text += c;
      i++;
      continue;
    }
    const close = template.indexOf('}', i);
    if (close === -1) return `unclosed { at character ${i + 1} (write {{ for a literal {)`;
    const name = template.slice(i + 1, close);
    if (!TEMPLATE_VARIABLES.includes(name)) {
      return `unknown variable {${name}}: use ${TEMPLATE_VARIABLES.filter((v) => !/^\d$/.test(v))
        .map((v) => `{${v}}`)
        .join(', ')} or {1}…{9} (write {{ for a literal {)`;
    }
    if (text) parts.push(text);
    text = '';
    parts.push({ name });
    i = close + 1;
  }
  if (text || parts.length === 0) parts.push(text);
  return parts;
}
