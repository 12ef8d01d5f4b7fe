import { describe, expect, it } from 'vitest';
import { CLASSIC_TABLE, compileTable, type CommandTable } from '../../electron/core/command-table.js';
import { HAIKU, QUOTE, SONG } from '../helpers/classic.js';

const classic = compileTable(CLASSIC_TABLE);
const CONN = 1;

describe('the classic table (docs/protocol.md)', () => {
  it.each([
    ['SONG', SONG],
    ['QUOTE', QUOTE],
    ['HAIKU', HAIKU],
    ['POEM', HAIKU],
    ['HELP', 'Commands: HAIKU HELP POEM QUIT QUOTE SONG\r\n'],
    ['QUIT', 'Bye.\r\n'],
  ])('answers %s with the exact bytes', (line, reply) => {
    const answer = classic.respond(line, CONN);
    expect(answer.text).toBe(reply);
    expect(answer.bytes.equals(Buffer.from(reply, 'utf8'))).toBe(true);
    expect(answer.delayMs).toBe(0);
  });

  it('is the default table', () => {
    const table = compileTable();
    expect(table.names).toEqual(classic.names);
    expect(table.respond('SONG', CONN).text).toBe(SONG);
  });

  it('closes after QUIT and after nothing else', () => {
    expect(classic.respond('QUIT', CONN)).toMatchObject({ close: true, kind: 'quit' });
    for (const line of ['SONG', 'QUOTE', 'HAIKU', 'POEM', 'HELP', 'nope']) {
      expect(classic.respond(line, CONN).close).toBe(false);
    }
  });

  it('labels each reply with the kind and index of the rule that gave it', () => {
    expect(classic.respond('SONG', CONN)).toMatchObject({ kind: 'rule', rule: 0 });
    expect(classic.respond('POEM', CONN)).toMatchObject({ kind: 'rule', rule: 3 });
    expect(classic.respond('HELP', CONN).kind).toBe('help');
    expect(classic.respond('nope', CONN).kind).toBe('unknown');
  });

  it('lists every name, sorted, including HELP and QUIT', () => {
    expect(classic.names).toEqual(['HAIKU', 'HELP', 'POEM', 'QUIT', 'QUOTE', 'SONG']);
  });

  it('matches the command word case-insensitively and ignores its arguments', () => {
    expect(classic.respond('song', CONN).text).toBe(SONG);
    expect(classic.respond('sOnG', CONN).text).toBe(SONG);
    expect(classic.respond('quote please', CONN).text).toBe(QUOTE);
    expect(classic.respond('Haiku\tnow', CONN).text).toBe(HAIKU);
    expect(classic.respond('help me', CONN).kind).toBe('help');
    expect(classic.respond('quit now', CONN)).toMatchObject({ text: 'Bye.\r\n', close: true });
  });

  it('matches ASCII letters only, never through Unicode case folding', () => {
    // 'ſ'.toUpperCase() is 'S' and 'ﬀ'.toUpperCase() is 'FF': neither may reach a rule.
    expect(classic.respond('ſong', CONN).text).toBe('Unknown command: ſong\r\n');
    expect(classic.respond('ſONG', CONN).text).toBe('Unknown command: ſONG\r\n');
    expect(classic.respond('SONG\u0301', CONN).text).toBe('Unknown command: SONG\u0301\r\n');
    expect(classic.respond('hełp', CONN).kind).toBe('unknown');
    expect(compileTable({ commands: [{ name: 'FF', reply: 'ff' }] }).respond('ﬀ', CONN).kind).toBe('unknown');
    expect(compileTable({ commands: [{ name: 'straße', reply: 'x' }] }).respond('STRASSE', CONN).kind).toBe(
      'unknown',
    );
  });

  it('does not match a word that only starts with a command', () => {
    expect(classic.respond('SONGS', CONN).text).toBe('Unknown command: SONGS\r\n');
  });

  it('answers an unknown line by echoing it, with control bytes and DEL escaped', () => {
    expect(classic.respond('hello   world', CONN).text).toBe('Unknown command: hello   world\r\n');
    expect(classic.respond('x\x1b[2J\x07\x00\x7f\r a\tb é', CONN).text).toBe(
      'Unknown command: x\\x1B[2J\\x07\\x00\\x7F\\x0D a\tb é\r\n',
    );
  });

  it('encodes the unknown reply as UTF-8 bytes', () => {
    const reply = classic.respond('héllo', CONN);
    expect(reply.bytes.equals(Buffer.from('Unknown command: héllo\r\n', 'utf8'))).toBe(true);
  });
});

