import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  JsonFileWriter,
  readDataFile,
  readJsonFile,
  writeAtomically,
} from '../../electron/services/json-file.js';

const FALLBACK = 'using default settings';

let dir = '';
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-json-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Accepts `{ "port": <number> }`. */
function validatePort(json: unknown): { port: number } | string {
  if (typeof json === 'object' && json !== null && 'port' in json && typeof json.port === 'number') {
    return { port: json.port };
  }
  return 'no port in it';
}

async function names(): Promise<string[]> {
  return (await fs.readdir(dir)).sort();
}

const ASIDE = /^settings\.json\.damaged-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/;

describe('readJsonFile', () => {
  it('reads a good file through validate', async () => {
    const file = path.join(dir, 'settings.json');
    await fs.writeFile(file, '{ "port": 4321 }');
    expect(await readJsonFile(file, validatePort, FALLBACK)).toEqual({ value: { port: 4321 } });
    expect(await names()).toEqual(['settings.json']);
  });

  it('gives null and no problem for a missing file', async () => {
    const file = path.join(dir, 'missing.json');
    expect(await readJsonFile(file, validatePort, FALLBACK)).toEqual({ value: null });
    expect(await names()).toEqual([]);
  });

  it('gives null and no problem when even the folder is missing', async () => {
    const file = path.join(dir, 'nope', 'settings.json');
    expect(await readJsonFile(file, validatePort, FALLBACK)).toEqual({ value: null });
  });

  it('moves damaged JSON aside and says so, naming the file and what is done instead', async () => {
    const file = path.join(dir, 'settings.json');
    await fs.writeFile(file, '{ "port": 43');
    const read = await readJsonFile(file, validatePort, FALLBACK);
    expect(read.value).toBeNull();
    const after = await names();
    expect(after).toHaveLength(1);
    const aside = after[0] ?? '';
    expect(aside).toMatch(ASIDE);
    expect(read.problem).toMatch(
      new RegExp(
        `^${escape(file)} is damaged \\(not valid JSON: .+\\); ${FALLBACK}, the old file is kept as `,
      ),
    );
    expect(read.problem?.endsWith(`; ${FALLBACK}, the old file is kept as ${path.join(dir, aside)}`)).toBe(
      true,
    );
    expect(await fs.readFile(path.join(dir, aside), 'utf8')).toBe('{ "port": 43');
  });

  it('treats a file that validate refuses as damaged, with validate’s words', async () => {
    const file = path.join(dir, 'settings.json');
    await fs.writeFile(file, '{ "colour": "red" }');
    const read = await readJsonFile(file, validatePort, FALLBACK);
    expect(read.value).toBeNull();
    const aside = (await names())[0] ?? '';
    expect(aside).toMatch(ASIDE);
    expect(read.problem).toBe(
      `${file} is damaged (no port in it); ${FALLBACK}, the old file is kept as ${path.join(dir, aside)}`,
    );
    expect(await fs.readFile(path.join(dir, aside), 'utf8')).toBe('{ "colour": "red" }');
  });

  it('reports a path it cannot read (a folder) as "could not read", and leaves it alone', async () => {
    const file = path.join(dir, 'settings.json');
    await fs.mkdir(file);
    const read = await readJsonFile(file, validatePort, FALLBACK);
    expect(read.value).toBeNull();
    expect(read.problem).toMatch(
      new RegExp(`^could not read ${escape(file)} \\(it is a folder, not a file\\); ${FALLBACK}$`),
    );
    expect(await names()).toEqual(['settings.json']);
    expect((await fs.stat(file)).isDirectory()).toBe(true);
  });

  it('never waits on a named pipe: refuses it at once, and leaves it alone', async () => {
    const file = path.join(dir, 'settings.json');
    execFileSync('mkfifo', [file]);
    const read = await readJsonFile(file, validatePort, FALLBACK);
    expect(read.problem).toBe(`could not read ${file} (it is a named pipe (FIFO), not a file); ${FALLBACK}`);
    expect((await fs.stat(file)).isFIFO()).toBe(true);
  });

  it('refuses a file bigger than it reads at most', async () => {
    const file = path.join(dir, 'big.json');
    await fs.writeFile(file, '{"port": 1}');
    await expect(readDataFile(file, 4)).rejects.toThrow('it is 11 bytes, more than the 4 read at most');
  });

  it('reads again cleanly once the damaged file is out of the way', async () => {
    const file = path.join(dir, 'settings.json');
    await fs.writeFile(file, 'garbage');
    expect((await readJsonFile(file, validatePort, FALLBACK)).problem).toBeDefined();
    expect(await readJsonFile(file, validatePort, FALLBACK)).toEqual({ value: null });
  });
});

