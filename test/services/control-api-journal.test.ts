import { describe, expect, it } from 'vitest';
import {
  Journal,
  JOURNAL_CAPACITY,
  JOURNAL_TEXT_CHARS,
} from '../../electron/services/control-api/journal.js';

describe('Journal', () => {
  it('keeps the last entries up to its capacity, oldest dropped first', () => {
    const journal = new Journal();
    for (let i = 0; i <= JOURNAL_CAPACITY; i++) journal.add({ at: i, conn: 1, kind: 'line', text: `L${i}` });
    const entries = journal.list();
    expect(entries).toHaveLength(JOURNAL_CAPACITY);
    expect(entries[0]?.text).toBe('L1');
    expect(journal.countLines({ line: 'L0' })).toBe(0);
  });

  it('cuts a long text, so a flood of big replies stays bounded', () => {
    const journal = new Journal();
    journal.add({ at: 0, conn: 1, kind: 'reply', text: 'x'.repeat(1_000_000) });
    expect(journal.list()[0]?.text).toBe(`${'x'.repeat(JOURNAL_TEXT_CHARS)}…`);
  });

  it('filters by connection and kind, and counts lines exactly or by pattern', () => {
    const journal = new Journal();
    journal.add({ at: 0, conn: 1, kind: 'line', text: 'GET a' });
    journal.add({ at: 0, conn: 2, kind: 'line', text: 'GET b' });
    journal.add({ at: 0, conn: 2, kind: 'reply', text: 'GET b' });
    expect(journal.list({ conn: 2, kind: 'line' }).map((e) => e.text)).toEqual(['GET b']);
    expect(journal.countLines({ pattern: /^GET / })).toBe(2);
    expect(journal.countLines({ line: 'GET b' })).toBe(1);
  });
});
