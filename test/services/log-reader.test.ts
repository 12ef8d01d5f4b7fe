import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CURRENT_LOG } from '../../electron/services/log-archive.js';
import { LogFile } from '../../electron/services/log-file.js';
import { parseLogLine, readRunPage } from '../../electron/services/log-reader.js';
import type { LogEntry, LogRecord, RunLogPage } from '../../electron/shared/ipc/models.js';

let dir = '';
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-reader-'));
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
    detail: `row ${seq}`,
  };
}

/** Every page from the first, as the window asks for them. */
async function readAll(
  maxBytes: number,
  untilSeq: number,
): Promise<{ pages: RunLogPage[]; rows: LogRecord[] }> {
  const pages: RunLogPage[] = [];
  let afterSeq = 0;
  let resume: RunLogPage['resume'];
  for (;;) {
    const page = await readRunPage(dir, CURRENT_LOG, {
      afterSeq,
      untilSeq,
      maxBytes,
      ...(resume ? { resume } : {}),
    });
    pages.push(page);
    expect(page.untilSeq).toBe(untilSeq);
    afterSeq = page.lastSeq;
    resume = page.resume;
    if (!page.done) expect(resume).toBeDefined();
    if (page.done) break;
    if (pages.length > 10_000) throw new Error('the pages never end');
  }
  return { pages, rows: pages.flatMap((p) => p.rows) };
}

describe('parseLogLine', () => {
  it('keeps the durable log’s typed fields under their names and drops anything else', () => {
    const line = JSON.stringify({
      seq: 3,
      at: 5,
      conn: 2,
      remote: 'r',
      kind: 'reply',
      detail: 'd',
      dir: 'out',
      text: 'a\r\nb\r\n',
      bytes: 6,
      reason: 'idle',
      bytesIn: 1,
      bytesOut: 2,
      durationMs: 7,
      extra: 'x',
    });
    expect(parseLogLine(line)).toEqual({
      seq: 3,
      at: 5,
      conn: 2,
      remote: 'r',
      kind: 'reply',
      detail: 'd',
      dir: 'out',
      text: 'a\r\nb\r\n',
      bytes: 6,
      reason: 'idle',
      bytesIn: 1,
      bytesOut: 2,
      durationMs: 7,
    });
  });

  it('refuses damaged lines and fields of the wrong type', () => {
    expect(parseLogLine('{"seq":1,"at":2')).toBeNull();
    expect(parseLogLine('[]')).toBeNull();
    expect(parseLogLine(JSON.stringify({ ...entry(1), kind: 'bogus' }))).toBeNull();
    expect(
      parseLogLine(JSON.stringify({ ...entry(1), dir: 'sideways', reason: 'boredom', bytes: '3' })),
    ).toEqual(entry(1));
  });
});

