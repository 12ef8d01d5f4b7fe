/**
 * The durable log: every event appended to a JSON Lines file, in batches
 * written off the hot path, rotated by size with a bounded number of old
 * files kept.
 *
 * Each write is whole lines, so a process killed mid-flood leaves a file
 * that is valid up to its last complete line. `close()` writes what waits
 * before it resolves, so Stop and Quit lose nothing. What a crash (kill -9,
 * power loss aside) can lose is what waits for the next write: at most
 * {@link FLUSH_MS} of events, and never more than {@link FLUSH_BYTES}.
 *
 * A write that fails (a full disk, an I/O error) is reported at once, its
 * lines are counted as dropped, and whatever part of them reached the file
 * is cut off again, so the file goes on at a line boundary when writes
 * succeed again. A file that already ends in a torn line (a previous run
 * killed mid-write on a system that tore it) gets a line end first: the
 * fragment stays, as one damaged line that readers skip, and the first new
 * event starts on a line of its own.
 *
 * A flood logs a million entries a second, so an entry is encoded to UTF-8
 * the moment it is appended, into large buffers outside the JS heap: what
 * waits for the next write is bytes, not hundreds of thousands of strings
 * that would outlive the young generation and make every GC slow.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { TypedEmitter } from '../core/typed-emitter.js';
import { LINE_ROW } from '../core/server.js';
import type { LogRecord, LogRetention } from '../shared/ipc/models.js';
import { lineRow, replyRow } from './log-entries.js';
import type { NumberedRows, RowSink } from './server-controller.js';

export interface LogFileOptions {
  file: string;
  /** Rotate once the file would grow past this; Infinity never rotates. */
  maxBytes?: number;
  /** Rotated files kept beside the current one (file.1 … file.N). */
  keep?: number;
  /** How long entries may wait before they are written (at most {@link FLUSH_MS}). */
  flushMs?: number;
  /** Opens the file; tests pass one whose writes fail. */
  open?: OpenLogFile;
  /** Unwritten bytes past which the log is behind, and below which it has caught up (default {@link BEHIND_BYTES}, {@link CAUGHT_UP_BYTES}). */
  behindBytes?: number;
  caughtUpBytes?: number;
}

/** What the log needs of an open file (fs.promises' FileHandle has it all). */
export type LogFileHandle = Pick<fs.FileHandle, 'writev' | 'write' | 'read' | 'stat' | 'truncate' | 'close'>;
export type OpenLogFile = (file: string) => Promise<LogFileHandle>;

/** Opened for appending and for reading its last byte back. */
const openForAppend: OpenLogFile = (file) => fs.open(file, 'a+');

/** The durable log's size limit and files kept unless the user chooses others (README.md). */
export const DEFAULT_LOG_MAX_BYTES = 25 * 1024 * 1024;
export const DEFAULT_LOG_KEEP = 5;
/** The longest entries wait before they are written: what a crash can lose at most. */
export const FLUSH_MS = 50;
/** A batch this big is written at once, however young: bounds the loss in a flood, and the memory. */
export const FLUSH_BYTES = 1024 * 1024;

export interface LogFileEvents {
  /** A write failed: the message, and the lines dropped so far. */
  problem: { message: string; dropped: number };
  /** Writes succeed again after a problem. */
  recovered: { dropped: number };
  /** More than BEHIND_BYTES wait to be written (`true`), or it has caught up again (`false`). */
  behind: { behind: boolean };
}

/** Encoded lines wait in buffers of this size (a longer line gets one of its own). */
const CHUNK_BYTES = 256 * 1024;
/** Written buffers kept to fill again: what the log holds before it is behind. */
const POOL_CHUNKS = 8;
const LF = 0x0a;

/**
 * Bytes waiting to be written (encoded, or in a write under way) past
 * which the log is behind and the server stops reading from its clients,
 * and below which it reads again (docs/server-limits.md): memory stays
 * bounded and no event is dropped, however slow the disk.
 */
