import { describe, expect, it } from 'vitest';
import {
  CLASSIC_TABLE,
  DEFAULT_UNKNOWN_REPLY,
  type CommandTable,
} from '../../../../electron/shared/protocol/command-table';
import {
  addRule,
  deleteRule,
  draftFromTable,
  draftKey,
  duplicateRule,
  moveRule,
  newRuleId,
  parseDelay,
  replyToText,
  tableFromDraft,
  tableKey,
  textToReply,
  updateRule,
  type TableDraft,
} from '../../../../renderer/src/components/commands/table-draft';

const TABLE: CommandTable = {
  commands: [
    { name: 'PING', reply: 'PONG' },
    { pattern: '^GET (\\w+)$', reply: ['VALUE {1}', 'END'], delayMs: 20, close: true },
    { name: 'A', reply: 'a' },
  ],
};

const words = (draft: TableDraft): string[] =>
  draft.rules.map((r) => (r.match === 'name' ? r.name : r.pattern));

describe('the reply box', () => {
  it('maps its lines one to one to reply lines, empty lines included', () => {
    expect(textToReply('PONG')).toBe('PONG');
    expect(textToReply('')).toBe('');
    expect(textToReply('a\n\nb')).toEqual(['a', '', 'b']);
    // A trailing newline is one more (empty) reply line, as the box shows it.
    expect(textToReply('a\n')).toEqual(['a', '']);
    expect(textToReply('a\r\nb')).toEqual(['a', 'b']);
  });

  it('shows a reply as its lines', () => {
    expect(replyToText('PONG')).toBe('PONG');
    expect(replyToText(['a', '', 'b'])).toBe('a\n\nb');
  });

  it('round-trips the classic HAIKU with its empty line', () => {
    const haiku = CLASSIC_TABLE.commands[2]?.reply ?? [];
    expect(textToReply(replyToText(haiku))).toEqual(haiku);
  });
});

describe('parseDelay', () => {
  it('reads plain numbers, empty as none, anything else as NaN for the schema to refuse', () => {
    expect(parseDelay('')).toBeUndefined();
    expect(parseDelay('  ')).toBeUndefined();
    expect(parseDelay('250')).toBe(250);
    expect(parseDelay('-5')).toBe(-5);
    expect(parseDelay('1.5')).toBe(1.5);
    expect(parseDelay('0x10')).toBeNaN();
    expect(parseDelay('1e3')).toBeNaN();
  });
});

describe('draft ⇄ table', () => {
  it('round-trips a table', () => {
    expect(tableFromDraft(draftFromTable(TABLE))).toEqual(TABLE);
    expect(tableFromDraft(draftFromTable(CLASSIC_TABLE))).toEqual(CLASSIC_TABLE);
  });

  it('keeps built-ins and the unknown reply, leaving defaults out', () => {
    const table: CommandTable = { commands: [], builtins: { quit: false }, unknown: 'ERR {line}' };
    const draft = draftFromTable(table);
    expect(draft).toMatchObject({ help: true, quit: false, unknown: 'ERR {line}' });
    expect(tableFromDraft(draft)).toEqual(table);
    expect(tableFromDraft({ ...draft, quit: true, unknown: DEFAULT_UNKNOWN_REPLY })).toEqual({
      commands: [],
    });
  });

  it('gives tables that behave alike the same key', () => {
    expect(tableKey({ commands: [{ name: 'X', reply: ['one'] }], builtins: { help: true } })).toBe(
      tableKey({ commands: [{ name: 'X', reply: 'one' }] }),
    );
    expect(tableKey({ commands: [{ name: 'X', reply: 'one' }] })).not.toBe(
      tableKey({ commands: [{ name: 'X', reply: 'two' }] }),
    );
  });

  it('trims a name but never a pattern', () => {
    const draft = draftFromTable({ commands: [{ name: 'A', reply: 'a' }] });
    const id = draft.rules[0]?.id ?? '';
    expect(tableFromDraft(updateRule(draft, id, { name: ' PING ' })).commands[0]).toEqual({
      name: 'PING',
      reply: 'a',
    });
    expect(tableFromDraft(updateRule(draft, id, { match: 'pattern', pattern: ' x ' })).commands[0]).toEqual({
      pattern: ' x ',
      reply: 'a',
    });
  });

  it('keeps what was typed in both match fields when switching between them', () => {
    const draft = draftFromTable({ commands: [{ name: 'PING', reply: 'a' }] });
    const id = draft.rules[0]?.id ?? '';
    const asPattern = updateRule(updateRule(draft, id, { match: 'pattern' }), id, { pattern: '^P' });
    const back = updateRule(asPattern, id, { match: 'name' });
    expect(tableFromDraft(back).commands[0]).toEqual({ name: 'PING', reply: 'a' });
    expect(updateRule(back, id, { match: 'pattern' }).rules[0]?.pattern).toBe('^P');
  });
});

describe('editing rules', () => {
  it('adds a rule at the end, or at a place, with the id given', () => {
    const draft = draftFromTable(TABLE);
    const id = newRuleId();
    const added = addRule(draft, id, { name: 'NEW', reply: 'x' });
    expect(added.rules).toHaveLength(4);
    expect(added.rules[3]).toMatchObject({
      id,
      match: 'name',
      name: 'NEW',
      reply: 'x',
      delay: '',
      close: false,
    });
    expect(words(addRule(draft, newRuleId(), { name: 'TOP' }, 0))).toEqual([
      'TOP',
      'PING',
      '^GET (\\w+)$',
      'A',
    ]);
    // The draft given is never changed.
    expect(draft.rules).toHaveLength(3);
  });

  it('duplicates a rule right after itself, with a new id', () => {
    const draft = draftFromTable(TABLE);
    const source = draft.rules[1];
    const copyId = newRuleId();
    const next = duplicateRule(draft, source?.id ?? '', copyId);
    expect(next.rules).toHaveLength(4);
    expect(next.rules[2]).toEqual({ ...source, id: copyId });
    expect(duplicateRule(draft, 'nope', newRuleId())).toBe(draft);
  });

  it('moves a rule up and down, and not past either end', () => {
    const draft = draftFromTable(TABLE);
    const [first, , last] = draft.rules;
    expect(words(moveRule(draft, last?.id ?? '', -1))).toEqual(['PING', 'A', '^GET (\\w+)$']);
    expect(words(moveRule(draft, first?.id ?? '', 1))).toEqual(['^GET (\\w+)$', 'PING', 'A']);
    expect(moveRule(draft, first?.id ?? '', -1)).toBe(draft);
    expect(moveRule(draft, last?.id ?? '', 1)).toBe(draft);
  });

  it('deletes a rule', () => {
    const draft = draftFromTable(TABLE);
    expect(words(deleteRule(draft, draft.rules[1]?.id ?? ''))).toEqual(['PING', 'A']);
  });

  it('hands out ids that never repeat, also across tables', () => {
    const ids = [...draftFromTable(TABLE).rules, ...draftFromTable(TABLE).rules].map((r) => r.id);
    ids.push(newRuleId(), newRuleId());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('tells unapplied changes by key', () => {
    const draft = draftFromTable(TABLE);
    expect(draftKey(draft)).toBe(tableKey(TABLE));
    expect(draftKey(updateRule(draft, draft.rules[0]?.id ?? '', { delay: '5' }))).not.toBe(tableKey(TABLE));
  });
});
