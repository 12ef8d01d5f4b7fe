import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  FLUSH_BYTES,
  FLUSH_MS,
  LogFile,
  type LogFileHandle,
  type OpenLogFile,
} from '../../electron/services/log-file.js';
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

  it('writes within FLUSH_MS of an append, and at once past FLUSH_BYTES', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const file = path.join(dir, 'log.jsonl');
      // Asking for a longer window gets the bound.
      const log = new LogFile({ file, flushMs: 10_000 });
      log.append(entry(1));
      await vi.advanceTimersByTimeAsync(FLUSH_MS);
      vi.useRealTimers();
      await expect.poll(() => readSeqs([file])).toEqual([1]);
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      // No timer needed for a batch past the size bound.
      const big = (seq: number): LogEntry => ({ ...entry(seq), detail: 'x'.repeat(1000) });
      const lineBytes = JSON.stringify(big(2)).length + 1; // the shortest of them
      const n = 2 + Math.ceil(FLUSH_BYTES / lineBytes);
      for (let i = 2; i <= n; i++) log.append(big(i));
      vi.useRealTimers();
      await expect
        .poll(async () => (await readSeqs([file])).length, { timeout: 5000 })
        .toBeGreaterThanOrEqual(n - 2);
      await log.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('ends a torn last line before appending, so every new event is a line of its own', async () => {
    const file = path.join(dir, 'log.jsonl');
    await fs.writeFile(file, `${JSON.stringify(entry(1))}\n{"seq":2,"at":17`);
    const log = new LogFile({ file });
    log.append(entry(3));
    await log.close();
    const lines = (await fs.readFile(file, 'utf8')).split('\n');
    expect(lines).toEqual([JSON.stringify(entry(1)), '{"seq":2,"at":17', JSON.stringify(entry(3)), '']);
  });

  it('reports a full disk at once, counts what it drops, and resumes on a line boundary', async () => {
    const file = path.join(dir, 'log.jsonl');
    let full = false;
    // A disk that fills up mid-write: half the bytes land, then ENOSPC.
    const open: OpenLogFile = async (name) => {
      const handle: LogFileHandle = await fs.open(name, 'a+');
      const writev = handle.writev.bind(handle);
      handle.writev = async <T extends readonly NodeJS.ArrayBufferView[]>(buffers: T) => {
        if (!full) return writev(buffers);
        const all = Buffer.concat(buffers.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)));
        await handle.write(all.subarray(0, Math.floor(all.length / 2)));
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      };
      return handle;
    };
    const log = new LogFile({ file, open });
    const problems: string[] = [];
    log.on('problem', ({ message }) => problems.push(message));
    const recovered: number[] = [];
    log.on('recovered', ({ dropped }) => recovered.push(dropped));

    for (let i = 1; i <= 10; i++) log.append(entry(i));
    await log.flush();
    full = true;
    for (let i = 11; i <= 20; i++) log.append(entry(i));
    await log.flush();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/ENOSPC.*; 10 events were not logged$/);
    expect(log.problem).toBe(problems[0]);
    for (let i = 21; i <= 25; i++) log.append(entry(i));
    await log.flush();
    expect(problems).toHaveLength(1); // told once, counted on
    expect(log.dropped).toBe(15);
    full = false;
    for (let i = 26; i <= 30; i++) log.append(entry(i));
    await log.close();
    expect(recovered).toEqual([15]);
    expect(log.problem).toBeNull();
    const text = await fs.readFile(file, 'utf8');
    // Every line whole: the half-written batches were cut off again.
    for (const line of text.split('\n').slice(0, -1)) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(await readSeqs([file])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 26, 27, 28, 29, 30]);
    expect(log.retention).toMatchObject({ rowsInFiles: 15, rowsDropped: 15, rowsRotatedAway: 0 });
  });

  it('counts exactly the rows the files hold and the rows rotation deleted', async () => {
    const file = path.join(dir, 'log.jsonl');
    const log = new LogFile({ file, maxBytes: 4096, keep: 2 });
    for (let i = 1; i <= 3000; i++) {
      log.append(entry(i));
      if (i % 100 === 0) await log.flush();
    }
    await log.close();
    const held = await readSeqs(['log.jsonl.2', 'log.jsonl.1', 'log.jsonl'].map((n) => path.join(dir, n)));
    expect(log.retention).toEqual({
      maxBytes: 4096,
      keep: 2,
      rowsInFiles: held.length,
      rowsRotatedAway: 3000 - held.length,
      rowsDropped: 0,
    });
    expect(held.length).toBeLessThan(3000);
  });
});
