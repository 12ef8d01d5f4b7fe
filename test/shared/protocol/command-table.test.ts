import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import {
  CLASSIC_TABLE,
  MAX_DELAY_MS,
  MAX_RULES,
  checkTable,
  compilePattern,
  describeTableIssue,
  parseTableFile,
  parseTemplate,
  type TableIssue,
} from '../../../electron/shared/protocol/command-table.js';
import { ROOT } from '../../helpers/process.js';

/** The smallest useful file of docs/command-tables.md. */
const DOCS_EXAMPLE = {
  commands: [
    { name: 'PING', reply: 'PONG' },
    { pattern: '^GET (\\w+)$', reply: ['VALUE {1}', 'END'] },
  ],
};

const UNKNOWN_VARIABLE = 'use {line}, {args}, {conn}, {time}, {count} or {1}…{9} (write {{ for a literal {)';

/** The issues `value` is refused with (fails the test if it is accepted). */
function issues(value: unknown): TableIssue[] {
  const check = checkTable(value);
  if (check.ok) throw new Error(`expected ${JSON.stringify(value)} to be refused`);
  return check.issues;
}

/** A table of one rule. */
function one(rule: Record<string, unknown>): unknown {
  return { commands: [rule] };
}

describe('accepted tables', () => {
  it('accepts the classic table as it is', () => {
    expect(checkTable(CLASSIC_TABLE)).toEqual({ ok: true, table: CLASSIC_TABLE });
  });

  it('accepts the docs/command-tables.md example', () => {
    expect(checkTable(DOCS_EXAMPLE)).toEqual({ ok: true, table: DOCS_EXAMPLE });
  });

  it('accepts every optional field at its bounds', () => {
    const table = {
      $schema: './command-table.schema.json',
      name: 'Everything',
      commands: [
        { name: 'NOW', reply: 'x', delayMs: 0, close: false },
        { name: 'LATER', reply: ['a', ''], delayMs: MAX_DELAY_MS, close: true },
      ],
      builtins: { help: false, quit: false },
      unknown: '? {line} #{count}',
    };
    expect(checkTable(table)).toEqual({ ok: true, table });
  });

  it(`accepts ${MAX_RULES} rules`, () => {
    const commands = Array.from({ length: MAX_RULES }, (_, i) => ({ name: `C${i}`, reply: 'x' }));
    expect(checkTable({ commands }).ok).toBe(true);
  });
});

