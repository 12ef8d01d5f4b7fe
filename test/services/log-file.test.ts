import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogFile } from '../../electron/services/log-file.js';
import type { LogEntry } from '../../electron/shared/ipc/models.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-logfile-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function entry(seq: number): LogEntry {
  return {
    seq,
    at: 1_700_000_000_000 + seq,
    conn: 1,
    remote: '127.0.0.1:5000',
    kind: 'line',
    detail: `SONG ${seq}`,
  };
}

async function readSeqs(files: string[]): Promise<number[]> {
  const seqs: number[] = [];
  for (const f of files) {
    const text = await fs.readFile(f, 'utf8').catch(() => '');
    for (const line of text.split('\n')) if (line) seqs.push((JSON.parse(line) as LogEntry).seq);
  }
  return seqs;
}

describe('LogFile', () => {
  it('writes appended entries as JSON lines once flushed', async () => {
    const file = path.join(dir, 'nested', 'log.jsonl');
    const log = new LogFile({ file });
    log.append(entry(1));
    log.append(entry(2));
    await log.close();
    const lines = (await fs.readFile(file, 'utf8')).split('\n');
    expect(lines).toEqual([JSON.stringify(entry(1)), JSON.stringify(entry(2)), '']);
    expect(log.written).toBe(2);
  });

  it('writes in batches after flushMs without being asked', async () => {
    const file = path.join(dir, 'log.jsonl');
    const log = new LogFile({ file, flushMs: 10 });
    log.append(entry(1));
    await expect.poll(() => readSeqs([file])).toEqual([1]);
    await log.close();
  });

  it('rotates under a stream of writes, losing nothing and keeping the bound', async () => {
    const file = path.join(dir, 'log.jsonl');
    const log = new LogFile({ file, maxBytes: 4096, keep: 3, flushMs: 1 });
    for (let i = 1; i <= 2000; i++) {
      log.append(entry(i));
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 0));
    }
    await log.close();
    const names = (await fs.readdir(dir)).sort();
    expect(names).toEqual(['log.jsonl', 'log.jsonl.1', 'log.jsonl.2', 'log.jsonl.3']);
    for (const n of names) expect((await fs.stat(path.join(dir, n))).size).toBeLessThanOrEqual(4096 + 200);
    // Oldest first: .3, .2, .1, then the current file hold one unbroken run ending at 2000.
    const seqs = await readSeqs(
      ['log.jsonl.3', 'log.jsonl.2', 'log.jsonl.1', 'log.jsonl'].map((n) => path.join(dir, n)),
    );
    expect(seqs.at(-1)).toBe(2000);
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0) + i));
  });

  it('keeps everything when it never rotates, appending to what was there', async () => {
    const file = path.join(dir, 'log.jsonl');
    await fs.writeFile(file, '{"seq":0}\n');
    const log = new LogFile({ file, maxBytes: Infinity });
    for (let i = 1; i <= 5000; i++) log.append(entry(i));
    await log.close();
    const seqs = await readSeqs([file]);
    expect(seqs).toHaveLength(5001);
    expect(seqs.at(-1)).toBe(5000);
  });

  it('reports an unwritable file without throwing', async () => {
    const blocker = path.join(dir, 'a-file');
    await fs.writeFile(blocker, 'x');
    const log = new LogFile({ file: path.join(blocker, 'log.jsonl') });
    log.append(entry(1));
    await log.close();
    expect(log.problem).toMatch(/^could not write the log .*a-file\/log\.jsonl: /);
  });
});
