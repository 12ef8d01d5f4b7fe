import { performance } from 'node:perf_hooks';
import { RE2JS } from 're2js';
import { describe, expect, it, vi } from 'vitest';
import {
  MAX_REPLY_BYTES,
  MAX_TABLE_FILE_BYTES,
  analyseTable,
  analysisOf,
  checkTable,
  checkTableForSettings,
  parseTableFile,
  worstCaseReplyBytes,
  type TableIssue,
} from '../../../electron/shared/protocol/command-table.js';
import {
  MAX_LINE_MATCH_WORK,
  MAX_PATTERN_PROGRAM,
  MAX_TABLE_PROGRAM,
  compileBoundedPattern,
  estimateProgramSize,
} from '../../../electron/shared/protocol/pattern-cost.js';

function issues(value: unknown): TableIssue[] {
  const check = checkTable(value);
  if (check.ok) throw new Error('expected the table to be refused');
  return check.issues;
}

/** The issue's reproduction: 995 characters, valid RE2, 220,003 instructions. */
const HEAVY = `(?i)${'a{0,1000}'.repeat(110)}b`;

describe('pattern cost', () => {
  it('refuses the 995-character pattern as too complex, at its rule and field, without compiling it', () => {
    expect(HEAVY).toHaveLength(995);
    const compile = vi.spyOn(RE2JS, 'compile');
    const file = JSON.stringify({
      commands: [
        { name: 'A', reply: 'a' },
        { pattern: HEAVY, reply: 'x' },
      ],
    });
    const check = parseTableFile(file);
    // Compiling it would take about half a second: the estimate refuses it first.
    expect(compile).not.toHaveBeenCalled();
    compile.mockRestore();
    expect(check).toEqual({
      ok: false,
      issues: [
        {
          rule: 1,
          field: 'pattern',
          message: expect.stringMatching(
            /^pattern too complex: it compiles to about 22\d{4} instructions, at most 1000/,
          ) as unknown,
        },
      ],
    });
  });

  it('refuses 1,000 such rules at once, quickly and in little memory', () => {
    const commands = Array.from({ length: 1000 }, () => ({ pattern: HEAVY, reply: 'x' }));
    const started = performance.now();
    const found = issues({ commands });
    expect(performance.now() - started).toBeLessThan(5000); // 218 s and 3.55 GB before
    expect(found).toHaveLength(1000);
    expect(found.every((i) => i.field === 'pattern' && i.message.startsWith('pattern too complex'))).toBe(
      true,
    );
  });

  it('refuses a pattern the estimate lets through but the compiled program shows too large', () => {
    const pattern = '(?i)a{0,600}b';
    expect(estimateProgramSize(pattern)).toBeLessThan(2 * MAX_PATTERN_PROGRAM);
    const compiled = compileBoundedPattern(pattern);
    expect(compiled).toMatch(/^pattern too complex: it compiles to about 1203 instructions/);
  });

  it('estimates close to what RE2 compiles, and never far under it', () => {
    for (const pattern of [
      '^GET (\\w+)$',
      '[a-z]{1,100}',
      '(a{1,10}){1,10}',
      '^(\\w+)\\s+(.*)$',
      '(?:ab){50}',
      '(?i)(a{0,20}){0,20}b',
    ]) {
      const compiled = compileBoundedPattern(pattern, 100_000);
      if (typeof compiled === 'string') throw new Error(compiled);
      const estimate = estimateProgramSize(pattern);
      expect(estimate).toBeGreaterThanOrEqual(compiled.size);
      expect(estimate).toBeLessThan(2 * compiled.size + 10);
    }
  });

  it('bounds the compiled size of the whole table, naming the first rule past it', () => {
    // Each pattern is fine alone (~800 instructions); thirteen are not.
    const commands = Array.from({ length: 13 }, (_, i) => ({
      pattern: `^${String.fromCharCode(97 + i)}[a-z]{0,400}$`,
      reply: 'x',
    }));
    const found = issues({ commands });
    expect(found[0]).toMatchObject({
      rule: 12,
      field: 'pattern',
      message: expect.stringContaining(`${MAX_TABLE_PROGRAM} instructions`) as unknown,
    });
  });

  it('compiles each pattern once: the engine reuses what the check compiled', () => {
    const check = analyseTable({ commands: [{ pattern: '^GET (\\w+)$', reply: '{1}' }] });
    if (!check.ok) throw new Error('refused');
    expect(analysisOf(check.table)).toBe(check.analysis);
    expect(analyseTable(check.table)).toMatchObject({ ok: true, analysis: check.analysis });
  });

  it('bounds one line’s matching work at the server’s max line, naming the rule where it is crossed', () => {
    // Unanchored patterns cost their program size per line byte; anchored one-pass ones almost nothing.
    const commands = Array.from({ length: 4 }, (_, i) => ({ pattern: `(\\w+)=${i}(\\d+)`, reply: 'x' }));
    const table = { commands };
    expect(checkTable(table).ok).toBe(true);
    const found = checkTableForSettings(table, 64 * 1024);
    expect(found).toEqual([
      {
        rule: expect.any(Number) as unknown,
        field: 'pattern',
        message: expect.stringContaining(`more than the ${MAX_LINE_MATCH_WORK} one line may`) as unknown,
      },
    ]);
    expect(checkTableForSettings(table, 1024)).toEqual([]);
    // A line starts with one literal prefix at most, so anchored patterns with distinct ones add up no cost.
    const anchored = {
      commands: Array.from({ length: 200 }, (_, i) => ({ pattern: `^CMD${i} (\\w+)$`, reply: '{1}' })),
    };
    expect(checkTable(anchored).ok).toBe(true);
    expect(checkTable({ commands: [...anchored.commands, ...commands.slice(1)] }).ok).toBe(true);
    const chained = {
      commands: Array.from({ length: 8 }, (_, i) => ({
        pattern: `^${'A'.repeat(i + 1)}(\\w+)$`,
        reply: '{1}',
      })),
    };
    expect(checkTable(chained)).toMatchObject({ ok: false, issues: [{ rule: 4, field: 'pattern' }] });
  });
});