describe('the schema, each issue naming its rule and field', () => {
  it.each([
    [
      'a rule with both a name and a pattern',
      one({ name: 'A', pattern: 'a', reply: 'x' }),
      { rule: 0, field: 'name', message: 'a rule matches by one of name, pattern or bytes (exactly one)' },
    ],
    [
      'a rule with neither',
      one({ reply: 'x' }),
      { rule: 0, field: 'name', message: 'a rule matches by one of name, pattern or bytes (exactly one)' },
    ],
    [
      'a name with a space',
      one({ name: 'GET KEY', reply: 'x' }),
      { rule: 0, field: 'name', message: 'name is one command word, without spaces' },
    ],
    [
      'a name too long',
      one({ name: 'N'.repeat(101), reply: 'x' }),
      { rule: 0, field: 'name', message: 'name is too long' },
    ],
    [
      'an empty pattern',
      one({ pattern: '', reply: 'x' }),
      { rule: 0, field: 'pattern', message: 'pattern cannot be empty' },
    ],
    [
      'a reply that is a number',
      one({ name: 'A', reply: 5 }),
      { rule: 0, field: 'reply', message: 'reply must be a line of text or a list of lines' },
    ],
    [
      'a reply list holding a number',
      one({ name: 'A', reply: ['a', 5] }),
      { rule: 0, field: 'reply', message: 'reply must be a line of text or a list of lines' },
    ],
    [
      'a negative delay',
      one({ name: 'A', reply: 'x', delayMs: -1 }),
      { rule: 0, field: 'delayMs', message: 'delayMs cannot be negative' },
    ],
    [
      'a delay over the maximum',
      one({ name: 'A', reply: 'x', delayMs: MAX_DELAY_MS + 1 }),
      { rule: 0, field: 'delayMs', message: 'delayMs must be at most 60000' },
    ],
    [
      'a fractional delay',
      one({ name: 'A', reply: 'x', delayMs: 1.5 }),
      { rule: 0, field: 'delayMs', message: 'delayMs must be a whole number of milliseconds' },
    ],
    [
      'a delay given as text',
      one({ name: 'A', reply: 'x', delayMs: '5' }),
      { rule: 0, field: 'delayMs', message: 'delayMs must be a number of milliseconds' },
    ],
    [
      'close given as text',
      one({ name: 'A', reply: 'x', close: 'yes' }),
      { rule: 0, field: 'close', message: 'close must be true or false' },
    ],
    [
      'an unknown key in a rule',
      one({ name: 'A', reply: 'x', colour: 'red' }),
      { rule: 0, message: 'Unrecognized key: "colour"' },
    ],
  ])('refuses %s', (_what, table, issue) => {
    expect(issues(table)).toEqual([issue]);
  });

  it('names the index of the rule that is wrong', () => {
    const table = {
      commands: [
        { name: 'A', reply: 'a' },
        { name: 'B', reply: 'b' },
        { name: 'C', reply: 'c', delayMs: -5 },
      ],
    };
    expect(issues(table)).toEqual([{ rule: 2, field: 'delayMs', message: 'delayMs cannot be negative' }]);
  });

  it.each([
    ['an unknown top-level key', { commands: [], colour: 1 }, { message: 'Unrecognized key: "colour"' }],
    [
      'an unknown builtin',
      { commands: [], builtins: { more: true } },
      { field: 'builtins', message: 'Unrecognized key: "more"' },
    ],
    [
      'a builtin that is not a boolean',
      { commands: [], builtins: { help: 'no' } },
      { field: 'builtins', message: 'Invalid input: expected boolean, received string' },
    ],
    [
      'builtins that are not an object',
      { commands: [], builtins: true },
      { field: 'builtins', message: 'Invalid input: expected object, received boolean' },
    ],
    [
      'a table without commands',
      {},
      { field: 'commands', message: 'Invalid input: expected array, received undefined' },
    ],
    ['a list instead of a table', [], { message: 'Invalid input: expected object, received array' }],
    ['null', null, { message: 'Invalid input: expected object, received null' }],
  ])('refuses %s', (_what, table, issue) => {
    expect(issues(table)).toEqual([issue]);
  });

  it(`refuses more than ${MAX_RULES} rules`, () => {
    const commands = Array.from({ length: MAX_RULES + 1 }, (_, i) => ({ name: `C${i}`, reply: 'x' }));
    expect(issues({ commands })).toEqual([{ field: 'commands', message: 'a table has at most 1000 rules' }]);
  });
});

describe('duplicate names', () => {
  it('refuses a name used twice, in any case, naming the first rule that has it', () => {
    const table = {
      commands: [
        { name: 'PING', reply: 'a' },
        { name: 'QUOTE', reply: 'b' },
        { name: 'Ping', reply: 'c' },
        { name: 'ping', reply: 'd' },
      ],
    };
    expect(issues(table)).toEqual([
      { rule: 2, field: 'name', message: 'Ping is already the name of rule 1' },
      { rule: 3, field: 'name', message: 'ping is already the name of rule 1' },
    ]);
  });

  it('compares ASCII letters only, as commands are matched', () => {
    const table = {
      commands: [
        { name: 'STRASSE', reply: 'a' },
        { name: 'straße', reply: 'b' },
      ],
    };
    expect(checkTable(table).ok).toBe(true);
  });

  it('lets two patterns be the same (they are not names)', () => {
    const table = {
      commands: [
        { pattern: '^a$', reply: 'a' },
        { pattern: '^a$', reply: 'b' },
      ],
    };
    expect(checkTable(table).ok).toBe(true);
  });
});