describe('builtins', () => {
  it('turns HELP and QUIT off when the builtins say so', () => {
    const table = compileTable({
      commands: [{ name: 'PING', reply: 'PONG' }],
      builtins: { help: false, quit: false },
    });
    expect(table.names).toEqual(['PING']);
    expect(table.respond('HELP', CONN)).toMatchObject({ text: 'Unknown command: HELP\r\n', kind: 'unknown' });
    expect(table.respond('QUIT', CONN)).toMatchObject({
      text: 'Unknown command: QUIT\r\n',
      kind: 'unknown',
      close: false,
    });
  });

  it('turns off only the builtin asked for', () => {
    const noHelp = compileTable({ commands: [], builtins: { help: false } });
    expect(noHelp.names).toEqual(['QUIT']);
    expect(noHelp.respond('QUIT', CONN).close).toBe(true);
    expect(noHelp.respond('HELP', CONN).kind).toBe('unknown');
    const noQuit = compileTable({ commands: [], builtins: { quit: false } });
    expect(noQuit.names).toEqual(['HELP']);
    expect(noQuit.respond('HELP', CONN).text).toBe('Commands: HELP\r\n');
    expect(noQuit.respond('QUIT', CONN).kind).toBe('unknown');
  });

  it('lets a rule named HELP or QUIT replace the builtin', () => {
    const table = compileTable({
      commands: [
        { name: 'help', reply: 'no help here' },
        { name: 'QUIT', reply: 'not leaving' },
      ],
    });
    expect(table.respond('HELP', CONN)).toMatchObject({ text: 'no help here\r\n', kind: 'rule' });
    expect(table.respond('QUIT', CONN)).toMatchObject({
      text: 'not leaving\r\n',
      kind: 'rule',
      close: false,
    });
    expect(table.names).toEqual(['HELP', 'QUIT']);
  });

  it('lists rule names upper-cased and sorted in HELP, but not pattern rules', () => {
    const table = compileTable({
      commands: [
        { name: 'zeta', reply: 'z' },
        { pattern: '^x+$', reply: 'x' },
        { name: 'Alpha', reply: 'a' },
      ],
    });
    expect(table.respond('help', CONN).text).toBe('Commands: ALPHA HELP QUIT ZETA\r\n');
  });
});

describe('rules', () => {
  it('sends a list reply as one CRLF line per entry', () => {
    const table = compileTable({ commands: [{ name: 'GET', reply: ['VALUE 1', '', 'END'] }] });
    expect(table.respond('get x', CONN).text).toBe('VALUE 1\r\n\r\nEND\r\n');
  });

  it('closes after a rule marked close, and carries its delay', () => {
    const table = compileTable({ commands: [{ name: 'BYE', reply: 'later', close: true, delayMs: 250 }] });
    expect(table.respond('bye', CONN)).toMatchObject({
      text: 'later\r\n',
      close: true,
      delayMs: 250,
      kind: 'rule',
    });
  });

  it('tries rules in order: the first match answers, name or pattern', () => {
    const table = compileTable({
      commands: [
        { pattern: '^GET (\\w+)$', reply: ['VALUE {1}', 'END'] },
        { name: 'GET', reply: 'by name' },
      ],
    });
    expect(table.respond('GET key', CONN)).toMatchObject({ text: 'VALUE key\r\nEND\r\n', rule: 0 });
    // The pattern is case-sensitive and anchored, so these fall through to the name rule.
    expect(table.respond('get key', CONN)).toMatchObject({ text: 'by name\r\n', rule: 1 });
    expect(table.respond('GET a b', CONN)).toMatchObject({ text: 'by name\r\n', rule: 1 });
  });

  it('refuses a table with two rules for one name, naming both', () => {
    expect(() =>
      compileTable({
        commands: [
          { name: 'PING', reply: 'first' },
          { name: 'ping', reply: 'second' },
        ],
      }),
    ).toThrow('invalid command table: rule 2, name: ping is already the name of rule 1');
  });

  it.each([
    [
      { commands: [{ pattern: '(', reply: 'x' }] },
      'rule 1, pattern: invalid pattern: missing closing ): `(`',
    ],
    [{ commands: [{ pattern: '^(a)$', reply: '{2}' }] }, 'rule 1, reply: {2} but the pattern has 1 group'],
    [{ commands: [{ name: 'X', reply: '{nope}' }] }, 'rule 1, reply: unknown variable {nope}'],
    [
      { commands: [{ name: 'X', pattern: 'X', reply: 'x' }] },
      'rule 1, name: a rule matches by one of name, pattern or bytes',
    ],
  ])('refuses an invalid table, naming the place: %j', (table, message) => {
    expect(() => compileTable(table as CommandTable)).toThrow(`invalid command table: ${message}`);
  });
});

