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
import type { LogEntry, LogKind, LogRetention } from '../shared/ipc/models.js';

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
}

/** Encoded lines wait in buffers of this size (a longer line gets one of its own). */
const CHUNK_BYTES = 256 * 1024;
const LF = 0x0a;

/** The fields the encoder writes, in the order JSON.stringify keeps for a LogEntry. */
type Field = 'seq' | 'at' | 'conn' | 'remote' | 'kind' | 'detail' | 'listener';
/** A LogEntry as the encoder knows it: a field added to LogEntry but not written here fails to compile. */
type KnownEntry = LogEntry & Record<Exclude<keyof LogEntry, Field>, never>;

/** Room for everything in a line but the cached parts: `{"seq":N,"at":N` and `}` LF, any numbers. */
const FIXED_BYTES = 64;
const SEQ_KEY = Buffer.from('{"seq":');
const AT_KEY = Buffer.from(',"at":');
const CLOSE_BRACE = 0x7d;

/** `"kind","detail":` for each kind. */
const KIND_BYTES: Record<LogKind, Buffer> = {
  listening: kindBytes('listening'),
  open: kindBytes('open'),
  line: kindBytes('line'),
  reply: kindBytes('reply'),
  close: kindBytes('close'),
  rejected: kindBytes('rejected'),
  error: kindBytes('error'),
  stopped: kindBytes('stopped'),
};

function kindBytes(kind: LogKind): Buffer {
  return Buffer.from(`${JSON.stringify(kind)},"detail":`);
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
  /** Two remembered details, as commands and replies alternate. */
  #detailA = '';
  #detailABytes: Buffer = Buffer.from('""');
  #detailB = '';
  #detailBBytes: Buffer = Buffer.from('""');
  /** `,"listener":"…"` of the last entry that named its listener (a workspace's). */
  #listener: string | null = null;
  #listenerBytes: Buffer = Buffer.alloc(0);

  /** Bytes `entry` may take at most; call before {@link write}, which relies on the caches it fills. */
  prepare(e: KnownEntry): number {
    if (e.conn !== this.#conn || e.remote !== this.#remote) {
      this.#conn = e.conn;
      this.#remote = e.remote;
      this.#head = Buffer.from(`,"conn":${num(e.conn)},"remote":${JSON.stringify(e.remote)},"kind":`);
    }
    if (e.detail !== this.#detailA) {
      if (e.detail === this.#detailB) {
        [this.#detailA, this.#detailB] = [this.#detailB, this.#detailA];
        [this.#detailABytes, this.#detailBBytes] = [this.#detailBBytes, this.#detailABytes];
      } else {
        this.#detailB = this.#detailA;
        this.#detailBBytes = this.#detailABytes;
        this.#detailA = e.detail;
        this.#detailABytes = Buffer.from(JSON.stringify(e.detail));
      }
    }
    if (e.listener !== undefined && e.listener !== this.#listener) {
      this.#listener = e.listener;
      this.#listenerBytes = Buffer.from(`,"listener":${JSON.stringify(e.listener)}`);
    }
    const listener = e.listener === undefined ? 0 : this.#listenerBytes.length;
    return FIXED_BYTES + this.#head.length + KIND_BYTES[e.kind].length + this.#detailABytes.length + listener;
  }

  /** Writes the entry just prepared, and its LF, at `o`; returns the offset after it. */
  write(e: KnownEntry, out: Buffer, o: number): number {
    out.set(SEQ_KEY, o);
    o = writeNumber(out, o + SEQ_KEY.length, e.seq);
    out.set(AT_KEY, o);
    o = writeNumber(out, o + AT_KEY.length, e.at);
    out.set(this.#head, o);
    o += this.#head.length;
    const kind = KIND_BYTES[e.kind];
    out.set(kind, o);
    o += kind.length;
    out.set(this.#detailABytes, o);
    o += this.#detailABytes.length;
    if (e.listener !== undefined) {
      out.set(this.#listenerBytes, o);
      o += this.#listenerBytes.length;
    }
    out[o++] = CLOSE_BRACE;
    out[o++] = LF;
    return o;
  }
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

export class LogFile extends TypedEmitter<LogFileEvents> {
  readonly file: string;
  readonly #maxBytes: number;
  readonly #keep: number;
  readonly #flushMs: number;
  readonly #encoder = new LineEncoder();
  /** Whole encoded lines waiting to be written. */
  #sealed: Buffer[] = [];
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

  constructor(options: LogFileOptions) {
    super();
    this.file = options.file;
    this.#maxBytes = options.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
    this.#keep = options.keep ?? DEFAULT_LOG_KEEP;
    this.#flushMs = Math.min(options.flushMs ?? FLUSH_MS, FLUSH_MS);
    this.#openFile = options.open ?? openForAppend;
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

  append(entry: LogEntry): void {
    const need = this.#encoder.prepare(entry);
    let chunk = this.#chunk;
    if (chunk === null || this.#used + need > chunk.length) {
      this.#seal();
      chunk = this.#chunk = Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, need));
      this.#start = this.#used = 0;
    }
    const before = this.#used;
    this.#used = this.#encoder.write(entry, chunk, this.#used);
    this.#pendingLines++;
    this.#pendingBytes += this.#used - before;
    if (this.#pendingBytes >= FLUSH_BYTES) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#flushMs);
  }

  /** Writes every entry appended so far; resolves once they are in the file. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#seal();
    if (this.#sealed.length === 0) return this.#writing;
    const chunks = this.#sealed;
    const lines = this.#pendingLines;
    this.#sealed = [];
    this.#pendingLines = 0;
    this.#pendingBytes = 0;
    this.#writing = this.#writing.then(() => this.#write(chunks, lines));
    return this.#writing;
  }

  /** Moves the lines filled so far into #sealed; the buffer's free tail stays in use. */
  #seal(): void {
    if (this.#chunk === null || this.#used === this.#start) return;
    this.#sealed.push(this.#chunk.subarray(this.#start, this.#used));
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
