/**
 * The command line's durable log of forwarded traffic takes a read's frames
 * whole (forwardEntryBatches → LogFile.appendFrames): a property test that
 * the file is byte for byte what JSON.stringify writes for the rows of
 * forwardEntries, whatever the frames hold and however they repeat.
 */
import fc from 'fast-check';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Direction, ForwarderEvents } from '../../electron/core/forwarder.js';
import { TypedEmitter } from '../../electron/core/typed-emitter.js';
import { forwardEntries, forwardEntryBatches } from '../../electron/services/forward-entries.js';
import { LogFile } from '../../electron/services/log-file.js';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-forward-log-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Frame bytes of every kind: invalid UTF-8, control bytes, quotes, backslashes, and a few that repeat. */
const anyFrame = fc.oneof(
  fc.uint8Array({ maxLength: 24 }).map((a) => Buffer.from(a)),
  fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => Buffer.from(s)),
  fc.constantFrom('PING', '+PONG', '"\\', '\u2028', '\r', '').map((s) => Buffer.from(s)),
);

type Step =
  | { type: 'data'; conn: number; direction: Direction; frames: Buffer[] }
  | { type: 'close'; conn: number }
  | { type: 'error'; message: string };

const anyStep: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      type: fc.constant('data' as const),
      conn: fc.integer({ min: 1, max: 3 }),
      direction: fc.constantFrom<Direction>('client', 'upstream'),
      frames: fc.array(anyFrame, { minLength: 1, maxLength: 8 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('close' as const), conn: fc.integer({ min: 1, max: 3 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('error' as const), message: fc.string({ maxLength: 10 }) }),
  },
);

/** A forwarder stand-in whose events the test sends. */
class Source extends TypedEmitter<ForwarderEvents> {
  send<K extends keyof ForwarderEvents>(event: K, payload: ForwarderEvents[K]): void {
    this.emit(event, payload);
  }
}

/** Plays `steps` on a forwarder stand-in: three connections open, then the steps, at one time. */
function play(source: Source, steps: readonly Step[], at: number): void {
  for (const conn of [1, 2, 3]) {
    source.send('open', { at, conn, remoteAddress: '127.0.0.1', remotePort: 40000 + conn });
  }
  for (const step of steps) {
    if (step.type === 'data')
      source.send('data', { at, conn: step.conn, direction: step.direction, frames: step.frames });
    else if (step.type === 'error') source.send('error', { at, conn: 0, message: step.message });
    else {
      source.send('close', {
        at,
        conn: step.conn,
        reason: 'client-closed',
        bytesIn: 1,
        bytesOut: 2,
        durationMs: 3.5,
      });
      source.send('open', { at, conn: step.conn, remoteAddress: '::1', remotePort: 50000 + step.conn });
    }
  }
}

describe('the forwarded durable log, a read at a time', () => {
  it('writes exactly the JSON of forwardEntries rows', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(anyStep, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
        async (steps, at) => {
          const expected: string[] = [];
          const reference = new Source();
          forwardEntries(reference, (entry) => expected.push(`${JSON.stringify(entry)}\n`));
          play(reference, steps, at);

          const file = path.join(dir, `run-${run++}.jsonl`);
          const log = new LogFile({ file, maxBytes: Infinity });
          const source = new Source();
          forwardEntryBatches(
            source,
            (entry) => log.append(entry),
            (rows) => log.appendFrames(rows),
          );
          play(source, steps, at);
          await log.close();
          expect(await fs.readFile(file, 'utf8')).toBe(expected.join(''));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('stays exact across its buffers and flushes: megabytes of pipelined reads and single frames', async () => {
    const steps: Step[] = [];
    for (let i = 0; i < 6000; i++) {
      const conn = (i % 3) + 1;
      const many = i % 5 !== 0;
      const frame = Buffer.from(i % 7 === 0 ? `SET k${i} v` : 'PING');
      steps.push({
        type: 'data',
        conn,
        direction: 'client',
        frames: many ? Array.from({ length: 16 }, () => frame) : [frame],
      });
      steps.push({
        type: 'data',
        conn,
        direction: 'upstream',
        frames: [Buffer.from('+PONG'), Buffer.from('+OK')],
      });
    }
    const expected: string[] = [];
    const reference = new Source();
    forwardEntries(reference, (entry) => expected.push(`${JSON.stringify(entry)}\n`));
    play(reference, steps, 1_764_000_000_000);
    const file = path.join(dir, 'long.jsonl');
    const log = new LogFile({ file, maxBytes: Infinity });
    const source = new Source();
    forwardEntryBatches(
      source,
      (entry) => log.append(entry),
      (rows) => log.appendFrames(rows),
    );
    play(source, steps, 1_764_000_000_000);
    await log.close();
    const written = await fs.readFile(file, 'utf8');
    expect(written.length).toBeGreaterThan(4 * 1024 * 1024);
    expect(written).toBe(expected.join(''));
  });
});
