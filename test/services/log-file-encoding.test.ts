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
import type { LogEntry, LogKind } from '../../electron/shared/ipc/models.js';

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

describe('the durable log encoder', () => {
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
