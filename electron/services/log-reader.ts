/**
 * Reads the durable log back: one JSON line into a typed row, and this
 * run's files in pages, for "Export → All rows of this run"
 * (docs/window.md). A page is bounded in bytes, so a log of a million rows
 * crosses to the window in many small messages, never in one huge one.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { LogCloseReason, LogKind, LogRecord, RunLogPage, RunPageResume } from '../shared/ipc/models.js';
import { reason } from './json-file.js';

/** Bytes of log lines one page carries at most (a longer single line goes alone). */
export const RUN_PAGE_BYTES = 4 * 1024 * 1024;

const LF = 0x0a;

const KINDS: ReadonlySet<string> = new Set<LogKind>([
  'listening',
  'open',
  'line',
  'reply',
  'close',
  'rejected',
  'error',
  'stopped',
]);
const REASONS: ReadonlySet<string> = new Set<LogCloseReason>([
  'eof',
  'quit',
  'one-shot',
  'rule',
  'line-too-long',
  'idle',
  'line-timeout',
  'stop',
  'backpressure',
  'reset',
  'error',
]);

/**
 * One line of the durable log as a row, or null for a damaged one. Fields
 * are taken by name and type only: `seq`, `at`, `conn`, `remote`, `kind`,
 * `detail` always, and `dir`, `text`, `bytes`, `reason`, `bytesIn`,
 * `bytesOut`, `durationMs` where the file has them; anything else in the
 * line is left out.
 */
export function parseLogLine(line: string): LogRecord | null {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof json !== 'object' || json === null) return null;
  const o = json as Record<string, unknown>;
  const { seq, at, conn, remote, kind, detail } = o;
  if (typeof seq !== 'number' || typeof at !== 'number' || typeof conn !== 'number') return null;
  if (typeof remote !== 'string' || typeof kind !== 'string' || !KINDS.has(kind)) return null;
  const row: LogRecord = {
    seq,
    at,
    conn,
    remote,
    kind: kind as LogKind,
    detail: typeof detail === 'string' ? detail : '',
  };
  if (o.dir === 'in' || o.dir === 'out') row.dir = o.dir;
  if (typeof o.text === 'string') row.text = o.text;
  if (typeof o.reason === 'string' && REASONS.has(o.reason)) row.reason = o.reason as LogCloseReason;
  for (const field of ['bytes', 'bytesIn', 'bytesOut', 'durationMs'] as const) {
    const value = o[field];
    if (typeof value === 'number' && Number.isFinite(value)) row[field] = value;
  }
  return row;
}

/** Files of one run, oldest first: base.N … base.1, base. */
export async function runFiles(dir: string, base: string): Promise<string[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const pattern = new RegExp(`^${base.replace(/\./g, '\\.')}\\.(\\d+)$`);
  const rotated = names
    .map((n) => ({ n, m: pattern.exec(n) }))
    .filter((x): x is { n: string; m: RegExpExecArray } => x.m !== null)
    .sort((a, b) => Number(b.m[1]) - Number(a.m[1]))
    .map((x) => path.join(dir, x.n));
  const current = names.includes(base) ? [path.join(dir, base)] : [];
  return [...rotated, ...current];
}

/** The `seq` a line starts with (`{"seq":N,…`, as the log writes it), without parsing the rest. */
function seqAt(bytes: Buffer, start: number): number | null {
  const m = /^\{"seq":(\d+)[,}]/.exec(bytes.toString('latin1', start, Math.min(bytes.length, start + 32)));
  return m?.[1] === undefined ? null : Number(m[1]);
}

/** The seq of a file's first line that has one; null for an empty or unreadable file. */
async function firstSeq(file: string): Promise<number | null> {
  const handle = await fs.open(file, 'r').catch(() => null);
  if (!handle) return null;
  try {
    const head = Buffer.alloc(64);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return seqAt(head.subarray(0, bytesRead), 0);
  } finally {
    await handle.close();
  }
}

export interface RunPageRequest {
  /** Rows with a seq above this; 0 for the first page. */
  afterSeq: number;
  /** The newest row the export covers: fixed at its first page, so a running flood does not stretch it. */
  untilSeq: number;
  /** Where the previous page stopped, to read on from there rather than from the file's start. */
  resume?: RunPageResume;
  /** Bytes of lines at most (tests pass small ones). */
  maxBytes?: number;
}