describe('patterns', () => {
  it.each([
    ['(a', 'invalid pattern: missing closing ): `(a`'],
    ['[z-a]', 'invalid pattern: invalid character class range: `z-a`'],
    [
      '(?<=a)b',
      'invalid pattern: invalid named capture: `(?<=a)b` (lookahead and lookbehind are not supported: patterns use RE2 syntax)',
    ],
    [
      '(?<!a)b',
      'invalid pattern: invalid named capture: `(?<!a)b` (lookahead and lookbehind are not supported: patterns use RE2 syntax)',
    ],
    [
      'a(?=b)',
      'invalid pattern: invalid or unsupported Perl syntax: `(?=` (lookahead and lookbehind are not supported: patterns use RE2 syntax)',
    ],
    [
      '^(a)\\1$',
      'invalid pattern: invalid escape sequence: `\\1` (backreferences are not supported: patterns use RE2 syntax)',
    ],
  ])('refuses %j with RE2’s reason', (pattern, message) => {
    expect(compilePattern(pattern)).toBe(message);
    expect(issues(one({ pattern, reply: 'x' }))).toEqual([{ rule: 0, field: 'pattern', message }]);
  });

  it('compiles a pattern a backtracking engine would hang on', () => {
    const compiled = compilePattern('^(a+)+$');
    expect(typeof compiled).not.toBe('string');
  });

  it.each([
    ['^PING$', '{1}', '{1} but the pattern has 0 groups'],
    ['^GET (\\w+)$', 'VALUE {2}', '{2} but the pattern has 1 group'],
    ['^(a)(b)$', '{9}', '{9} but the pattern has 2 groups'],
    ['^(?:a)(?P<name>b)$', '{2}', '{2} but the pattern has 1 group'],
  ])('refuses %j with a reply using a group it does not have (%s)', (pattern, reply, message) => {
    expect(issues(one({ pattern, reply: ['ok', reply] }))).toEqual([{ rule: 0, field: 'reply', message }]);
  });

  it('accepts every group the pattern has, named ones included, and none beyond for a name rule', () => {
    expect(checkTable(one({ pattern: '^(?:a)(?P<name>b)(c)$', reply: '{1}{2}' })).ok).toBe(true);
    expect(checkTable(one({ name: 'ANY', reply: '{1} {9}' })).ok).toBe(true);
  });
});

describe('reply templates', () => {
  it.each([
    ['{nope}', `unknown variable {nope}: ${UNKNOWN_VARIABLE}`],
    ['{LINE}', `unknown variable {LINE}: ${UNKNOWN_VARIABLE}`],
    ['{0}', `unknown variable {0}: ${UNKNOWN_VARIABLE}`],
    ['{10}', `unknown variable {10}: ${UNKNOWN_VARIABLE}`],
    ['{}', `unknown variable {}: ${UNKNOWN_VARIABLE}`],
    ['x {', 'unclosed { at character 3 (write {{ for a literal {)'],
    ['ab {line', 'unclosed { at character 4 (write {{ for a literal {)'],
  ])('refuses %j in a reply', (reply, message) => {
    expect(parseTemplate(reply)).toBe(message);
    expect(issues(one({ name: 'A', reply }))).toEqual([{ rule: 0, field: 'reply', message }]);
  });

  it('checks every line of a list reply', () => {
    expect(issues(one({ name: 'A', reply: ['fine {line}', 'bad {x}'] }))).toEqual([
      { rule: 0, field: 'reply', message: `unknown variable {x}: ${UNKNOWN_VARIABLE}` },
    ]);
  });

  it('checks the unknown reply too', () => {
    expect(issues({ commands: [], unknown: 'what is {what}?' })).toEqual([
      { field: 'unknown', message: `unknown variable {what}: ${UNKNOWN_VARIABLE}` },
    ]);
  });

  it('reads {{ as a literal {, and a lone } as itself', () => {
    expect(parseTemplate('{{line}')).toEqual(['{line}']);
    expect(parseTemplate('}{{')).toEqual(['}{']);
    expect(parseTemplate('{{{line}')).toEqual(['{', { name: 'line' }]);
    expect(checkTable(one({ name: 'A', reply: '{{nope} {{' })).ok).toBe(true);
  });

  it('splits text and variables in order', () => {
    expect(parseTemplate('at {time}: {1}{2} #{count}')).toEqual([
      'at ',
      { name: 'time' },
      ': ',
      { name: '1' },
      { name: '2' },
      ' #',
      { name: 'count' },
    ]);
    expect(parseTemplate('')).toEqual(['']);
  });
});