export const BEHIND_BYTES = 4 * 1024 * 1024;
export const CAUGHT_UP_BYTES = 1024 * 1024;

/** The fields the encoder writes, in this order (JSON.stringify's, for a LogRecord built in this order). */
type Field =
  | 'seq'
  | 'at'
  | 'conn'
  | 'remote'
  | 'kind'
  | 'detail'
  | 'dir'
  | 'text'
  | 'bytes'
  | 'bytesIn'
  | 'bytesOut'
  | 'reason'
  | 'durationMs'
  | 'direction'
  | 'listener';
/** A LogRecord as the encoder knows it: a field added to LogRecord but not written here fails to compile. */
type KnownEntry = LogRecord & Record<Exclude<keyof LogRecord, Field>, never>;

/** Room for everything in a line but the cached parts: `{"seq":N,"at":N` and `}` LF, any numbers. */
const FIXED_BYTES = 64;
const SEQ_KEY = Buffer.from('{"seq":');
const AT_KEY = Buffer.from(',"at":');
const CLOSE_BRACE = 0x7d;
/** Texts whose encoded rows are kept at most, per kind; a table answers with few texts. */
const BODY_CACHE_SIZE = 1024;
/** Connections whose encoded head is kept at most. */
const HEAD_CACHE_SIZE = 4096;

/** `"kind","detail":…` and the typed fields after it, as JSON; numbers as JSON writes them. */
function bodyJson(e: Omit<KnownEntry, 'seq' | 'at' | 'conn' | 'remote'>): string {
  let s = `${JSON.stringify(e.kind)},"detail":${JSON.stringify(e.detail)}`;
  if (e.dir !== undefined) s += `,"dir":${JSON.stringify(e.dir)}`;
  if (e.text !== undefined) s += `,"text":${JSON.stringify(e.text)}`;
  if (e.bytes !== undefined) s += `,"bytes":${num(e.bytes)}`;
  if (e.bytesIn !== undefined) s += `,"bytesIn":${num(e.bytesIn)}`;
  if (e.bytesOut !== undefined) s += `,"bytesOut":${num(e.bytesOut)}`;
  if (e.reason !== undefined) s += `,"reason":${JSON.stringify(e.reason)}`;
  if (e.durationMs !== undefined) s += `,"durationMs":${num(e.durationMs)}`;
  // A forwarder's rows say which side sent them (docs/forwarding.md).
  if (e.direction !== undefined) s += `,"direction":${JSON.stringify(e.direction)}`;
  // A workspace's rows name their listener (docs/listeners.md).
  if (e.listener !== undefined) s += `,"listener":${JSON.stringify(e.listener)}`;
  return s;
}

/**
 * Forwarded frames of one read (one connection, one direction, one time) as
 * rows `firstSeq`, `firstSeq + 1`…: each row `{seq, at, conn, remote, kind,
 * detail, direction}`, the fields and order of a forwarded entry
 * (docs/forwarding.md, "The log"), without an object per frame.
 */
export interface FrameRows {
  firstSeq: number;
  at: number;
  conn: number;
  remote: string;
  kind: 'line' | 'reply';
  direction: 'client' | 'upstream';
  frames: readonly Buffer[];
  /** A frame's row detail; called only for a frame unlike the one before it. */
  detail: (frame: Buffer) => string;
}

/** The body of the last forwarded frame of one kind, and the frame it was made for. */
interface CachedFrame {
  /** The frame as it came (a repeat in the same read is this very view), and a copy of its bytes. */
  seen: Buffer;
  frame: Buffer;
  direction: string;
  detail: FrameRows['detail'];
  body: Buffer;
}

/** A line's or reply's encoded body, and the text and byte count it was made for. */
interface CachedBody {
  text: string;
  bytes: number;
  body: Buffer;
}

/**
 * Writes entries as JSON lines straight into a buffer, byte for byte what
 * JSON.stringify would write, without building a string per entry: the
 * numbers are written digit by digit, and the parts that repeat from row
 * to row (a connection's number and address; the same command and reply
 * text) are kept encoded and copied.
 */