describe('replies that could not be delivered', () => {
  it.each([
    ['2 MB', 2 * 1024 * 1024],
    ['10 MB', 10 * 1024 * 1024],
  ])('refuses a %s reply, naming the rule and field', (_what, size) => {
    const reply = Array.from({ length: Math.ceil(size / 60_000) }, () => 'x'.repeat(60_000)).slice(0, 256);
    const table = {
      commands: [
        { name: 'OK', reply: 'fine' },
        { name: 'BIG', reply },
      ],
    };
    expect(issues(table)).toEqual([
      {
        rule: 1,
        field: 'reply',
        message: expect.stringMatching(
          new RegExp(
            `^(this reply can be \\d+ bytes long.*, more than the ${MAX_REPLY_BYTES} a reply may have|a reply is at most 512 KiB \\(${MAX_REPLY_BYTES} bytes\\), so that any client can receive it whole; this one holds \\d+ characters$)`,
          ),
        ) as unknown,
      },
    ]);
  });

  it('says a 1 MB reply of one line, and a list of 300 lines, are over the reply’s limits, in plain words', () => {
    expect(
      issues({
        commands: [
          { name: 'OK', reply: 'ok' },
          { name: 'BIG', reply: 'x'.repeat(1024 * 1024) },
        ],
      }),
    ).toEqual([
      {
        rule: 1,
        field: 'reply',
        message:
          'a reply is at most 512 KiB (524288 bytes), so that any client can receive it whole; this one holds 1048576 characters',
      },
    ]);
    expect(issues({ commands: [{ name: 'MANY', reply: Array.from({ length: 300 }, () => 'z') }] })).toEqual([
      { rule: 0, field: 'reply', message: 'a reply has at most 256 lines; this one has 300' },
    ]);
  });

  it('refuses a 2 MB byte reply too', () => {
    const replyBytes = 'AB'.repeat(700_000);
    expect(issues({ commands: [{ name: 'BIG', replyBytes }] })).toEqual([
      {
        rule: 0,
        field: 'replyBytes',
        message: expect.stringContaining('this reply can be 700000 bytes long') as unknown,
      },
    ]);
  });

  it('refuses {line} ×10,922 in the unknown reply (762 MB from 40 lines before)', () => {
    expect(issues({ commands: [], unknown: '{line}'.repeat(10_922) })).toEqual([
      {
        field: 'unknown',
        message: expect.stringContaining('more than the 524288 a reply may have') as unknown,
      },
    ]);
  });

  it('computes a rule’s worst case from the max line: escaping at most quadruples a variable', () => {
    const rule = { name: 'ECHO', reply: ['got {line}', 'at {time} #{count} on {conn}'] };
    // 'got ' + 4 × 100 + CRLF, then 'at ' + 27 + ' #' + 16 + ' on ' + 16 + CRLF.
    expect(worstCaseReplyBytes(rule, 100)).toBe(4 + 400 + 2 + (3 + 27 + 2 + 16 + 4 + 16 + 2));
    expect(worstCaseReplyBytes({ name: 'B', replyBytes: '01 02 {req:2:4}' }, 100)).toBe(6);
    expect(worstCaseReplyBytes({ name: 'E', reply: [] }, 100)).toBe(0);
  });

  it('bounds an echo whatever the max line, so the classic table serves any max line', () => {
    expect(checkTableForSettings({ commands: [] }, 16 * 1024 * 1024)).toEqual([]);
    expect(
      checkTableForSettings({ commands: [], unknown: '{line} {line} {line}' }, 16 * 1024 * 1024),
    ).toEqual([
      { field: 'unknown', message: expect.stringContaining('with lines of 16777216 bytes') as unknown },
    ]);
  });

  it('refuses a greeting or a push that could not be delivered', () => {
    const big = Array.from({ length: 10 }, () => 'x'.repeat(60_000));
    expect(issues({ commands: [], greeting: big })).toEqual([
      { field: 'greeting', message: expect.stringContaining('this reply can be') as unknown },
    ]);
    expect(issues({ commands: [], push: [{ everyMs: 1000, reply: big }] })).toEqual([
      { field: 'push[0].reply', message: expect.stringContaining('this reply can be') as unknown },
    ]);
  });
});