describe('writeAtomically', () => {
  it('writes the text, creating missing folders, and leaves no temporary file', async () => {
    const file = path.join(dir, 'a', 'b', 'data.json');
    await writeAtomically(file, '{"x":1}\n');
    expect(await fs.readFile(file, 'utf8')).toBe('{"x":1}\n');
    expect(await fs.readdir(path.dirname(file))).toEqual(['data.json']);
  });

  it('replaces the whole content, never leaving the old tail behind', async () => {
    const file = path.join(dir, 'data.json');
    await writeAtomically(file, 'x'.repeat(10_000));
    await writeAtomically(file, 'short');
    expect(await fs.readFile(file, 'utf8')).toBe('short');
    expect(await names()).toEqual(['data.json']);
  });

  it('replaces the file rather than writing into it: a reader holding the old one still reads it whole', async () => {
    const file = path.join(dir, 'data.json');
    await writeAtomically(file, 'old content');
    const held = await fs.open(file, 'r');
    try {
      await writeAtomically(file, 'new');
      expect(await held.readFile('utf8')).toBe('old content');
    } finally {
      await held.close();
    }
    expect(await fs.readFile(file, 'utf8')).toBe('new');
  });

  it('fails when the folder cannot be made, and leaves nothing behind', async () => {
    await fs.writeFile(path.join(dir, 'blocker'), 'a file, not a folder');
    await expect(writeAtomically(path.join(dir, 'blocker', 'data.json'), 'x')).rejects.toThrow(
      /EEXIST|ENOTDIR/,
    );
    expect(await names()).toEqual(['blocker']);
  });

  it('fails when the target is a folder, and removes its temporary file', async () => {
    const file = path.join(dir, 'data.json');
    await fs.mkdir(file);
    await fs.writeFile(path.join(file, 'inside'), 'keep');
    await expect(writeAtomically(file, 'x')).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST|EPERM/);
    expect(await names()).toEqual(['data.json']);
    expect(await fs.readFile(path.join(file, 'inside'), 'utf8')).toBe('keep');
  });
});

describe('JsonFileWriter', () => {
  it('writes JSON, indented, with a final newline', async () => {
    const file = path.join(dir, 'state.json');
    await new JsonFileWriter(file).write({ a: [1, 2] }, 'the state');
    expect(await fs.readFile(file, 'utf8')).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}\n');
  });

  it('does concurrent writes one at a time, in the order asked: the last one wins', async () => {
    const file = path.join(dir, 'state.json');
    const writer = new JsonFileWriter(file);
    const finished: number[] = [];
    // Large early values and small late ones: out of order, a small write would finish first.
    const writes = Array.from({ length: 20 }, (_, i) =>
      writer.write({ i, pad: 'x'.repeat((20 - i) * 50_000) }, 'the state').then(() => finished.push(i)),
    );
    await Promise.all(writes);
    expect(finished).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const saved = JSON.parse(await fs.readFile(file, 'utf8')) as { i: number; pad: string };
    expect(saved.i).toBe(19);
    expect(saved.pad).toHaveLength(50_000);
    expect(await names()).toEqual(['state.json']);
  });

  it('rejects a failed write with "could not save WHAT to FILE: why", and a later good write still works', async () => {
    const blocker = path.join(dir, 'blocker');
    await fs.writeFile(blocker, 'a file where a folder should be');
    const file = path.join(blocker, 'state.json');
    const writer = new JsonFileWriter(file);
    const first = writer.write({ n: 1 }, 'the command table');
    const second = writer.write({ n: 2 }, 'the command table');
    await expect(first).rejects.toThrow(
      new RegExp(`^could not save the command table to ${escape(file)}: \\S`),
    );
    await expect(second).rejects.toThrow(`could not save the command table to ${file}: `);

    await fs.rm(blocker);
    await writer.write({ n: 3 }, 'the command table');
    expect(JSON.parse(await fs.readFile(file, 'utf8'))).toEqual({ n: 3 });
    expect(await fs.readdir(blocker)).toEqual(['state.json']);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