class LineEncoder {
  #conn = -1;
  #remote = '';
  /** `,"conn":N,"remote":"…","kind":` */
  #head: Buffer = Buffer.alloc(0);
  readonly #heads = new Map<number, { remote: string; head: Buffer }>();
  /** The body of the entry just prepared. */
  #body: Buffer = Buffer.alloc(0);
  /** Two remembered line or reply bodies, as commands and replies alternate. */
  #a: KnownEntry | null = null;
  #aBody: Buffer = Buffer.alloc(0);
  #b: KnownEntry | null = null;
  #bBody: Buffer = Buffer.alloc(0);
  /** Encoded bodies of batch rows, by text: one map for lines, one for replies. */
  readonly #lines = new Map<string, CachedBody>();
  readonly #replies = new Map<string, CachedBody>();
  #lastLine: CachedBody | null = null;
  #lastReply: CachedBody | null = null;
  /** The last forwarded frame's row body, each kind. */
  #lastClientFrame: CachedFrame | null = null;
  #lastUpstreamFrame: CachedFrame | null = null;
  /** The last {@link frameTail}, and the body and batch head it was made of. */
  #tail: Buffer = Buffer.alloc(0);
  #tailBody: Buffer | null = null;
  #tailAt: Buffer | null = null;
  /** `,"at":N` of the batch being written. */
  #at = Buffer.alloc(32);
  #atBytes: Buffer = this.#at.subarray(0, 0);

