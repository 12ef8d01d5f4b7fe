import { describe, expect, it } from 'vitest';
import { BUILT_IN_PRESETS } from '../../../../electron/services/builtin-presets';
import { checkTable, type CommandTable } from '../../../../electron/shared/protocol/command-table';
import { checkDraft, placeIssues } from '../../../../renderer/src/components/commands/draft-check';
import {
  delimiterOf,
  escapeBytes,
  statesOfTable,
} from '../../../../renderer/src/components/commands/conversation-draft';
import { draftFromTable, tableFromDraft } from '../../../../renderer/src/components/commands/table-draft';

describe('the conversation in the draft', () => {
  it.each(BUILT_IN_PRESETS.map((p) => [p.name, p.table] as const))(
    'keeps every field of the %s preset through the editor',
    (_name, table) => {
      expect(checkTable(table).ok).toBe(true);
      expect(tableFromDraft(draftFromTable(table))).toEqual(table);
      expect(checkDraft(draftFromTable(table)).ok).toBe(true);
    },
  );

  it('writes delimiters with escapes and reads them back as the bytes', () => {
    const bytes = '\r\n.\r\n\u0000\u00ff\\';
    expect(escapeBytes(bytes)).toBe('\\r\\n.\\r\\n\\0\\xff\\\\');
    expect(delimiterOf(escapeBytes(bytes))).toEqual({ ok: true, value: bytes });
    expect(delimiterOf('\\q')).toMatchObject({ ok: false });
  });

  it('places framing, push, greeting and state problems at their fields', () => {
    const table: CommandTable = {
      framing: { lengthField: { offset: 4, bytes: 2 } },
      greeting: 'hi {1}',
      push: [{ everyMs: 10, reply: 'tick', state: 'nowhere' }],
      commands: [
        { name: 'DATA', reply: 'go', then: 'dta' },
        { bytes: '0g', reply: 'x' },
        { pattern: '.*', state: 'data', reply: [] },
      ],
    };
    const draft = draftFromTable(table);
    draft.framing.offset = 'four';
    const check = checkDraft(draft);
    expect(check.ok).toBe(false);
    const placed = placeIssues(draft, check.issues);
    expect(placed.framing.offset).toBe('lengthField.offset must be a number');
    expect(placed.push[draft.push[0]?.id ?? '']?.every).toBe('everyMs must be at least 50');
    expect(placed.greeting).toContain('no request');
    expect(placed.rules[draft.rules[1]?.id ?? '']?.match).toContain('odd hex digit 0 at character 1');
    expect(placed.general).toEqual([]);

    // With the framing and push fixed, the states are checked across the table.
    draft.framing.offset = '4';
    draft.push = [];
    draft.greeting = '';
    draft.rules.splice(1, 1);
    const states = placeIssues(draft, checkDraft(draft).issues);
    expect(states.rules[draft.rules[0]?.id ?? '']?.then).toContain('then names the state dta');
  });

  it('an unreadable delimiter is named at its field', () => {
    const draft = draftFromTable({ commands: [], framing: { delimiter: '|' } });
    draft.framing.delimiter = '\\x4';
    const placed = placeIssues(draft, checkDraft(draft).issues);
    expect(placed.framing.delimiter).toContain('\\x needs two hex digits');
    expect(placed.count).toBe(1);
  });

  it('lists the states a table uses and the rules that move between them', () => {
    expect(
      statesOfTable({
        commands: [
          { name: 'DATA', reply: '', then: 'data' },
          { pattern: '^\\.$', state: ['data'], reply: '', then: 'start' },
        ],
        push: [{ everyMs: 100, reply: 'x', state: 'idle' }],
      }),
    ).toEqual({
      states: ['start', 'data', 'idle'],
      moves: [
        { from: null, to: 'data', rule: 0 },
        { from: ['data'], to: 'start', rule: 1 },
      ],
    });
  });
});
