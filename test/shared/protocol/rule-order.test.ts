import { describe, expect, it } from 'vitest';
import type { CommandTable } from '../../../electron/shared/protocol/command-table.js';
import { NO_RULE, orderedRulesOf, ruleFinder } from '../../../electron/shared/protocol/rule-order.js';
import { asciiUpper, splitCommand } from '../../../electron/shared/protocol/text.js';

const utf8 = (line: string): Uint8Array => new TextEncoder().encode(line);

function finderOf(table: CommandTable) {
  const finder = ruleFinder<string>(orderedRulesOf(table), utf8);
  return (line: string, state: string | null = null): number =>
    finder.find(line, asciiUpper(splitCommand(line).word), state, line);
}

const TABLE: CommandTable = {
  commands: [
    { pattern: '^GET (\\w+)$', reply: 'a' },
    { name: 'get', reply: 'b' },
    { name: 'LOGIN', reply: 'c', then: 'in' },
    { name: 'WHO', state: 'in', reply: 'd' },
    { bytes: '50 49 4E 47', reply: 'e' },
    { name: 'WHO', state: 'start', reply: 'f' },
  ],
};

describe('ruleFinder', () => {
  it('tries rules in order: patterns searched, names in any case, bytes over the whole request', () => {
    const find = finderOf(TABLE);
    expect(find('GET key')).toBe(0);
    expect(find('get two words')).toBe(1);
    expect(find('PING')).toBe(4);
    expect(find('PINGS')).toBe(NO_RULE);
    expect(find('nothing')).toBe(NO_RULE);
  });

  it('skips a rule outside its states, and knows no states when given none', () => {
    const find = finderOf(TABLE);
    expect(find('who', 'start')).toBe(5);
    expect(find('who', 'in')).toBe(3);
    expect(find('who', null)).toBe(3);
  });

  it('keeps the groups of the pattern that matched', () => {
    const finder = ruleFinder<string>(orderedRulesOf(TABLE), utf8);
    expect(finder.find('GET key', 'GET', null, 'GET key')).toBe(0);
    expect(finder.lastMatch?.group(1)).toBe('key');
  });

  it('takes the first name rule of a stateless name-only table in one lookup', () => {
    const find = finderOf({
      commands: [
        { name: 'A', reply: '1' },
        { name: 'b', reply: '2' },
      ],
    });
    expect(find('b x')).toBe(1);
    expect(find('c')).toBe(NO_RULE);
  });

  it('lets a rule that does not compile match nothing, and the others still answer', () => {
    const find = finderOf({
      commands: [
        { pattern: '(', reply: 'x' },
        { bytes: 'zz', reply: 'y' },
        { name: 'OK', reply: 'z' },
      ],
    });
    expect(find('(')).toBe(NO_RULE);
    expect(find('ok')).toBe(2);
  });
});
