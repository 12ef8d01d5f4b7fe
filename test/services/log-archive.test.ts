import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CURRENT_LOG,
  PREVIOUS_LOG,
  PREVIOUS_ROWS,
  archiveLastRun,
  readPreviousRun,
} from '../../electron/services/log-archive.js';
import type { LogEntry } from '../../electron/shared/ipc/models.js';

let dir = '';
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-logs-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function entry(seq: number, detail = `row ${seq}`): LogEntry {
  return { seq, at: 1_700_000_000_000 + seq, conn: 1, remote: '127.0.0.1:5000', kind: 'line', detail };
}

function jsonl(entries: LogEntry[]): string {
  return entries.map((e) => `${JSON.stringify(e)}\n`).join('');
}

/** seq numbers from `from` to `to`, inclusive. */
function range(from: number, to: number): LogEntry[] {
  return Array.from({ length: to - from + 1 }, (_, i) => entry(from + i));
}

async function write(name: string, text: string): Promise<void> {
  await fs.writeFile(path.join(dir, name), text);
}

async function read(name: string): Promise<string> {
  return fs.readFile(path.join(dir, name), 'utf8');
}

async function names(): Promise<string[]> {
  return (await fs.readdir(dir)).sort();
}

describe('archiveLastRun', () => {
  it('makes the last run’s file and its rotations the previous run, keeping their numbers', async () => {
    expect([CURRENT_LOG, PREVIOUS_LOG]).toEqual(['switchboard.jsonl', 'previous.jsonl']);
    await write('switchboard.jsonl', 'base\n');
    await write('switchboard.jsonl.1', 'one\n');
    await write('switchboard.jsonl.2', 'two\n');
    await write('switchboard.jsonl.12', 'twelve\n');
    await archiveLastRun(dir);
    expect(await names()).toEqual([
      'previous.jsonl',
      'previous.jsonl.1',
      'previous.jsonl.12',
      'previous.jsonl.2',
    ]);
    expect(await read('previous.jsonl')).toBe('base\n');
    expect(await read('previous.jsonl.1')).toBe('one\n');
    expect(await read('previous.jsonl.2')).toBe('two\n');
    expect(await read('previous.jsonl.12')).toBe('twelve\n');
  });

  it('deletes the run before the last one first, all of its files', async () => {
    await write('previous.jsonl', 'older base\n');
    await write('previous.jsonl.1', 'older one\n');
    await write('previous.jsonl.3', 'older three\n');
    await write('switchboard.jsonl', 'last base\n');
    await write('switchboard.jsonl.1', 'last one\n');
    await archiveLastRun(dir);
    expect(await names()).toEqual(['previous.jsonl', 'previous.jsonl.1']);
    expect(await read('previous.jsonl')).toBe('last base\n');
    expect(await read('previous.jsonl.1')).toBe('last one\n');
  });

  it('leaves files that are not part of a run alone', async () => {
    const others = [
      'notes.txt',
      'switchboard.jsonl.bak',
      'switchboard.jsonl.1.tmp',
      'previous.jsonl.old',
      'xswitchboard.jsonl',
      'switchboard.json',
    ];
    for (const name of others) await write(name, name);
    await write('switchboard.jsonl', 'base\n');
    await archiveLastRun(dir);
    expect(await names()).toEqual([...others, 'previous.jsonl'].sort());
    for (const name of others) expect(await read(name)).toBe(name);
  });

  it('with no last run, still clears the one before (so nothing stale is shown as previous)', async () => {
    await write('previous.jsonl', 'stale\n');
    await archiveLastRun(dir);
    expect(await names()).toEqual([]);
  });

  it('does nothing, and does not fail, when the folder does not exist yet', async () => {
    await expect(archiveLastRun(path.join(dir, 'not-yet'))).resolves.toEqual([]);
    expect(await names()).toEqual([]);
  });
});

