/**
 * Floods of input against a real `npm run serve` process (issue 10, "TCP
 * server"): input that gets no reply at all, and pipelining that fills the
 * log. While the flood goes on, a newcomer must be answered within 500 ms,
 * every time, and Stop must close everything within a second.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { RawClient, forEachConcurrently, timedProbe } from '../helpers/net.js';
import { SONG } from '../helpers/classic.js';
import { abuseCase, formatReports, reports, sleep, type CaseLimits } from './harness.js';

afterAll(() => {
  if (reports.length > 0)
    console.log(
      `\nServer under input floods (npm run serve, one process per case):\n${formatReports(reports)}\n`,
    );
});

/** The bounds issue 10 sets for these cases. */
const FLOOD_LIMITS: CaseLimits = { probeLimitMs: 500, stopLimitMs: 1000 };
/** Probes made while the flood goes on, one after the other. */
const PROBES = 8;

/**
 * Writes `chunk` on `client` as fast as the server takes it, until `stop`
 * says so; what the server sends back is read and dropped.
 */
function flood(client: RawClient, chunk: Buffer, stopped: () => boolean): void {
  const socket = client.socket;
  socket.removeAllListeners('data');
  socket.on('data', () => undefined);
  const more = (): void => {
    while (!stopped() && !socket.destroyed) {
      if (!socket.write(chunk)) {
        socket.once('drain', more);
        return;
      }
    }
  };
  more();
}

/** Probes SONG `count` times in a row; the slowest one's time. */
async function worstProbe(port: number, count: number): Promise<number> {
  let worst = 0;
  for (let i = 0; i < count; i++) {
    const probe = await timedProbe(port, 'SONG\n', SONG, 10_000);
    worst = Math.max(worst, probe.ms);
    probe.client.destroy();
    await sleep(50);
  }
  return worst;
}

async function floodCase(
  name: string,
  args: string[],
  clients: number,
  chunk: Buffer,
  limits: CaseLimits = FLOOD_LIMITS,
): Promise<void> {
  await abuseCase(
    name,
    args,
    async ({ port }) => {
      let stopped = false;
      const flooders: RawClient[] = [];
      await forEachConcurrently(clients, 20, async () => {
        const client = await RawClient.connect(port);
        flooders.push(client);
        flood(client, chunk, () => stopped);
      });
      // Let the flood fill every buffer on the way, then probe in the middle of it.
      await sleep(500);
      const worstProbeMs = await worstProbe(port, PROBES);
      return {
        open: flooders,
        serverOpen: flooders.length,
        cleanup: () => (stopped = true),
        worstProbeMs,
        note: `worst of ${PROBES + 1} probes`,
      };
    },
    limits,
  );
}

describe('input floods', () => {
  it('50 clients flood empty lines in a session: a newcomer is answered at once, Stop is quick', async () => {
    await floodCase('50 x empty lines (session)', ['--quiet'], 50, Buffer.alloc(256 * 1024, '\n'));
  });

  it('50 clients flood blank lines in one-shot mode: a newcomer is answered at once, Stop is quick', async () => {
    await floodCase(
      '50 x blank lines (one-shot)',
      ['--quiet', '--mode', 'one-shot'],
      50,
      Buffer.from(' \t\r\n'.repeat(64 * 1024)),
    );
  });

  it('200 clients pipeline SONG and read every reply, with --log: a newcomer is answered at once', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-flood-'));
    try {
      await floodCase(
        '200 pipelining readers, --log',
        ['--quiet', '--log', path.join(dir, 'events.jsonl')],
        200,
        Buffer.from('SONG\n'.repeat(4096)),
        // The log's write buffers fill while the disk takes 100 MB/s: the bound is 300 MB of RSS in all.
        { ...FLOOD_LIMITS, growthCapMb: 160 },
      );
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
