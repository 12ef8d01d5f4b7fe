/**
 * JSON files in the app's data folder: read forgivingly, written atomically.
 *
 * A damaged or unreadable file never stops the app: it is moved aside (so
 * nothing the user had is destroyed), the caller falls back to defaults, and
 * the problem is reported in words the window can show.
 */
import { constants, promises as fs, type Stats } from 'node:fs';
import path from 'node:path';

/** The largest data file read at start (a command table with its presets is the biggest). */
export const MAX_DATA_FILE_BYTES = 256 * 1024 * 1024;

/** A file that is there but cannot be read as one: a directory, a FIFO, a device, too big. */
export class NotAFileError extends Error {}

/**
 * Reads a data file whole, never blocking on what is not a regular file:
 * it is opened with O_NONBLOCK (a FIFO does not wait for a writer) and
 * checked with fstat before a byte is read.
 */
export async function readDataFile(file: string, maxBytes = MAX_DATA_FILE_BYTES): Promise<Buffer> {
  const handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new NotAFileError(`it is ${kindOf(stat)}, not a file`);
    if (stat.size > maxBytes)
      throw new NotAFileError(`it is ${stat.size} bytes, more than the ${maxBytes} read at most`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** What a non-regular file is, in words. */
export function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

export interface JsonRead<T> {
  /** The file's content, or null when it is missing or could not be used. */
  value: T | null;
  /** Why it could not be used, ending with what was done instead. */
  problem?: string;
}

/**
 * Reads `file`; `validate` turns the parsed JSON into a T or says what is
 * wrong with it. `fallback` says what the app does instead ("using default
 * settings").
 */
export async function readJsonFile<T>(
  file: string,
  validate: (json: unknown) => T | string,
  fallback: string,
): Promise<JsonRead<T>> {
  let text: string;
  try {
    text = (await readDataFile(file)).toString('utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return { value: null };
    // Left where it is: not a file the app wrote, so not the app's to move.
    return { value: null, problem: `could not read ${file} (${reason(error)}); ${fallback}` };
  }
  let json: unknown;
  let why: string;
  try {
    json = JSON.parse(text);
    const value = validate(json);
    if (typeof value !== 'string') return { value };
    why = value;
  } catch (error) {
    why = `not valid JSON: ${reason(error)}`;
  }
  const aside = await moveAside(file);
  return {
    value: null,
    problem: `${file} is damaged (${why}); ${fallback}${aside ? `, the old file is kept as ${aside}` : ''}`,
  };
}

async function moveAside(file: string): Promise<string | null> {
  const aside = `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  try {
    await fs.rename(file, aside);
    return aside;
  } catch {
    return null;
  }
}

/** Writes `text` to `file` so that readers see either the old or the new file, never half of one. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const handle = await fs.open(temp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

/**
 * Saves JSON to one file, one write at a time in the order asked, each
 * atomic; a failed write does not stop later ones.
 */
export class JsonFileWriter {
  #writes: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  /** Resolves once `value` is on disk; rejects with "could not save WHAT to FILE: why". */
  write(value: unknown, what: string): Promise<void> {
    const text = `${JSON.stringify(value, null, 2)}\n`;
    const write = this.#writes.then(() => writeAtomically(this.file, text));
    this.#writes = write.catch(() => undefined);
    return write.catch((error: unknown) => {
      throw new Error(`could not save ${what} to ${this.file}: ${reason(error)}`);
    });
  }
}

export function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
