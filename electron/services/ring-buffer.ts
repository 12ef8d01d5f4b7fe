import { LINE_ROW } from '../core/server.js';
import type { LogRecord } from '../shared/ipc/models.js';
import { lineDetail, lineRow, replyDetail, replyRow, type EntryDraft } from './log-entries.js';
import type { NumberedRows, RowSink } from './server-controller.js';

/**
 * Keeps the last `capacity` items pushed, oldest first, in fixed memory.
 */
export class RingBuffer<T> {
  readonly #items: (T | undefined)[];
  #start = 0;
  #size = 0;

  constructor(readonly capacity: number) {
    this.#items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    const end = (this.#start + this.#size) % this.capacity;
    this.#items[end] = item;
    if (this.#size < this.capacity) this.#size++;
    else this.#start = (this.#start + 1) % this.capacity;
  }

  get size(): number {
    return this.#size;
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.#size; i++) out.push(this.#items[(this.#start + i) % this.capacity] as T);
    return out;
  }

  clear(): void {
    this.#items.fill(undefined);
    this.#start = 0;
    this.#size = 0;
  }
}

/** A kind of row in a {@link LogRing}: a line, a reply, or any other row kept whole. */
const RING_LINE = 0;
const RING_REPLY = 1;
const RING_OTHER = 2;
/** Distinct texts kept once each, at most; more are kept as they came. */
const INTERNED_MAX = 4096;

/**
 * The newest `capacity` log rows in fixed memory, as columns: time,
 * connection, kind and bytes in typed arrays, texts interned (a table
 * answers with the same few texts), and only rows that are no line or
 * reply (opens, closes…) kept as objects. A flood of lines and replies
 * then allocates nothing that lives: LogRecords are made only for the rows
 * a window is sent (docs/server-limits.md).
 */
export class LogRing implements RowSink {
  readonly #seq: Float64Array;
  readonly #at: Float64Array;
  readonly #conn: Float64Array;
  readonly #bytes: Float64Array;
  readonly #kind: Uint8Array;
  readonly #text: (string | undefined)[];
  readonly #remote: (string | undefined)[];
  readonly #other: (LogRecord | undefined)[];
  readonly #interned = new Map<string, string>();
  /** Details of interned texts, made once: `text` → detail (a reply's depends on its bytes too). */
  readonly #lineDetails = new Map<string, string>();
  readonly #replyDetails = new Map<string, { bytes: number; detail: string }>();
  #start = 0;
  #size = 0;

  constructor(readonly capacity: number) {
    this.#seq = new Float64Array(capacity);
    this.#at = new Float64Array(capacity);
    this.#conn = new Float64Array(capacity);
    this.#bytes = new Float64Array(capacity);
    this.#kind = new Uint8Array(capacity);
    this.#text = new Array<string | undefined>(capacity);
    this.#remote = new Array<string | undefined>(capacity);
    this.#other = new Array<string | undefined>(capacity) as (LogRecord | undefined)[];
  }

  get size(): number {
    return this.#size;
  }

  /** The newest row's seq, 0 when empty. */
  get lastSeq(): number {
    return this.#size === 0 ? 0 : (this.#seq[(this.#start + this.#size - 1) % this.capacity] ?? 0);
  }

  /** A row that is no line or reply, kept whole. */
  append(entry: LogRecord): void {
    const i = this.#slot();
    this.#seq[i] = entry.seq;
    this.#kind[i] = RING_OTHER;
    this.#other[i] = entry;
    this.#text[i] = undefined;
    this.#remote[i] = undefined;
  }

  /** A batch of lines and replies, as columns. */
  appendRows({ firstSeq, remote, batch }: NumberedRows): void {
    for (let k = 0; k < batch.length; k++) {
      const i = this.#slot();
      this.#seq[i] = firstSeq + k;
      this.#at[i] = batch.at;
      this.#conn[i] = batch.conn;
      this.#bytes[i] = batch.bytes[k] ?? 0;
      this.#kind[i] = batch.kinds[k] === LINE_ROW ? RING_LINE : RING_REPLY;
      this.#text[i] = this.#intern(batch.texts[k] ?? '');
      this.#remote[i] = remote;
      this.#other[i] = undefined;
    }
  }

  /**
   * The newest rows with a seq above `afterSeq`, at most `max` of them, as
   * LogRecords, oldest first; `skipped` counts the newer-than-`afterSeq`
   * rows left out (older ones beyond `max`, or gone from the ring).
   */
  after(afterSeq: number, max = this.capacity): { entries: LogRecord[]; skipped: number } {
    const last = this.lastSeq;
    const wanted = Math.max(0, Math.min(last - afterSeq, Number.MAX_SAFE_INTEGER));
    let take = 0;
    // Rows are numbered without gaps, but the ring may hold rows of an older numbering after a clear: count them.
    for (let k = this.#size - 1; k >= 0 && take < max; k--) {
      if ((this.#seq[(this.#start + k) % this.capacity] ?? 0) <= afterSeq) break;
      take++;
    }
    const entries: LogRecord[] = [];
    for (let k = this.#size - take; k < this.#size; k++)
      entries.push(this.#record((this.#start + k) % this.capacity));
    return { entries, skipped: Math.max(0, wanted - take) };
  }

  /** Every row held, oldest first. */
  toArray(): LogRecord[] {
    return this.after(Number.NEGATIVE_INFINITY).entries;
  }

  clear(): void {
    this.#text.fill(undefined);
    this.#remote.fill(undefined);
    this.#other.fill(undefined);
    this.#start = 0;
    this.#size = 0;
  }

  #slot(): number {
    const i = (this.#start + this.#size) % this.capacity;
    if (this.#size < this.capacity) this.#size++;
    else this.#start = (this.#start + 1) % this.capacity;
    return i;
  }

  #intern(text: string): string {
    const known = this.#interned.get(text);
    if (known !== undefined) return known;
    if (this.#interned.size < INTERNED_MAX) this.#interned.set(text, text);
    return text;
  }

  #record(i: number): LogRecord {
    const kind = this.#kind[i];
    if (kind === RING_OTHER) return this.#other[i] as LogRecord;
    const text = this.#text[i] ?? '';
    const bytes = this.#bytes[i] ?? 0;
    const at = this.#at[i] ?? 0;
    const conn = this.#conn[i] ?? 0;
    const remote = this.#remote[i] ?? '';
    const interned = this.#interned.get(text) === text;
    let row: EntryDraft;
    if (kind === RING_LINE) {
      let detail = interned ? this.#lineDetails.get(text) : undefined;
      if (detail === undefined) {
        detail = lineDetail(text);
        if (interned) this.#lineDetails.set(text, detail);
      }
      row = lineRow(at, conn, remote, text, bytes, detail);
    } else {
      let cached = interned ? this.#replyDetails.get(text) : undefined;
      if (cached?.bytes !== bytes) {
        cached = { bytes, detail: replyDetail(text, bytes) };
        if (interned) this.#replyDetails.set(text, cached);
      }
      row = replyRow(at, conn, remote, text, bytes, cached.detail);
    }
    const entry = row as LogRecord;
    entry.seq = this.#seq[i] ?? 0;
    return entry;
  }
}