describe('readRunPage', () => {
  it('pages through every file the writer rotated, oldest first, each page within its budget', async () => {
    const log = new LogFile({ file: path.join(dir, CURRENT_LOG), maxBytes: 4096, keep: 50 });
    for (let seq = 1; seq <= 1000; seq++) log.append(entry(seq));
    await log.close();
    const files = (await fs.readdir(dir)).length;
    expect(files).toBeGreaterThan(5);

    const { pages, rows } = await readAll(2000, 1000);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(rows[0]).toEqual(entry(1));
    expect(pages.length).toBeGreaterThan(10);
    for (const page of pages) {
      expect(JSON.stringify(page.rows).length).toBeLessThan(2000 * 1.5);
      expect(page.missing).toBe(0);
    }
  });

  it('counts the rows rotation deleted as missing, and stops at untilSeq', async () => {
    const log = new LogFile({ file: path.join(dir, CURRENT_LOG), maxBytes: 4096, keep: 2 });
    for (let seq = 1; seq <= 1000; seq++) log.append(entry(seq));
    await log.close();
    const kept = log.retention;
    expect(kept.rowsRotatedAway).toBeGreaterThan(0);

    const { pages, rows } = await readAll(1_000_000, 1000);
    expect(rows).toHaveLength(kept.rowsInFiles);
    expect(rows.at(-1)?.seq).toBe(1000);
    expect(pages.reduce((n, p) => n + p.missing, 0)).toBe(kept.rowsRotatedAway);

    const upTo = await readRunPage(dir, CURRENT_LOG, { afterSeq: 990, untilSeq: 995 });
    expect(upTo.rows.map((r) => r.seq)).toEqual([991, 992, 993, 994, 995]);
    expect(upTo).toMatchObject({ done: true, lastSeq: 995, missing: 0 });
  });

  it('reads on where the last page stopped, in the same file after rotation renamed it', async () => {
    const log = new LogFile({ file: path.join(dir, CURRENT_LOG), maxBytes: 64 * 1024, keep: 5 });
    for (let seq = 1; seq <= 200; seq++) log.append(entry(seq));
    await log.flush();
    const first = await readRunPage(dir, CURRENT_LOG, { afterSeq: 0, untilSeq: 200, maxBytes: 2000 });
    expect(first.done).toBe(false);
    expect(first.resume).toMatchObject({ firstSeq: 1 });
    // Enough rows to rotate: the file the page came from is switchboard.jsonl.1 now.
    for (let seq = 201; seq <= 2000; seq++) log.append(entry(seq));
    await log.close();
    expect(await fs.readdir(dir)).toContain(`${CURRENT_LOG}.1`);
    const next = await readRunPage(dir, CURRENT_LOG, {
      afterSeq: first.lastSeq,
      untilSeq: 200,
      ...(first.resume ? { resume: first.resume } : {}),
    });
    expect(next.rows[0]?.seq).toBe(first.lastSeq + 1);
    // A place that no longer exists (a wrong offset into another file) still reads on by seq.
    const lost = await readRunPage(dir, CURRENT_LOG, {
      afterSeq: first.lastSeq,
      untilSeq: 200,
      resume: { firstSeq: 123_456, offset: 5 },
    });
    expect(lost.rows[0]?.seq).toBe(first.lastSeq + 1);
  });

  it('reads a line longer than its read chunk whole', async () => {
    const long = { ...entry(2), detail: 'y'.repeat(1_500_000) };
    await fs.writeFile(
      path.join(dir, CURRENT_LOG),
      [entry(1), long, entry(3)].map((e) => `${JSON.stringify(e)}\n`).join(''),
    );
    const page = await readRunPage(dir, CURRENT_LOG, { afterSeq: 0, untilSeq: 3 });
    expect(page.rows.map((r) => r.detail.length)).toEqual([5, 1_500_000, 5]);
    expect(page).toMatchObject({ done: true, damaged: 0, missing: 0 });
  });

  it('passes text, bytes and reason through, skips damaged lines and counts them', async () => {
    const rows = [
      { ...entry(1), kind: 'line', text: 'SONG', bytes: 6, dir: 'in' },
      { ...entry(2), kind: 'reply', text: 'two\r\nlines\r\n', bytes: 12, dir: 'out' },
      { ...entry(3), kind: 'close', reason: 'stop', bytesIn: 6, bytesOut: 12, durationMs: 40 },
    ];
    const text = `${JSON.stringify(rows[0])}\n{"seq":2,"at":torn\n${JSON.stringify(rows[1])}\n${JSON.stringify(rows[2])}\n`;
    await fs.writeFile(path.join(dir, CURRENT_LOG), text);
    const page = await readRunPage(dir, CURRENT_LOG, { afterSeq: 0, untilSeq: 3 });
    expect(page.rows).toEqual(rows);
    expect(page).toMatchObject({ done: true, damaged: 1, missing: 0 });
  });

  it('answers an empty folder with no rows, and a page after the end with none', async () => {
    expect(
      await readRunPage(path.join(dir, 'none'), CURRENT_LOG, { afterSeq: 0, untilSeq: 0 }),
    ).toMatchObject({
      rows: [],
      done: true,
      missing: 0,
    });
  });
});