describe('reply templates', () => {
  const templated = (): ReturnType<typeof compileTable> =>
    compileTable({
      commands: [
        { name: 'ECHO', reply: '{line}|{args}|{1}|{2}|{conn}|{count}|{{literal}' },
        { pattern: '^SET (\\w+)=(.*)$', reply: '{1} is now {2}' },
      ],
      unknown: 'what is {line}? (#{count})',
    });

  it('fills {line}, {args}, {1}…, {conn} and {count}; {{ is a literal {', () => {
    const table = templated();
    expect(table.respond('ECHO a  b', 7).text).toBe('ECHO a  b|a  b|a|b|7|1|{literal}\r\n');
    expect(table.respond('echo', 8).text).toBe('echo||||8|2|{literal}\r\n');
  });

  it('fills pattern groups', () => {
    const table = templated();
    expect(table.respond('SET colour=deep blue', CONN).text).toBe('colour is now deep blue\r\n');
  });

  it('escapes control bytes in every value that came from the client', () => {
    const table = templated();
    expect(table.respond('ECHO a\x1bb\x07', CONN).text).toBe(
      'ECHO a\\x1Bb\\x07|a\\x1Bb\\x07|a\\x1Bb\\x07||1|1|{literal}\r\n',
    );
    expect(table.respond('SET k=\x1b[2J', CONN).text).toBe('k is now \\x1B[2J\r\n');
  });

  it('uses the table’s own unknown reply, with its own count', () => {
    const table = templated();
    expect(table.respond('ECHO', CONN).text).toBe('ECHO||||1|1|{literal}\r\n');
    expect(table.respond('huh\x00', CONN)).toMatchObject({
      text: 'what is huh\\x00? (#1)\r\n',
      kind: 'unknown',
    });
    expect(table.respond('huh', CONN).text).toBe('what is huh? (#2)\r\n');
  });

  it('encodes a rendered reply as UTF-8 bytes', () => {
    const reply = templated().respond('ECHO é', CONN);
    expect(reply.bytes.equals(Buffer.from(reply.text, 'utf8'))).toBe(true);
    expect(reply.text).toBe('ECHO é|é|é||1|1|{literal}\r\n');
  });
});