describe('several issues at once', () => {
  it('reports one issue per wrong rule, each with its place', () => {
    const table = {
      commands: [
        { name: 'A', reply: '{nope}' },
        { pattern: '(', reply: 'x' },
        { reply: 'x' },
        { name: 'B', reply: 'fine' },
      ],
    };
    expect(issues(table)).toEqual([
      { rule: 0, field: 'reply', message: `unknown variable {nope}: ${UNKNOWN_VARIABLE}` },
      { rule: 1, field: 'pattern', message: 'invalid pattern: missing closing ): `(`' },
      { rule: 2, field: 'name', message: 'a rule matches by one of name, pattern or bytes (exactly one)' },
    ]);
  });
});

describe('parseTableFile', () => {
  it('reads a good file', () => {
    expect(parseTableFile(JSON.stringify(DOCS_EXAMPLE, null, 2))).toEqual({
      ok: true,
      table: DOCS_EXAMPLE,
    });
  });

  it('names the line and column where the JSON breaks', () => {
    const text = '{\n  "commands": [\n    { "name": "PING", "reply": "PONG" },\n  ]\n}\n';
    expect(parseTableFile(text)).toEqual({
      ok: false,
      issues: [{ line: 4, column: 3, message: 'not valid JSON: expected a value but found "]"' }],
    });
  });

  it('refuses an empty file at line 1, column 1', () => {
    expect(parseTableFile('')).toEqual({
      ok: false,
      issues: [{ line: 1, column: 1, message: 'not valid JSON: expected a value but found end of text' }],
    });
  });

  it('names the rule and field when the JSON is good but the table is not', () => {
    const text = JSON.stringify({
      commands: [
        { name: 'A', reply: 'a' },
        { pattern: '(?<=x)', reply: 'b' },
      ],
    });
    expect(parseTableFile(text)).toEqual({
      ok: false,
      issues: [
        {
          rule: 1,
          field: 'pattern',
          message:
            'invalid pattern: invalid named capture: `(?<=x)` (lookahead and lookbehind are not supported: patterns use RE2 syntax)',
        },
      ],
    });
  });
});

describe('describeTableIssue', () => {
  it.each([
    [{ rule: 1, field: 'pattern', message: 'invalid pattern: x' }, 'rule 2, pattern: invalid pattern: x'],
    [{ rule: 0, message: 'Unrecognized key: "colour"' }, 'rule 1: Unrecognized key: "colour"'],
    [{ line: 4, column: 3, message: 'not valid JSON: y' }, 'line 4, column 3: not valid JSON: y'],
    [{ line: 2, message: 'z' }, 'line 2, column 1: z'],
    [{ field: 'unknown', message: 'unclosed {' }, 'unknown: unclosed {'],
    [{ message: 'just this' }, 'just this'],
  ] satisfies [TableIssue, string][])('says %j as %j', (issue, sentence) => {
    expect(describeTableIssue(issue)).toBe(sentence);
  });

  it('describes what checkTable finds in the same words', () => {
    const [issue] = issues({
      commands: [
        { name: 'A', reply: 'a' },
        { name: 'a', reply: 'b' },
      ],
    });
    expect(issue && describeTableIssue(issue)).toBe('rule 2, name: a is already the name of rule 1');
  });
});

describe('the published JSON Schema', () => {
  const file = path.join(ROOT, 'schema', 'command-table.schema.json');

  it('accepts the docs/command-tables.md example and the classic table', () => {
    const schema = JSON.parse(readFileSync(file, 'utf8')) as object;
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    expect(validate(DOCS_EXAMPLE)).toBe(true);
    expect(validate(CLASSIC_TABLE)).toBe(true);
    expect(validate(one({ name: 'A', pattern: 'a', reply: 'x' }))).toBe(false);
  });
});