describe('readPreviousRun', () => {
  it('reads every file of the previous run, oldest first: .N … .1, then the base file', async () => {
    await write('previous.jsonl.10', jsonl(range(1, 2)));
    await write('previous.jsonl.2', jsonl(range(3, 4)));
    await write('previous.jsonl.1', jsonl(range(5, 6)));
    await write('previous.jsonl', jsonl(range(7, 8)));
    const previous = await readPreviousRun(dir);
    expect(previous).toEqual({
      files: ['previous.jsonl.10', 'previous.jsonl.2', 'previous.jsonl.1', 'previous.jsonl'].map((n) =>
        path.join(dir, n),
      ),
      entries: range(1, 8),
      truncated: 0,
    });
  });

  it('reads what archiveLastRun left', async () => {
    await write('switchboard.jsonl.1', jsonl(range(1, 3)));
    await write('switchboard.jsonl', jsonl(range(4, 5)));
    await archiveLastRun(dir);
    expect((await readPreviousRun(dir)).entries).toEqual(range(1, 5));
  });

  it('skips a damaged last line (a run killed mid-write) and says so', async () => {
    const text = jsonl(range(1, 3));
    await write('previous.jsonl', `${text}{"seq":4,"at":17000000`);
    const previous = await readPreviousRun(dir);
    expect(previous).toEqual({
      files: [path.join(dir, 'previous.jsonl')],
      entries: range(1, 3),
      truncated: 0,
      problem: '1 damaged line was skipped',
    });
  });

  it('counts every damaged line it skips, in any file', async () => {
    await write('previous.jsonl.1', `${jsonl(range(1, 1))}nope\n`);
    await write('previous.jsonl', `{\n${jsonl(range(2, 2))}]\n`);
    const previous = await readPreviousRun(dir);
    expect(previous.entries).toEqual(range(1, 2));
    expect(previous.problem).toBe('3 damaged lines were skipped');
  });

  it('keeps the newest `limit` entries and says how many older ones it left out', async () => {
    await write('previous.jsonl.1', jsonl(range(1, 6)));
    await write('previous.jsonl', jsonl(range(7, 10)));
    const previous = await readPreviousRun(dir, 3);
    expect(previous.entries).toEqual(range(8, 10));
    expect(previous.truncated).toBe(7);
    expect(previous.problem).toBeUndefined();
  });

  it(`keeps ${PREVIOUS_ROWS} entries by default`, async () => {
    await write('previous.jsonl', jsonl(range(1, PREVIOUS_ROWS + 5)));
    const previous = await readPreviousRun(dir);
    expect(previous.entries).toHaveLength(PREVIOUS_ROWS);
    expect(previous.entries[0]?.seq).toBe(6);
    expect(previous.entries.at(-1)?.seq).toBe(PREVIOUS_ROWS + 5);
    expect(previous.truncated).toBe(5);
  });

  it('returns no files and no entries when there was no previous run', async () => {
    await write('switchboard.jsonl', jsonl(range(1, 2)));
    expect(await readPreviousRun(dir)).toEqual({ files: [], entries: [], truncated: 0 });
    expect(await readPreviousRun(path.join(dir, 'missing'))).toEqual({
      files: [],
      entries: [],
      truncated: 0,
    });
  });

  it('reads an empty previous file as no entries', async () => {
    await write('previous.jsonl', '');
    expect(await readPreviousRun(dir)).toEqual({
      files: [path.join(dir, 'previous.jsonl')],
      entries: [],
      truncated: 0,
    });
  });

  it('reports a file it cannot read as a problem, with no entries', async () => {
    await write('previous.jsonl', jsonl(range(1, 2)));
    await fs.mkdir(path.join(dir, 'previous.jsonl.1'));
    const previous = await readPreviousRun(dir);
    expect(previous.files).toEqual([path.join(dir, 'previous.jsonl.1'), path.join(dir, 'previous.jsonl')]);
    expect(previous.entries).toEqual([]);
    expect(previous.problem).toMatch(/^could not read the previous log: it is a folder, not a file/);
  });
});