describe('template variables', () => {
  it('fills {1}…{9} of a name rule with its arguments, split on runs of spaces and tabs', () => {
    const table = compileTable({
      commands: [{ name: 'ARGS', reply: '{1}|{2}|{3}|{4}|{5}|{6}|{7}|{8}|{9}|{args}' }],
    });
    expect(table.respond('args a \t b\t\tc  d', CONN).text).toBe('a|b|c|d||||||a \t b\t\tc  d\r\n');
    expect(table.respond('ARGS 1 2 3 4 5 6 7 8 9 10 11', CONN).text).toBe(
      '1|2|3|4|5|6|7|8|9|1 2 3 4 5 6 7 8 9 10 11\r\n',
    );
  });

  it('fills {1}…{9} of a pattern rule with its groups, and a group that took no part with nothing', () => {
    const table = compileTable({
      commands: [
        {
          pattern: '^(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)?$',
          reply: '{9}{8}{7}{6}{5}{4}{3}{2}{1}',
        },
        { pattern: '^SET (\\w+)(?: (\\w+))?$', reply: '[{1}][{2}] from {line} / {args}' },
      ],
    });
    expect(table.respond('abcdefghi', CONN).text).toBe('ihgfedcba\r\n');
    expect(table.respond('SET k', CONN).text).toBe('[k][] from SET k / k\r\n');
    expect(table.respond('SET k v', CONN).text).toBe('[k][v] from SET k v / k v\r\n');
  });

  it('matches a pattern anywhere in the line unless it is anchored', () => {
    const table = compileTable({ commands: [{ pattern: 'id=(\\d+)', reply: 'id {1}' }] });
    expect(table.respond('GET id=42 now', CONN).text).toBe('id 42\r\n');
  });

  it('fills {conn} with the connection id it is given', () => {
    const table = compileTable({ commands: [{ name: 'WHO', reply: 'you are {conn}' }] });
    expect(table.respond('WHO', 1).text).toBe('you are 1\r\n');
    expect(table.respond('WHO', 4096).text).toBe('you are 4096\r\n');
  });

  it('fills {time} with the current time in ISO 8601', () => {
    const table = compileTable({ commands: [{ name: 'TIME', reply: 'now {time}' }] });
    const before = Date.now();
    const text = table.respond('TIME', CONN).text;
    const after = Date.now();
    const m = /^now (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\r\n$/.exec(text);
    expect(m, text).not.toBeNull();
    const at = Date.parse(m?.[1] ?? '');
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(after);
  });

  it('counts matches per rule in {count}, across connections', () => {
    const table = compileTable({
      commands: [
        { name: 'A', reply: 'A{count}' },
        { pattern: '^b', reply: 'B{count}' },
        { name: 'C', reply: 'fixed' },
      ],
    });
    const replies = ['A', 'b1', 'C', 'a', 'b2', 'A', 'C', 'b3'].map(
      (line, i) => table.respond(line, i + 1).text,
    );
    expect(replies).toEqual([
      'A1\r\n',
      'B1\r\n',
      'fixed\r\n',
      'A2\r\n',
      'B2\r\n',
      'A3\r\n',
      'fixed\r\n',
      'B3\r\n',
    ]);
  });

  it('counts unknown lines in the unknown reply’s own {count}, apart from the rules', () => {
    const table = compileTable({
      commands: [{ name: 'A', reply: 'A{count}' }],
      unknown: 'no {line} ({count}) on {conn}: {args}',
    });
    expect(table.respond('x', 3).text).toBe('no x (1) on 3: \r\n');
    expect(table.respond('A', 3).text).toBe('A1\r\n');
    expect(table.respond('HELP', 3).kind).toBe('help');
    expect(table.respond('y z', 5)).toMatchObject({
      text: 'no y z (2) on 5: z\r\n',
      kind: 'unknown',
      close: false,
    });
  });

  it('escapes control bytes as \\xNN in every variable’s value', () => {
    const table = compileTable({
      commands: [
        { name: 'N', reply: '{line}|{args}|{1}|{2}|{9}' },
        { pattern: '^P (\\S+) (\\S+)$', reply: '{line}|{args}|{1}|{2}' },
      ],
      unknown: '{line}|{args}|{1}',
    });
    expect(table.respond('N \x1b[31m \x7f 3 4 5 6 7 8 \x00', CONN).text).toBe(
      'N \\x1B[31m \\x7F 3 4 5 6 7 8 \\x00|\\x1B[31m \\x7F 3 4 5 6 7 8 \\x00|\\x1B[31m|\\x7F|\\x00\r\n',
    );
    expect(table.respond('P a\x07 \x1fb', CONN).text).toBe('P a\\x07 \\x1Fb|a\\x07 \\x1Fb|a\\x07|\\x1Fb\r\n');
    expect(table.respond('u\x08 v\x0c', CONN).text).toBe('u\\x08 v\\x0C|v\\x0C|\r\n');
  });

  it('keeps tabs and non-ASCII text in values as they are', () => {
    const table = compileTable({ commands: [{ name: 'E', reply: '<{args}>' }] });
    expect(table.respond('E a\tb ü 🎵', CONN).text).toBe('<a\tb ü 🎵>\r\n');
  });
});

describe('rule order, builtins and what a Reply carries', () => {
  it('tries rules in order, name and pattern alike: the first match answers', () => {
    const table = compileTable({
      commands: [
        { name: 'GET', reply: 'by name' },
        { pattern: '^GET (\\w+)$', reply: 'by pattern {1}' },
        { pattern: '^(\\w+) x$', reply: 'second pattern {1}' },
        { pattern: '^\\w+ x$', reply: 'never' },
        { name: 'PUT', reply: 'put by name' },
      ],
    });
    expect(table.respond('GET key', CONN)).toMatchObject({ text: 'by name\r\n', rule: 0 });
    expect(table.respond('LIST x', CONN)).toMatchObject({ text: 'second pattern LIST\r\n', rule: 2 });
    expect(table.respond('PUT x', CONN)).toMatchObject({ text: 'second pattern PUT\r\n', rule: 2 });
    expect(table.respond('put', CONN)).toMatchObject({ text: 'put by name\r\n', rule: 4 });
  });

  it('lets a pattern rule take a line before the builtins do', () => {
    const table = compileTable({ commands: [{ pattern: '^(?i)quit', reply: 'not so fast' }] });
    expect(table.respond('QUIT', CONN)).toMatchObject({
      text: 'not so fast\r\n',
      kind: 'rule',
      close: false,
    });
    expect(table.names).toEqual(['HELP', 'QUIT']);
  });

  it('answers HELP and QUIT by the builtins only when no rule has them, and lists the names it knows', () => {
    const table = compileTable({
      commands: [
        { pattern: '^x$', reply: 'x' },
        { name: 'quit', reply: ['see you', '{count}'], close: true, delayMs: 5 },
      ],
    });
    expect(table.respond('QUIT', CONN)).toMatchObject({
      text: 'see you\r\n1\r\n',
      close: true,
      delayMs: 5,
      kind: 'rule',
      rule: 1,
    });
    expect(table.respond('help', CONN)).toMatchObject({ text: 'Commands: HELP QUIT\r\n', kind: 'help' });
  });

  it('answers HELP and QUIT as unknown lines when both builtins are off, even with pattern rules', () => {
    const table = compileTable({
      commands: [{ pattern: '^x$', reply: 'x' }],
      builtins: { help: false, quit: false },
      unknown: '?{line}',
    });
    expect(table.names).toEqual([]);
    expect(table.respond('HELP', CONN)).toMatchObject({ text: '?HELP\r\n', kind: 'unknown' });
    expect(table.respond('QUIT', CONN)).toMatchObject({ text: '?QUIT\r\n', kind: 'unknown', close: false });
  });

  it('carries delayMs and close on a rendered reply as on a fixed one', () => {
    const table = compileTable({
      commands: [
        { name: 'SLOW', reply: 'slow {args}', delayMs: 1500 },
        { pattern: '^END (\\w+)$', reply: 'end {1}', close: true },
        { name: 'PLAIN', reply: 'plain {line}' },
      ],
    });
    expect(table.respond('SLOW a', CONN)).toEqual({
      text: 'slow a\r\n',
      bytes: Buffer.from('slow a\r\n'),
      close: false,
      delayMs: 1500,
      kind: 'rule',
      rule: 0,
      nextState: null,
    });
    expect(table.respond('END now', CONN)).toMatchObject({
      text: 'end now\r\n',
      close: true,
      delayMs: 0,
      rule: 1,
    });
    expect(table.respond('PLAIN', CONN)).toMatchObject({ close: false, delayMs: 0, rule: 2 });
  });

  it('hands out the very same Reply object for a fixed reply every time (nothing allocated per line)', () => {
    const table = compileTable({
      commands: [
        { pattern: '^P$', reply: 'p' },
        { name: 'FIXED', reply: ['a', 'b'], delayMs: 10 },
      ],
    });
    const first = table.respond('FIXED', 1);
    expect(table.respond('fixed with args', 2)).toBe(first);
    expect(table.respond('P', 1)).toBe(table.respond('P', 9));
    expect(classic.respond('SONG', 1)).toBe(classic.respond('song x', 2));
    expect(classic.respond('HELP', 1)).toBe(classic.respond('help', 2));
    expect(classic.respond('QUIT', 1)).toBe(classic.respond('quit', 2));
  });

  it('renders a new Reply per line for a reply with variables', () => {
    const table = compileTable({ commands: [{ name: 'E', reply: '{args}' }] });
    const a = table.respond('E x', CONN);
    const b = table.respond('E x', CONN);
    expect(a).not.toBe(b);
    expect(a).toEqual(b);
  });
});
