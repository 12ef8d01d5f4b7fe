/**
 * The durable log writes JSON by hand (straight into buffers, with caches
 * for what repeats): a property test that whatever the entry holds, each
 * line is byte for byte what JSON.stringify writes for it.
 */
import fc from 'fast-check';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogFile } from '../../electron/services/log-file.js';
import { LINE_ROW, REPLY_ROW, type ExchangeBatch } from '../../electron/core/server.js';
import { lineRow, replyRow } from '../../electron/services/log-entries.js';
import type { LogCloseReason, LogEntry, LogKind, LogRecord } from '../../electron/shared/ipc/models.js';

const KINDS: LogKind[] = ['listening', 'open', 'line', 'reply', 'close', 'rejected', 'error', 'stopped'];

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-encoding-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Any number a field could hold, the awkward ones included (JSON writes NaN and ±Infinity as null). */
const anyNumber = fc.oneof(
  fc.nat(),
  fc.integer({ min: 0x7fffffff - 10, max: 0x7fffffff + 10 }),
  fc.integer({ min: 1_600_000_000_000, max: Number.MAX_SAFE_INTEGER }),
  fc.integer({ min: -1e12, max: -1 }),
  fc.double(),
  fc.constantFrom(0, -0, 1e21, 1e-7, Number.MAX_SAFE_INTEGER + 2, Number.NaN, Infinity, -Infinity),
);

/** Text of every kind: lone surrogates, control bytes, quotes, backslashes, astral characters. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({
    unit: fc.constantFrom('"', '\\', '\n', '\r', '\u0000', '\u2028', '\ud800', '\udfff', 'a'),
    maxLength: 12,
  }),
);

const anyEntry: fc.Arbitrary<LogEntry> = fc.record(
  {
    seq: anyNumber,
    at: anyNumber,
    conn: anyNumber,
    remote: anyText,
    kind: fc.constantFrom(...KINDS),
    detail: anyText,
    // A workspace's entries name their listener; the others have no such key.
    listener: fc.oneof(anyText, fc.constantFrom('control', 'events')),
  },
  { requiredKeys: ['seq', 'at', 'conn', 'remote', 'kind', 'detail'] },
);

const REASONS: LogCloseReason[] = ['eof', 'quit', 'stop', 'reset', 'error'];

/** A row with the typed fields too (any of them may be missing), in the order LogRecord lists them. */
const anyRecord: fc.Arbitrary<LogRecord> = fc.record(
  {
    seq: anyNumber,
    at: anyNumber,
    conn: anyNumber,
    remote: anyText,
    kind: fc.constantFrom(...KINDS),
    detail: anyText,
    dir: fc.constantFrom<'in' | 'out'>('in', 'out'),
    text: anyText,
    bytes: anyNumber,
    bytesIn: anyNumber,
    bytesOut: anyNumber,
    reason: fc.constantFrom(...REASONS),
    durationMs: anyNumber,
  },
  { requiredKeys: ['seq', 'at', 'conn', 'remote', 'kind', 'detail'] },
);

describe('the durable log encoder', () => {
  it('writes the typed fields (direction, text with its real line breaks, bytes, close reason) as JSON.stringify would', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(anyRecord, { minLength: 1, maxLength: 30 })
          .chain((rows) => fc.shuffledSubarray([...rows, ...rows], { minLength: rows.length })),
        async (rows) => {
          const file = path.join(dir, `typed-${run++}.jsonl`);
          const log = new LogFile({ file, maxBytes: Infinity });
          for (const r of rows) log.append(r);
          await log.close();
          expect(await fs.readFile(file, 'utf8')).toBe(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('writes a batch of the core (lines and replies as columns) as the rows it stands for', async () => {
    let run = 0;
    const anyRow = fc.record({ reply: fc.boolean(), text: anyText, bytes: fc.nat({ max: 5000 }) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(anyRow, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
        async (batches, at) => {
          const file = path.join(dir, `batch-${run++}.jsonl`);
          const log = new LogFile({ file, maxBytes: Infinity });
          const expected: string[] = [];
          let seq = 1;
          for (const [b, rows] of batches.entries()) {
            const conn = (b % 3) + 1;
            const remote = `127.0.0.1:${5000 + conn}`;
            const batch: ExchangeBatch = {
              at,
              conn,
              length: 0,
              kinds: [],
              texts: [],
              bytes: [],
              unknown: [],
            };
            for (const r of rows) {
              batch.kinds.push(r.reply ? REPLY_ROW : LINE_ROW);
              batch.texts.push(r.text);
              batch.bytes.push(r.bytes);
              batch.unknown.push(false);
              batch.length++;
              const row = r.reply
                ? replyRow(at, conn, remote, r.text, r.bytes)
                : lineRow(at, conn, remote, r.text, r.bytes);
              expected.push(JSON.stringify({ seq: seq++, ...row }));
            }
            log.appendRows({ firstSeq: seq - rows.length, remote, batch });
          }
          await log.close();
          expect(await fs.readFile(file, 'utf8')).toBe(expected.map((l) => `${l}\n`).join(''));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('writes every entry exactly as JSON.stringify would', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        // Repeats matter: the encoder caches a connection's head and the last two details.
        fc
          .array(anyEntry, { minLength: 1, maxLength: 30 })
          .chain((entries) => fc.shuffledSubarray([...entries, ...entries], { minLength: entries.length })),
        async (entries) => {
          const file = path.join(dir, `run-${run++}.jsonl`);
          const log = new LogFile({ file, maxBytes: Infinity });
          for (const e of entries) log.append(e);
          await log.close();
          const expected = entries.map((e) => `${JSON.stringify(e)}\n`).join('');
          expect(await fs.readFile(file, 'utf8')).toBe(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});
