/**
 * The durable log: every event appended to a JSON Lines file, in batches
 * written off the hot path, rotated by size with a bounded number of old
 * files kept.
 *
 * Each write is whole lines, so a process killed mid-flood leaves a file
 * that is valid up to its last complete line. `close()` writes what waits
 * before it resolves, so Stop and Quit lose nothing.
 *
 * A flood logs a million entries a second, so an entry is encoded to UTF-8
 * the moment it is appended, into large buffers outside the JS heap: what
 * waits for the next write is bytes, not hundreds of thousands of strings
 * that would outlive the young generation and make every GC slow.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { LogEntry, LogKind } from '../shared/ipc/models.js';

export interface LogFileOptions {
  file: string;
  /** Rotate once the file would grow past this; Infinity never rotates. */
  maxBytes?: number;
  /** Rotated files kept beside the current one (file.1 … file.N). */
  keep?: number;
  /** How long entries may wait before they are written. */
  flushMs?: number;
}

/** Encoded lines wait in buffers of this size (a longer line gets one of its own). */
const CHUNK_BYTES = 256 * 1024;
const LF = 0x0a;

/** The fields the encoder writes, in the order JSON.stringify keeps for a LogEntry. */
type Field = 'seq' | 'at' | 'conn' | 'remote' | 'kind' | 'detail';
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
    return FIXED_BYTES + this.#head.length + KIND_BYTES[e.kind].length + this.#detailABytes.length;
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

export class LogFile {
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
  #handle: fs.FileHandle | null = null;
  #size = 0;
  /** The write under way; flushes queue behind it so lines never interleave. */
  #writing: Promise<void> = Promise.resolve();
  #problem: string | null = null;
  #written = 0;

  constructor(options: LogFileOptions) {
    this.file = options.file;
    this.#maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.#keep = options.keep ?? 5;
    this.#flushMs = options.flushMs ?? 200;
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
    this.#used = this.#encoder.write(entry, chunk, this.#used);
    this.#pendingLines++;
    this.#timer ??= setTimeout(() => void this.flush(), this.#flushMs);
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
    try {
      await this.#open();
      let bytes = 0;
      for (const c of chunks) bytes += c.length;
      if (this.#size + bytes <= this.#maxBytes) {
        await this.#append(chunks, bytes, lines);
      } else {
        await this.#writeRotating(chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks));
      }
      this.#problem = null;
    } catch (error) {
      this.#problem = `could not write the log ${this.file}: ${error instanceof Error ? error.message : String(error)}`;
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
    const { bytesWritten } = await handle.writev(chunks);
    if (bytesWritten < bytes) {
      // A short write (rare: a signal, a full disk): write the rest in order.
      let rest = Buffer.concat(chunks).subarray(bytesWritten);
      while (rest.length > 0) {
        const written = (await handle.write(rest)).bytesWritten;
        if (written === 0) throw new Error('no progress writing the log');
        rest = rest.subarray(written);
      }
    }
    this.#size += bytes;
    this.#written += lines;
  }

  async #open(): Promise<fs.FileHandle> {
    if (this.#handle) return this.#handle;
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const handle = await fs.open(this.file, 'a');
    this.#size = (await handle.stat()).size;
    this.#handle = handle;
    return handle;
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
    await this.#open();
  }
}