  #setHead(conn: number, remote: string): void {
    if (conn === this.#conn && remote === this.#remote) return;
    this.#conn = conn;
    this.#remote = remote;
    // Many connections take turns: each one's head is made once, not at every switch.
    const known = this.#heads.get(conn);
    if (known !== undefined && known.remote === remote) {
      this.#head = known.head;
      return;
    }
    this.#head = Buffer.from(`,"conn":${num(conn)},"remote":${JSON.stringify(remote)},"kind":`);
    if (this.#heads.size >= HEAD_CACHE_SIZE) this.#heads.clear();
    this.#heads.set(conn, { remote, head: this.#head });
  }

  /** Bytes `entry` may take at most; call before {@link write}, which relies on the caches it fills. */
  prepare(e: KnownEntry): number {
    this.#setHead(e.conn, e.remote);
    if (sameBody(e, this.#a)) this.#body = this.#aBody;
    else if (sameBody(e, this.#b)) {
      [this.#a, this.#b] = [this.#b, this.#a];
      [this.#aBody, this.#bBody] = [this.#bBody, this.#aBody];
      this.#body = this.#aBody;
    } else {
      this.#body = Buffer.from(bodyJson(e));
      // Rows of a close or an error differ every time: only lines and replies are worth keeping.
      if (e.bytesIn === undefined && e.durationMs === undefined && e.reason === undefined) {
        this.#b = this.#a;
        this.#bBody = this.#aBody;
        this.#a = e;
        this.#aBody = this.#body;
      }
    }
    return FIXED_BYTES + this.#head.length + this.#body.length;
  }

  /** Writes the entry just prepared, and its LF, at `o`; returns the offset after it. */
  write(e: KnownEntry, out: Buffer, o: number): number {
    out.set(SEQ_KEY, o);
    o = writeNumber(out, o + SEQ_KEY.length, e.seq);
    out.set(AT_KEY, o);
    o = writeNumber(out, o + AT_KEY.length, e.at);
    return this.#finishRow(out, o, this.#body);
  }

  #finishRow(out: Buffer, o: number, body: Buffer): number {
    out.set(this.#head, o);
    o += this.#head.length;
    out.set(body, o);
    o += body.length;
    out[o++] = CLOSE_BRACE;
    out[o++] = LF;
    return o;
  }

  /** Starts a batch of rows of one connection at one time; returns the bytes a row takes besides its body. */
  prepareBatch(conn: number, remote: string, at: number): number {
    this.#setHead(conn, remote);
    // `,"at":N,"conn":N,"remote":"…","kind":` once for the whole batch: one copy a row.
    const need = AT_KEY.length + 24 + this.#head.length;
    if (this.#at.length < need) this.#at = Buffer.alloc(need * 2);
    this.#at.set(AT_KEY, 0);
    const o = writeNumber(this.#at, AT_KEY.length, at);
    this.#at.set(this.#head, o);
    this.#atBytes = this.#at.subarray(0, o + this.#head.length);
    return FIXED_BYTES + this.#head.length;
  }

  /** The encoded body of a batch row (see ExchangeBatch), made once per text. */
  batchBody(kind: number, text: string, bytes: number): Buffer {
    const line = kind === LINE_ROW;
    // Most batches repeat one command and its reply: compare with the last of each first.
    const last = line ? this.#lastLine : this.#lastReply;
    if (last !== null && last.text === text && last.bytes === bytes) return last.body;
    const cache = line ? this.#lines : this.#replies;
    let hit = cache.get(text);
    if (hit === undefined || hit.bytes !== bytes) {
      const row = line ? lineRow(0, 0, '', text, bytes) : replyRow(0, 0, '', text, bytes);
      hit = { text, bytes, body: Buffer.from(bodyJson(row as KnownEntry)) };
      if (cache.size >= BODY_CACHE_SIZE) cache.clear();
      cache.set(text, hit);
    }
    if (line) this.#lastLine = hit;
    else this.#lastReply = hit;
    return hit.body;
  }

  /** The encoded body of a forwarded frame's row (see FrameRows), made again only when the frame changes. */
  frameBody(rows: FrameRows, frame: Buffer): Buffer {
    const line = rows.kind === 'line';
    const last = line ? this.#lastClientFrame : this.#lastUpstreamFrame;
    if (last !== null && last.direction === rows.direction && last.detail === rows.detail) {
      if (frame === last.seen) return last.body;
      if (last.frame.equals(frame)) {
        last.seen = frame;
        return last.body;
      }
    }
    const row = { kind: rows.kind, detail: rows.detail(frame), direction: rows.direction };
    const made = {
      seen: frame,
      frame: Buffer.from(frame),
      direction: rows.direction,
      detail: rows.detail,
      body: Buffer.from(bodyJson(row)),
    };
    if (line) this.#lastClientFrame = made;
    else this.#lastUpstreamFrame = made;
    return made.body;
  }

  /**
   * A forwarded row after its seq: `,"at":N,"conn":N,"remote":"…","kind":`,
   * `body`, `}` and LF, made once a batch for each body, so a row is its
   * seq and one copy (see {@link writeFrameRow}).
   */
  frameTail(body: Buffer): Buffer {
    if (body === this.#tailBody && this.#tailAt === this.#atBytes) return this.#tail;
    const atHead = this.#atBytes;
    const tail = Buffer.allocUnsafe(atHead.length + body.length + 2);
    atHead.copy(tail, 0);
    body.copy(tail, atHead.length);
    tail[tail.length - 2] = CLOSE_BRACE;
    tail[tail.length - 1] = LF;
    this.#tail = tail;
    this.#tailBody = body;
    this.#tailAt = atHead;
    return tail;
  }

  /** Writes `{"seq":N` and a {@link frameTail} at `o`; returns the offset after it. */
  writeFrameRow(seq: number, tail: Buffer, out: Buffer, o: number): number {
    out.set(SEQ_KEY, o);
    o = writeNumber(out, o + SEQ_KEY.length, seq);
    out.set(tail, o);
    return o + tail.length;
  }

  /** Writes a batch row at `o` (after {@link prepareBatch}); returns the offset after it. */
  writeBatchRow(seq: number, body: Buffer, out: Buffer, o: number): number {
    // `{"seq":`
    out[o] = 0x7b;
    out[o + 1] = 0x22;
    out[o + 2] = 0x73;
    out[o + 3] = 0x65;
    out[o + 4] = 0x71;
    out[o + 5] = 0x22;
    out[o + 6] = 0x3a;
    o = writeNumber(out, o + 7, seq);
    const atHead = this.#atBytes;
    out.set(atHead, o);
    o += atHead.length;
    out.set(body, o);
    o += body.length;
    out[o++] = CLOSE_BRACE;
    out[o++] = LF;
    return o;
  }
}

/** The same body: kind, detail and the typed fields of a line or reply. */
function sameBody(e: KnownEntry, c: KnownEntry | null): boolean {
  return (
    c !== null &&
    e.detail === c.detail &&
    e.kind === c.kind &&
    e.text === c.text &&
    e.bytes === c.bytes &&
    e.dir === c.dir &&
    e.listener === c.listener &&
    e.direction === c.direction &&
    e.bytesIn === undefined &&
    e.bytesOut === undefined &&
    e.reason === undefined &&
    e.durationMs === undefined
  );
}

/** Writes `n` as JSON does; digit by digit, in 32-bit steps, for the usual whole numbers. */
function writeNumber(out: Buffer, o: number, n: number): number {
  if (n >= 0 && n <= 0x7fffffff && (n | 0) === n) return writeInt32(out, o, n);
  if (Number.isSafeInteger(n) && n > 0) {
    // Timestamps: the digits above the last eight, then those eight.
    const high = Math.floor(n / 1e8);
    return writeEightDigits(out, writeInt32(out, o, high), n - high * 1e8);
  }
  return o + out.write(num(n), o, 'latin1');
}

function writeInt32(out: Buffer, o: number, n: number): number {
  let digits = 1;
  for (let x = n; x >= 10; x = (x / 10) | 0) digits++;
  const end = o + digits;
  for (let i = end - 1, x = n; i >= o; i--) {
    const q = (x / 10) | 0;
    out[i] = 0x30 + x - q * 10;
    x = q;
  }
  return end;
}

function writeEightDigits(out: Buffer, o: number, n: number): number {
  for (let i = o + 7, x = n; i >= o; i--) {
    const q = (x / 10) | 0;
    out[i] = 0x30 + x - q * 10;
    x = q;
  }
  return o + 8;
}

function num(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

/** Lines (LF bytes) in `bytes`. */
function countLines(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) n++;
  return n;
}

/** What {@link holdWhileBehind} needs of a server: the core's hold on reading. */
export interface HoldableServer {
  holdReading(): void;
  releaseReading(): void;
}

/**
 * The log's backpressure: while it is behind, `server` reads nothing from
 * its clients, so memory stays bounded and every event is written
 * (docs/server-limits.md). Returns the function that unhooks it.
 */
export function holdWhileBehind(log: LogFile, server: HoldableServer): () => void {
  return log.on('behind', ({ behind }) => (behind ? server.holdReading() : server.releaseReading()));
}

export class LogFile extends TypedEmitter<LogFileEvents> implements RowSink {
  readonly file: string;
  readonly #maxBytes: number;
  readonly #keep: number;
  readonly #flushMs: number;
  readonly #encoder = new LineEncoder();
  /** Whole encoded lines waiting to be written. */
  #sealed: Buffer[] = [];
  /**
   * Buffers whose lines are all written, to fill again: a flood would
   * otherwise allocate hundreds of megabytes a second outside the heap,
   * and every such allocation hurries the next GC. Regions of each buffer
   * not yet written are counted in #regions.
   */
  readonly #pool: Buffer[] = [];
  readonly #regions = new Map<ArrayBufferLike, number>();
  /** The buffer being filled: bytes [#start, #used) are lines not yet sealed. */
  #chunk: Buffer | null = null;
  #start = 0;
  #used = 0;
  #pendingLines = 0;
  #timer: NodeJS.Timeout | null = null;
  #handle: LogFileHandle | null = null;
  #size = 0;
  /** The write under way; flushes queue behind it so lines never interleave. */
  #writing: Promise<void> = Promise.resolve();
  #problem: string | null = null;
  #written = 0;
  #pendingBytes = 0;
  readonly #openFile: OpenLogFile;
  /** Lines that never reached the file (failed writes). */
  #dropped = 0;
  /** Lines of this run in the current file, and in file.1 … file.N. */
  #linesInCurrent = 0;
  #linesRotated: number[] = [];
  #rotatedAway = 0;
  /** Bytes appended and not yet written; see {@link behind}. */
  #queuedBytes = 0;
  #behind = false;
  readonly #behindBytes: number;
  readonly #caughtUpBytes: number;

  constructor(options: LogFileOptions) {
    super();
    this.file = options.file;
    this.#maxBytes = options.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
    this.#keep = options.keep ?? DEFAULT_LOG_KEEP;
    this.#flushMs = Math.min(options.flushMs ?? FLUSH_MS, FLUSH_MS);
    this.#openFile = options.open ?? openForAppend;
    this.#behindBytes = options.behindBytes ?? BEHIND_BYTES;
    this.#caughtUpBytes = Math.min(options.caughtUpBytes ?? CAUGHT_UP_BYTES, this.#behindBytes);
  }

  /** What the files hold of this run, and what rotation deleted: exact counts of lines. */
  get retention(): LogRetention {
    let rowsInFiles = this.#linesInCurrent;
    for (const n of this.#linesRotated) rowsInFiles += n;
    return {
      maxBytes: this.#maxBytes,
      keep: this.#keep,
      rowsInFiles,
      rowsRotatedAway: this.#rotatedAway,
      rowsDropped: this.#dropped,
    };
  }

  /** Lines that could not be written (a full disk…), so far. */
  get dropped(): number {
    return this.#dropped;
  }

  /** The last write failure, if any: shown to the user, never fatal. */
  get problem(): string | null {
    return this.#problem;
  }

  /** Entries written so far. */
  get written(): number {
    return this.#written;
  }

  append(entry: LogRecord): void {
    const need = this.#encoder.prepare(entry);
    const chunk = this.#room(need);
    const before = this.#used;
    this.#used = this.#encoder.write(entry, chunk, this.#used);
    this.#appended(1, this.#used - before);
  }

  /**
   * Appends a batch of lines and replies (one connection, one time) as rows
   * `firstSeq`, `firstSeq + 1`…, encoded straight from the core's columns:
   * no LogRecord per row.
   */
  appendRows({ firstSeq, remote, batch }: NumberedRows): void {
    const n = batch.length;
    if (n === 0) return;
    const fixed = this.#encoder.prepareBatch(batch.conn, remote, batch.at);
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      const body = this.#encoder.batchBody(batch.kinds[i] ?? 0, batch.texts[i] ?? '', batch.bytes[i] ?? 0);
      const chunk = this.#room(fixed + body.length);
      const o = this.#used;
      this.#used = this.#encoder.writeBatchRow(firstSeq + i, body, chunk, o);
      bytes += this.#used - o;
    }
    this.#appended(n, bytes);
  }

  /**
   * Appends a forwarded read's frames as rows `firstSeq`…, byte for byte
   * what {@link append} writes for the same entries, with no entry per frame.
   */
  appendFrames(rows: FrameRows): void {
    const n = rows.frames.length;
    if (n === 0) return;
    const fixed = this.#encoder.prepareBatch(rows.conn, rows.remote, rows.at);
    let bytes = 0;
    for (let i = 0; i < n; i++) {
      const frame = rows.frames[i];
      if (frame === undefined) continue;
      const body = this.#encoder.frameBody(rows, frame);
      // One row: a tail made for it would be copied once, so it is not made.
      const tail = n === 1 ? null : this.#encoder.frameTail(body);
      const chunk = this.#room(fixed + (tail ?? body).length);
      const o = this.#used;
      this.#used =
        tail === null
          ? this.#encoder.writeBatchRow(rows.firstSeq + i, body, chunk, o)
          : this.#encoder.writeFrameRow(rows.firstSeq + i, tail, chunk, o);
      bytes += this.#used - o;
    }
    this.#appended(n, bytes);
  }

  /** The buffer to write `need` bytes into at #used: the current one, or a fresh one when it is full. */
  #room(need: number): Buffer {
    const chunk = this.#chunk;
    if (chunk !== null && this.#used + need <= chunk.length) return chunk;
    this.#seal();
    this.#chunk = null;
    if (chunk !== null) this.#release(chunk, 0);
    const fresh = (this.#chunk =
      need <= CHUNK_BYTES
        ? (this.#pool.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES))
        : Buffer.allocUnsafeSlow(need));
    this.#start = this.#used = 0;
    return fresh;
  }

  /** `written` regions of `chunk` are in the file: once none is left and it is full, it can be filled again. */
  #release(chunk: Buffer, written: number): void {
    const left = (this.#regions.get(chunk.buffer) ?? 0) - written;
    if (left > 0 || (this.#chunk !== null && this.#chunk.buffer === chunk.buffer)) {
      if (left > 0) this.#regions.set(chunk.buffer, left);
      else this.#regions.delete(chunk.buffer);
      return;
    }
    this.#regions.delete(chunk.buffer);
    if (
      chunk.byteOffset === 0 &&
      chunk.buffer.byteLength === CHUNK_BYTES &&
      this.#pool.length < POOL_CHUNKS
    ) {
      this.#pool.push(Buffer.from(chunk.buffer, 0, CHUNK_BYTES));
    }
  }

  #appended(lines: number, bytes: number): void {
    this.#pendingLines += lines;
    this.#pendingBytes += bytes;
    this.#queuedBytes += bytes;
    if (!this.#behind && this.#queuedBytes >= this.#behindBytes) {
      this.#behind = true;
      this.emit('behind', { behind: true });
    }
    if (this.#pendingBytes >= FLUSH_BYTES) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#flushMs);
  }

  /**
   * True while more than {@link BEHIND_BYTES} wait to be written: the server
   * should read no more from its clients until it is false again.
   */
  get behind(): boolean {
    return this.#behind;
  }

  /** Bytes encoded and not yet written (waiting, or in a write under way). */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  /** Writes every entry appended so far; resolves once they are in the file. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#seal();
    if (this.#sealed.length === 0) return this.#writing;
    const chunks = this.#sealed;
    const lines = this.#pendingLines;
    const bytes = this.#pendingBytes;
    this.#sealed = [];
    this.#pendingLines = 0;
    this.#pendingBytes = 0;
    this.#writing = this.#writing.then(async () => {
      await this.#write(chunks, lines);
      for (const c of chunks) this.#release(c, 1);
      this.#wrote(bytes);
    });
    return this.#writing;
  }

  /** A batch is written (or given up on): the log may have caught up. */
  #wrote(bytes: number): void {
    this.#queuedBytes -= bytes;
    if (this.#behind && this.#queuedBytes <= this.#caughtUpBytes) {
      this.#behind = false;
      this.emit('behind', { behind: false });
    }
  }

  /** Moves the lines filled so far into #sealed; the buffer's free tail stays in use. */
  #seal(): void {
    if (this.#chunk === null || this.#used === this.#start) return;
    this.#sealed.push(this.#chunk.subarray(this.#start, this.#used));
    this.#regions.set(this.#chunk.buffer, (this.#regions.get(this.#chunk.buffer) ?? 0) + 1);
    this.#start = this.#used;
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    await this.flush();
    await this.#writing;
    await this.#handle?.close();
    this.#handle = null;
  }

  async #write(chunks: Buffer[], lines: number): Promise<void> {
    const writtenBefore = this.#written;
    try {
      await this.#open();
      let bytes = 0;
      for (const c of chunks) bytes += c.length;
      if (this.#size + bytes <= this.#maxBytes) {
        await this.#append(chunks, bytes, lines);
      } else {
        await this.#writeRotating(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks));
      }
      if (this.#problem !== null) {
        this.#problem = null;
        this.emit('recovered', { dropped: this.#dropped });
      }
    } catch (error) {
      // What reached the file of a line that failed is cut off again (see #append).
      this.#dropped += lines - (this.#written - writtenBefore);
      const first = this.#problem === null;
      this.#problem =
        `could not write the log ${this.file}: ${error instanceof Error ? error.message : String(error)}; ` +
        `${this.#dropped} ${this.#dropped === 1 ? 'event was' : 'events were'} not logged`;
      if (first) this.emit('problem', { message: this.#problem, dropped: this.#dropped });
    }
  }

  /**
   * Splits the batch at the last line end that still fits, so no file
   * outgrows the limit by more than one line (a single line longer than
   * the limit gets a file of its own).
   */
  async #writeRotating(bytes: Buffer): Promise<void> {
    let rest = bytes;
    while (rest.length > 0) {
      const room = this.#maxBytes - this.#size;
      if (rest.length <= room) {
        await this.#append([rest], rest.length, countLines(rest));
        return;
      }
      let cut = room > 0 ? rest.lastIndexOf(LF, room - 1) + 1 : 0;
      if (cut === 0 && this.#size === 0) cut = rest.indexOf(LF) + 1 || rest.length;
      if (cut > 0) {
        const part = rest.subarray(0, cut);
        await this.#append([part], part.length, countLines(part));
        rest = rest.subarray(cut);
      }
      if (rest.length > 0) await this.#rotate();
    }
  }

  async #append(chunks: Buffer[], bytes: number, lines: number): Promise<void> {
    if (bytes === 0) return;
    const handle = await this.#open();
    try {
      const { bytesWritten } = await handle.writev(chunks);
      if (bytesWritten < bytes) {
        // A short write (a signal, a disk filling up): write the rest in order.
        let rest = Buffer.concat(chunks).subarray(bytesWritten);
        while (rest.length > 0) {
          const written = (await handle.write(rest)).bytesWritten;
          if (written === 0) throw new Error('no progress writing the log');
          rest = rest.subarray(written);
        }
      }
    } catch (error) {
      // Part of the batch may be in the file, ending mid-line: cut it back to
      // the last whole line, so the next write starts on a line boundary.
      await this.#cutBack(handle);
      throw error;
    }
    this.#size += bytes;
    this.#written += lines;
    this.#linesInCurrent += lines;
  }

  /** Truncates the file to the lines known written; if even that fails, the next write starts with a line end. */
  async #cutBack(handle: LogFileHandle): Promise<void> {
    try {
      await handle.truncate(this.#size);
    } catch {
      this.#handle = null;
      await handle.close().catch(() => undefined);
    }
  }

  async #open(): Promise<LogFileHandle> {
    if (this.#handle) return this.#handle;
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const handle = await this.#openFile(this.file);
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new Error('not a regular file');
      this.#size = stat.size;
      await this.#endTornLine(handle);
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
    this.#handle = handle;
    return handle;
  }

  /** A file whose last byte is not a line end gets one, so what follows starts on its own line. */
  async #endTornLine(handle: LogFileHandle): Promise<void> {
    if (this.#size === 0) return;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, this.#size - 1);
    if (last[0] === LF) return;
    const { bytesWritten } = await handle.write(Buffer.from([LF]));
    if (bytesWritten !== 1) throw new Error('could not end the torn last line');
    this.#size += 1;
  }

  /** file → file.1 → file.2 …; the oldest beyond `keep` is deleted. */
  async #rotate(): Promise<void> {
    await this.#handle?.close();
    this.#handle = null;
    await fs.rm(`${this.file}.${this.#keep}`, { force: true });
    for (let i = this.#keep - 1; i >= 1; i--) {
      await fs.rename(`${this.file}.${i}`, `${this.file}.${i + 1}`).catch(() => undefined);
    }
    if (this.#keep > 0) await fs.rename(this.file, `${this.file}.1`);
    else await fs.rm(this.file, { force: true });
    this.#linesRotated.unshift(this.#linesInCurrent);
    this.#linesInCurrent = 0;
    while (this.#linesRotated.length > this.#keep) this.#rotatedAway += this.#linesRotated.pop() ?? 0;
    await this.#open();
  }
}
