import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { checkTable } from '../../../../electron/shared/protocol/command-table';
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
});

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
});
