/**
 * The durable log: every event appended to a JSON Lines file, in batches
 * written off the hot path, rotated by size with a bounded number of old
 * files kept.
 *
 * Each write is whole lines, so a process killed mid-flood leaves a file
 * that is valid up to its last complete line. `close()` writes what waits
 * before it resolves, so Stop and Quit lose nothing.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { LogEntry } from '../shared/models.js';

export interface LogFileOptions {
  file: string;
  /** Rotate once the file would grow past this; Infinity never rotates. */
  maxBytes?: number;
  /** Rotated files kept beside the current one (file.1 … file.N). */
  keep?: number;
  /** How long entries may wait before they are written. */
  flushMs?: number;
}

export class LogFile {
  readonly file: string;
  readonly #maxBytes: number;
  readonly #keep: number;
  readonly #flushMs: number;
  #pending: string[] = [];
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
    this.#pending.push(JSON.stringify(entry));
    this.#timer ??= setTimeout(() => void this.flush(), this.#flushMs);
  }

  /** Writes every entry appended so far; resolves once they are in the file. */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#pending.length === 0) return this.#writing;
    const lines = this.#pending;
    this.#pending = [];
    this.#writing = this.#writing.then(() => this.#write(lines));
    return this.#writing;
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    await this.flush();
    await this.#writing;
    await this.#handle?.close();
    this.#handle = null;
  }

  async #write(lines: string[]): Promise<void> {
    try {
      await this.#open();
      // Split the batch where the size limit falls, so no file outgrows it
      // by more than one line.
      let chunk = '';
      let chunkBytes = 0;
      let count = 0;
      for (const line of lines) {
        const bytes = Buffer.byteLength(line) + 1;
        if (this.#size + chunkBytes + bytes > this.#maxBytes && this.#size + chunkBytes > 0) {
          await this.#append(chunk, chunkBytes, count);
          await this.#rotate();
          chunk = '';
          chunkBytes = 0;
          count = 0;
        }
        chunk += `${line}\n`;
        chunkBytes += bytes;
        count++;
      }
      await this.#append(chunk, chunkBytes, count);
      this.#problem = null;
    } catch (error) {
      this.#problem = `could not write the log ${this.file}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  async #append(text: string, bytes: number, count: number): Promise<void> {
    if (count === 0) return;
    const handle = await this.#open();
    await handle.write(text);
    this.#size += bytes;
    this.#written += count;
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
