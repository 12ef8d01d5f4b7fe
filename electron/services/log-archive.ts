/**
 * The durable log across runs: at launch the last run's files become the
 * "previous run", which the window can open and read back.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { LogRecord, PreviousLog } from '../shared/ipc/models.js';
import { readDataFile, reason } from './json-file.js';
import { parseLogLine, runFiles } from './log-reader.js';

export const CURRENT_LOG = 'switchboard.jsonl';
export const PREVIOUS_LOG = 'previous.jsonl';
/** Rows read back at most, newest kept; more would not help anyone scroll. */
export const PREVIOUS_ROWS = 50_000;

/** Log files are read whole whatever their size (the user may choose big ones). */
const ANY_SIZE = Number.MAX_SAFE_INTEGER;

/**
 * Makes the last run's log the previous run's, replacing the one before it.
 * Never throws: what cannot be done (a read-only folder, a folder where a
 * file should be) comes back as messages, and the app goes on without it.
 */
export async function archiveLastRun(dir: string): Promise<string[]> {
  const problems: string[] = [];
  for (const file of await runFiles(dir, PREVIOUS_LOG)) {
    await fs.rm(file, { force: true }).catch((error: unknown) => {
      problems.push(`could not delete the older run's log ${file} (${reason(error)})`);
    });
  }
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return problems;
    return [...problems, `could not read the log folder ${dir} (${reason(error)})`];
  }
  for (const name of names) {
    if (!/^switchboard\.jsonl(\.\d+)?$/.test(name)) continue;
    const to = path.join(dir, PREVIOUS_LOG + name.slice(CURRENT_LOG.length));
    await fs.rename(path.join(dir, name), to).catch((error: unknown) => {
      problems.push(
        `could not keep the last run's log ${path.join(dir, name)} as ${to} (${reason(error)}); ` +
          'this run appends to it',
      );
    });
  }
  return problems;
}

/**
 * Reads the previous run's newest `limit` entries, oldest first. It reads
 * from the newest file backwards and parses no more lines than it keeps:
 * a run's log can hold over a million rows. A damaged line is skipped, not
 * fatal. Rows keep the typed fields the file has (text, bytes, reason…).
 */
export async function readPreviousRun(dir: string, limit = PREVIOUS_ROWS): Promise<PreviousLog> {
  const files = await runFiles(dir, PREVIOUS_LOG);
  const newestFirst: LogRecord[] = [];
  let skipped = 0;
  let truncated = 0;
  try {
    for (const file of [...files].reverse()) {
      if (newestFirst.length >= limit) {
        // Older than anything kept: only counted, never decoded or split.
        truncated += await countLines(file);
        continue;
      }
      const lines = (await readDataFile(file, ANY_SIZE)).toString('utf8').split('\n');
      for (let i = lines.length - 1; i >= 0; i--) {
        const line = lines[i];
        if (!line) continue;
        if (newestFirst.length >= limit) {
          truncated++;
          continue;
        }
        const row = parseLogLine(line);
        if (row) newestFirst.push(row);
        else skipped++; // e.g. the last line of a run that was killed mid-write
      }
    }
  } catch (error) {
    return { files, entries: [], truncated: 0, problem: `could not read the previous log: ${reason(error)}` };
  }
  return {
    files,
    entries: newestFirst.reverse(),
    truncated,
    ...(skipped > 0
      ? { problem: skipped === 1 ? '1 damaged line was skipped' : `${skipped} damaged lines were skipped` }
      : {}),
  };
}

/** Complete or not, the non-empty lines of a file. */
async function countLines(file: string): Promise<number> {
  const bytes = await readDataFile(file, ANY_SIZE);
  let count = 0;
  let start = 0;
  for (let lf = bytes.indexOf(0x0a); lf !== -1; lf = bytes.indexOf(0x0a, start)) {
    if (lf > start) count++;
    start = lf + 1;
  }
  return start < bytes.length ? count + 1 : count;
}
