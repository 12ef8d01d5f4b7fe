import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { compileTable } from '../../../../electron/core/command-table';
import { checkTable, type CommandTable } from '../../../../electron/shared/protocol/command-table';
import { escapeControlChars } from '../../../../electron/shared/protocol/text';
import {
  PLACEHOLDER_REPLY,
  answeringRule,
  displayLine,
  escapePattern,
  ruleFromUnknownLine,
} from '../../../../renderer/src/components/commands/unknown-line';

/** Whether the pattern matches `line` the way the server tries patterns (a search over the line). */
const finds = (pattern: string, line: string): boolean => RE2JS.compile(pattern).matcher(line).find();

describe('ruleFromUnknownLine', () => {
  it('makes a name rule from a one-word line, with a placeholder reply', () => {
    expect(ruleFromUnknownLine('FOO')).toEqual({ match: 'name', name: 'FOO', reply: PLACEHOLDER_REPLY });
    expect(ruleFromUnknownLine('ati4')).toEqual({ match: 'name', name: 'ati4', reply: PLACEHOLDER_REPLY });
  });

  it('makes a pattern over the exact line from anything longer', () => {
    const rule = ruleFromUnknownLine('GET key 1');
    expect(rule).toEqual({ match: 'pattern', pattern: '^GET key 1$', reply: PLACEHOLDER_REPLY });
  });

  it.each([
    'SET a.b (1+2)*3 ?',
    'x|y [z] {1,2} ^$ \\ end',
    'price $5.00 & 50% off',
    'tab\there',
    'bell\x07 and esc\x1b[0m',
    'naïve café 🎉',
  ])('escapes %j so the rule matches exactly that line', (line) => {
    const rule = ruleFromUnknownLine(line);
    expect(rule.match).toBe('pattern');
    const pattern = rule.pattern ?? '';
    expect(finds(pattern, line)).toBe(true);
    expect(finds(pattern, `${line}x`)).toBe(false);
    expect(finds(pattern, `x${line}`)).toBe(false);
    // The shared checks take it: it compiles, and the placeholder reply is a valid template.
    expect(checkTable({ commands: [{ pattern, reply: rule.reply ?? '' }] }).ok).toBe(true);
  });

  it('never puts a control byte or an over-long word into a name', () => {
    expect(ruleFromUnknownLine('A\x01B').match).toBe('pattern');
    expect(ruleFromUnknownLine('W'.repeat(101)).match).toBe('pattern');
    expect(ruleFromUnknownLine('W'.repeat(100)).match).toBe('name');
  });
});

describe('escapePattern', () => {
  it('backslashes every RE2 metacharacter and writes control bytes as \\xNN', () => {
    expect(escapePattern('.+*?()|[]{}^$\\')).toBe('\\.\\+\\*\\?\\(\\)\\|\\[\\]\\{\\}\\^\\$\\\\');
    expect(escapePattern('a\x1bb\x7f')).toBe('a\\x1Bb\\x7F');
    expect(escapePattern('plain words')).toBe('plain words');
  });
});

describe('displayLine', () => {
  it('shows control bytes as \\xNN, but tab, as the server echoes lines', () => {
    expect(displayLine('esc\x1b[0m\tTAB\x7f')).toBe('esc\\x1B[0m\tTAB\\x7F');
  });

  it('escapes exactly what the server escapes when it echoes', () => {
    const line = 'rtl\u202Eevil\u200B\x00 ok';
    expect(displayLine(line)).toBe(escapeControlChars(line));
    expect(displayLine(line)).toBe('rtl\\u{202E}evil\\u{200B}\\x00 ok');
  });
});

/** A table with every kind of rule and a state. */
const STATEFUL: CommandTable = {
  commands: [
    { pattern: '^GET (\\w+)$', reply: 'a' },
    { name: 'get', reply: 'b' },
    { name: 'LOGIN', reply: 'c', then: 'in' },
    { name: 'WHO', state: 'in', reply: 'd' },
    { bytes: '50 49 4E 47', reply: 'e' },
    { name: 'WHO', state: 'start', reply: 'f' },
  ],
};

describe('answeringRule', () => {
  it('finds the first rule that answers a line, as the server tries them', () => {
    const answers = answeringRule({
      commands: [
        { pattern: '^GET (\\w+)$', reply: 'x' },
        { name: 'get', reply: 'y' },
        { name: 'ATZ', reply: 'OK' },
        { pattern: '(', reply: 'a pattern that does not compile answers nothing' },
      ],
    });
    expect(answers('GET key')).toBe(1);
    expect(answers('GET two words')).toBe(2);
    expect(answers('atz')).toBe(3);
    expect(answers('atz\tnow')).toBe(3);
    expect(answers('ATZ0')).toBeNull();
    expect(answers('(')).toBeNull();
  });

  it('agrees with the rule made from an inbox line', () => {
    for (const line of ['FOO', 'GET a.b (1)', 'esc\x1b[0m']) {
      const rule = ruleFromUnknownLine(line);
      const table = {
        commands: [
          rule.match === 'name'
            ? { name: rule.name ?? '', reply: 'r' }
            : { pattern: rule.pattern ?? '', reply: 'r' },
        ],
      };
      expect(answeringRule(table)(line)).toBe(1);
    }
  });

  it('picks the rule the server picks for the same line', () => {
    const served = compileTable(STATEFUL);
    const inbox = answeringRule(STATEFUL);
    for (const line of ['GET key', 'get a b', 'LOGIN', 'who', 'PING', 'ping', 'other']) {
      const answer = served.answer(line, { id: 1, state: 'start' });
      const rule = answer?.kind === 'rule' ? (answer.rule ?? null) : null;
      // The inbox knows no state; for lines no state-bound rule takes they must agree.
      if (line !== 'who') expect(inbox(line)).toBe(rule === null ? null : rule + 1);
    }
    expect(served.answer('who', { id: 1, state: 'in' })?.rule).toBe(3);
    expect(inbox('who')).toBe(4);
  });
});
