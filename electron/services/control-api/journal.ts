/**
 * What each listener saw, for `/switchboard/` queries: a bounded list of
 * events per listener (the oldest go first), filtered by connection and kind.
 */
import { RingBuffer } from '../ring-buffer.js';

export const JOURNAL_KINDS = ['open', 'close', 'line', 'reply', 'unknown', 'rejected', 'error'] as const;
export type JournalKind = (typeof JOURNAL_KINDS)[number];

export interface JournalEntry {
  seq: number;
  at: number;
  conn: number;
  kind: JournalKind;
  /** For forwarded traffic: who sent it. */
  direction?: 'client' | 'upstream';
  /** The line or frame (UTF-8, invalid bytes replaced), or what happened. */
  text: string;
}

export const JOURNAL_CAPACITY = 10_000;
/** Characters of text one entry keeps (a line at the default max line; a long reply is cut, ending in `…`). */
export const JOURNAL_TEXT_CHARS = 4096;

export class Journal {
  #entries = new RingBuffer<JournalEntry>(JOURNAL_CAPACITY);
  #seq = 0;

  add(entry: Omit<JournalEntry, 'seq'>): void {
    const text =
      entry.text.length > JOURNAL_TEXT_CHARS ? `${entry.text.slice(0, JOURNAL_TEXT_CHARS)}…` : entry.text;
    this.#entries.push({ seq: ++this.#seq, ...entry, text });
  }

  list(filter: { conn?: number; kind?: JournalKind } = {}): JournalEntry[] {
    return this.#entries
      .toArray()
      .filter(
        (e) =>
          (filter.conn === undefined || e.conn === filter.conn) &&
          (filter.kind === undefined || e.kind === filter.kind),
      );
  }

  /** How many lines received match: exactly `line`, or the regular expression `pattern`. */
  countLines(match: { line: string } | { pattern: { test(text: string): boolean } }): number {
    let count = 0;
    for (const e of this.#entries.toArray()) {
      if (e.kind !== 'line') continue;
      if ('line' in match ? e.text === match.line : match.pattern.test(e.text)) count++;
    }
    return count;
  }

  clear(): void {
    this.#entries.clear();
  }
}