describe('table size', () => {
  it('refuses a file over the limit before parsing it, saying how large it is', () => {
    const text = `{"commands":[{"name":"A","reply":"${'x'.repeat(MAX_TABLE_FILE_BYTES)}"}]}`;
    const started = performance.now();
    expect(parseTableFile(text)).toEqual({
      ok: false,
      issues: [{ message: 'the file is 5.0 MB; a command table file is at most 5.0 MB' }],
    });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const text = `{"commands":[{"name":"A","reply":"${'é'.repeat(MAX_TABLE_FILE_BYTES / 2)}"}]}`;
    expect(text.length).toBeLessThan(MAX_TABLE_FILE_BYTES);
    const check = parseTableFile(text);
    expect(check.ok ? null : check.issues[0]?.message).toMatch(
      /^the file is 5\.0 MB; a command table file is at most 5\.0 MB/,
    );
  });

  it('refuses a table given as data with more text than a file may hold', () => {
    const commands = Array.from({ length: 100 }, (_, i) => ({
      name: `C${i}`,
      reply: Array.from({ length: 2 }, () => 'y'.repeat(30_000)),
    }));
    expect(issues({ commands })).toEqual([
      { message: expect.stringMatching(/^the table holds 6000\d{3} characters of text/) as unknown },
    ]);
  });

  it('loads a valid table at the file limit in well under a second', () => {
    const reply = Array.from({ length: 20 }, () => 'Old McDonald had a farm {{E-I-E-I-O}} '.repeat(6));
    const commands = Array.from({ length: 1000 }, (_, i) => ({ name: `C${i}`, reply }));
    const text = JSON.stringify({ commands });
    expect(text.length).toBeGreaterThan(4 * 1024 * 1024);
    const started = performance.now();
    expect(parseTableFile(text).ok).toBe(true);
    expect(performance.now() - started).toBeLessThan(3000); // generous: about 0.1 s here
  });
});

describe('command names that HELP would send raw', () => {
  it.each([
    ['ESC', 'A\x1b[2J', '001B', 2],
    ['BEL', '\x07BEEP', '0007', 1],
    ['NUL', 'NU\x00L', '0000', 3],
    ['DEL', 'DEL\x7f', '007F', 4],
    ['a C1 control', 'X\u009b', '009B', 2],
    ['a bidi override', 'ADMIN\u202e', '202E', 6],
    ['a zero-width space', 'PI\u200bNG', '200B', 3],
  ])('refuses a name holding %s, naming the character and where', (_what, name, code, at) => {
    const file = JSON.stringify({
      commands: [
        { name: 'OK', reply: 'x' },
        { name, reply: 'x' },
      ],
    });
    expect(parseTableFile(file)).toEqual({
      ok: false,
      issues: [
        {
          rule: 1,
          field: 'name',
          message: `name cannot hold control or invisible characters (U+${code} at character ${at})`,
        },
      ],
    });
  });

  it('refuses the same in state names', () => {
    expect(issues({ commands: [{ name: 'A', reply: 'x', state: 'S\x1b' }] })).toEqual([
      {
        rule: 0,
        field: 'state',
        message: 'a state name cannot hold control or invisible characters (U+001B at character 2)',
      },
    ]);
  });
});

describe('one line against a table at the limits', () => {
  it('is answered in a few milliseconds, whatever the line', async () => {
    const { compileTable } = await import('../../../electron/core/command-table.js');
    const commands = [
      ...Array.from({ length: 200 }, (_, i) => ({ pattern: `^CMD${i} (\\w+)$`, reply: '{1}' })),
      ...Array.from({ length: 3 }, (_, i) => ({ pattern: `(\\w+)=${i}(\\d+)`, reply: '{1}' })),
    ];
    const table = compileTable({ commands });
    const lines = [
      `${'a'.repeat(4095)}!`,
      `CMD199 ${'b'.repeat(4089)}`,
      `CMD1 ${'c'.repeat(4090)}!`,
      `${'x'.repeat(4000)}=2${'9'.repeat(94)}`,
    ];
    for (let i = 0; i < 3; i++) for (const line of lines) table.respond(line, 1); // warm up
    let worst = 0;
    for (const line of lines) {
      const started = performance.now();
      table.respond(line, 1);
      worst = Math.max(worst, performance.now() - started);
    }
    // About 1 ms here once warm; the bound is generous for a busy machine.
    expect(worst).toBeLessThan(100);
  });
});