/**
 * The next page of this run's rows after `afterSeq`, oldest first, up to
 * `untilSeq`. It starts in the newest file whose first row is not after the
 * one wanted, so each page reads one or two files, not the whole run.
 * `missing` counts rows the export wanted but no file holds any more
 * (rotated away since the previous page, or never written).
 */
export async function readRunPage(dir: string, base: string, req: RunPageRequest): Promise<RunLogPage> {
  const budget = req.maxBytes ?? RUN_PAGE_BYTES;
  // A rotation between listing and reading renames the files: list again.
  for (let attempt = 0; ; attempt++) {
    try {
      return await readPageOnce(dir, base, req, budget);
    } catch (error) {
      const gone = error instanceof Error && 'code' in error && error.code === 'ENOENT';
      if (!gone || attempt >= 3) {
        return {
          rows: [],
          lastSeq: req.afterSeq,
          untilSeq: req.untilSeq,
          done: true,
          missing: 0,
          damaged: 0,
          problem: `could not read the log: ${reason(error)}`,
        };
      }
    }
  }
}

async function readPageOnce(
  dir: string,
  base: string,
  req: RunPageRequest,
  budget: number,
): Promise<RunLogPage> {
  const files = await runFiles(dir, base);
  const starts = await Promise.all(files.map(firstSeq));
  let from = 0;
  let offset = 0;
  // Where the previous page stopped, in the file that starts with that seq (renamed by rotation or not).
  const resumed = req.resume ? starts.indexOf(req.resume.firstSeq) : -1;
  if (req.resume && resumed >= 0) {
    from = resumed;
    offset = req.resume.offset;
  } else {
    for (let i = 0; i < files.length; i++) {
      const s = starts[i];
      if (s !== null && s !== undefined && s <= req.afterSeq + 1) from = i;
    }
  }
  const rows: LogRecord[] = [];
  let bytes = 0;
  let damaged = 0;
  let expected = req.afterSeq + 1;
  let missing = 0;
  let lastSeq = req.afterSeq;
  for (let i = from; i < files.length; i++) {
    const file = files[i];
    if (file === undefined) continue;
    for await (const { line, at } of readLines(file, i === from ? offset : 0)) {
      if (line.length === 0) continue;
      const seq = seqAt(line, 0);
      if (seq !== null && (seq <= req.afterSeq || seq > req.untilSeq)) {
        if (seq > req.untilSeq) return finish(true);
        continue;
      }
      if (rows.length > 0 && bytes + line.length > budget) {
        const first = starts[i];
        return finish(
          false,
          first === null || first === undefined ? undefined : { firstSeq: first, offset: at },
        );
      }
      const row = parseLogLine(line.toString('utf8'));
      if (row === null || row.seq <= req.afterSeq) {
        if (row === null) damaged++;
        continue;
      }
      if (row.seq > expected) missing += row.seq - expected;
      expected = row.seq + 1;
      lastSeq = row.seq;
      rows.push(row);
      bytes += line.length;
    }
  }
  return finish(true);

  function finish(done: boolean, resume?: RunPageResume): RunLogPage {
    // Rows up to untilSeq that no file holds (rotated away, never written) are missing too.
    if (done && lastSeq < req.untilSeq) missing += req.untilSeq - lastSeq;
    return {
      rows,
      lastSeq: done ? req.untilSeq : lastSeq,
      untilSeq: req.untilSeq,
      done,
      missing,
      damaged,
      ...(resume ? { resume } : {}),
    };
  }
}

/** Bytes read from a log file at a time: a page never holds a whole big file in memory. */
const READ_CHUNK_BYTES = 1024 * 1024;

/** The lines of `file` from byte `offset` on, each with its offset; a last line without LF counts too. */
async function* readLines(file: string, offset: number): AsyncGenerator<{ line: Buffer; at: number }> {
  const handle = await fs.open(file, 'r');
  try {
    let carry: Buffer = Buffer.alloc(0);
    /** The file offset of carry's first byte. */
    let carryAt = offset;
    let position = offset;
    for (;;) {
      const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const data =
        carry.length > 0
          ? Buffer.concat([carry, chunk.subarray(0, bytesRead)])
          : chunk.subarray(0, bytesRead);
      let start = 0;
      for (let lf = data.indexOf(LF); lf !== -1; lf = data.indexOf(LF, start)) {
        yield { line: data.subarray(start, lf), at: carryAt + start };
        start = lf + 1;
      }
      carryAt += start;
      carry = Buffer.from(data.subarray(start));
    }
    if (carry.length > 0) yield { line: carry, at: carryAt };
  } finally {
    await handle.close();
  }
}
