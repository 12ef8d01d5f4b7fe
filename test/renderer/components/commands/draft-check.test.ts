import { describe, expect, it } from 'vitest';
import {
  MAX_DELAY_MS,
  checkTable,
  type CommandTable,
} from '../../../../electron/shared/protocol/command-table';
import { checkDraft, placeIssues } from '../../../../renderer/src/components/commands/draft-check';
import { draftFromTable, type TableDraft } from '../../../../renderer/src/components/commands/table-draft';

/** The draft's field messages by rule number (1-based), for readable expectations. */
function messages(draft: TableDraft): Record<string, unknown> {
  const placed = placeIssues(draft, checkDraft(draft).issues);
  const out: Record<string, unknown> = {};
  draft.rules.forEach((rule, i) => {
    const fields = placed.rules[rule.id];
    if (fields) out[`rule ${i + 1}`] = fields;
  });
  if (placed.unknown) out.unknown = placed.unknown;
  if (placed.general.length > 0) out.general = placed.general;
  return out;
}

const check = (table: CommandTable): Record<string, unknown> => messages(draftFromTable(table));

describe('checkDraft', () => {
  it('passes a good table through, exactly as checkTable would', () => {
    const table: CommandTable = { commands: [{ name: 'PING', reply: 'PONG' }] };
    expect(checkDraft(draftFromTable(table))).toEqual({ ok: true, table, issues: [] });
  });

  it('puts a duplicate name on the second rule', () => {
    expect(
      check({
        commands: [
          { name: 'ping', reply: 'a' },
          { name: 'PING', reply: 'b' },
        ],
      }),
    ).toEqual({ 'rule 2': { match: 'PING is already the name of rule 1' } });
  });

  it('gives RE2’s own message for a bad pattern', () => {
    expect(check({ commands: [{ pattern: '(a', reply: 'x' }] })).toEqual({
      'rule 1': { match: 'invalid pattern: missing closing ): `(a`' },
    });
  });

  it('names an unknown variable, and a group the pattern does not have', () => {
    expect(
      check({
        commands: [
          { name: 'A', reply: 'hi {nme}' },
          { pattern: '^GET (\\w+)$', reply: ['{1}', '{2}'] },
        ],
      }),
    ).toEqual({
      'rule 1': { reply: expect.stringContaining('unknown variable {nme}') as unknown },
      'rule 2': { reply: '{2} but the pattern has 1 group' },
    });
  });

  it('speaks of the delay as the field is labelled', () => {
    expect(check({ commands: [{ name: 'A', reply: 'a', delayMs: MAX_DELAY_MS + 1 }] })).toEqual({
      'rule 1': { delay: `delay must be at most ${MAX_DELAY_MS}` },
    });
    const draft = draftFromTable({ commands: [{ name: 'A', reply: 'a' }] });
    const typed: TableDraft = { ...draft, rules: draft.rules.map((r) => ({ ...r, delay: 'soon' })) };
    expect(messages(typed)).toEqual({ 'rule 1': { delay: 'delay must be a number of milliseconds' } });
  });

  it('keeps showing every other problem while one rule is still empty', () => {
    // checkTable alone stops at the empty name and says nothing of the pattern or the clash.
    const table = {
      commands: [
        { name: 'A', reply: 'a' },
        { name: '', reply: '' },
        { pattern: '[', reply: 'x' },
        { name: 'a', reply: 'b' },
      ],
    };
    const alone = checkTable(table);
    expect(new Set(alone.ok ? [] : alone.issues.map((i) => i.rule))).toEqual(new Set([1]));
    expect(check(table)).toEqual({
      'rule 2': { match: 'name cannot be empty' },
      'rule 3': { match: 'invalid pattern: missing closing ]: `[`' },
      'rule 4': { match: 'a is already the name of rule 1' },
    });
  });

  it('checks the unknown-command reply', () => {
    expect(check({ commands: [], unknown: 'what? {lne}' })).toEqual({
      unknown: expect.stringContaining('unknown variable {lne}') as unknown,
    });
  });

  it('is never not ok without an issue to show', () => {
    const draft = draftFromTable({ commands: [{ name: 'A', reply: 'a' }] });
    const result = checkDraft({ ...draft, rules: draft.rules.map((r) => ({ ...r, name: 'two words' })) });
    expect(result.ok).toBe(false);
    expect(result.issues.length).toBeGreaterThan(0);
  });
});

describe('placeIssues', () => {
  it('places main’s issues too, and anything about no field as a sentence', () => {
    const draft = draftFromTable({ commands: [{ name: 'A', reply: 'a' }] });
    const placed = placeIssues(draft, [
      { rule: 0, field: 'reply', message: 'too long' },
      { rule: 0, field: 'reply', message: 'second message, not shown' },
      { field: 'commands', message: 'a table has at most 1000 rules' },
      { rule: 7, field: 'name', message: 'a rule the draft no longer has' },
    ]);
    expect(placed.rules[draft.rules[0]?.id ?? '']).toEqual({ reply: 'too long' });
    expect(placed.general).toEqual([
      'commands: a table has at most 1000 rules',
      'rule 8, name: a rule the draft no longer has',
    ]);
    expect(placed.count).toBe(3);
  });
});

describe('name clashes', () => {
  it('are found even when either rule has another problem', () => {
    expect(
      check({
        commands: [
          { name: 'SONG', reply: 'a', delayMs: -1 },
          { name: 'song', reply: '{x}' },
          { name: 'two words', reply: 'b' },
        ],
      }),
    ).toEqual({
      'rule 1': { delay: 'delay cannot be negative' },
      'rule 2': {
        reply: expect.stringContaining('unknown variable {x}') as unknown,
        match: 'song is already the name of rule 1',
      },
      'rule 3': { match: 'name is one command word, without spaces' },
    });
  });
});
