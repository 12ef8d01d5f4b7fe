/**
 * 3. Session throughput: 50 persistent connections, each keeping 1 or 16
 * `SONG` commands in flight (a new one for every reply), for a fixed time.
 * Counts complete replies (CRLF-terminated lines) received in the window.
 */
import { performance } from 'node:perf_hooks';
import {
  openConnections,
  perSecond,
  progress,
  ratio,
  row,
  sleep,
  startBoth,
  type BenchOptions,
  type Row,
} from './lib.js';

const SECTION = '3. Session: 50 connections, commands in flight';
const CONNECTIONS = 50;
const CASES = [
  { inflight: 1, target: 1.0 },
  { inflight: 16, target: 0.9 },
];

/** Replies a second over `durationMs`, after `warmupMs` of the same load on fresh connections. */
export async function load(
  port: number,
  inflight: number,
  warmupMs: number,
  durationMs: number,
): Promise<number> {
  const sockets = await openConnections(port, CONNECTIONS, CONNECTIONS);
  const batches = Array.from({ length: inflight + 1 }, (_, k) => Buffer.from('SONG\n'.repeat(k)));
  let counting = false;
  let running = true;
  let replies = 0;
  for (const socket of sockets) {
    socket.on('data', (chunk: Buffer) => {
      let n = 0;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
      if (counting) replies += n;
      if (running && n > 0) socket.write(batches[n] ?? Buffer.from('SONG\n'.repeat(n)));
    });
    socket.write(batches[inflight] ?? Buffer.alloc(0));
  }
  await sleep(warmupMs);
  replies = 0;
  counting = true;
  const t0 = performance.now();
  await sleep(durationMs);
  counting = false;
  const elapsed = performance.now() - t0;
  running = false;
  for (const socket of sockets) socket.destroy();
  return replies / (elapsed / 1000);
}

export async function benchSession(options: BenchOptions): Promise<Row[]> {
  const durationMs = options.quick ? 1000 : 3000;
  const slices = options.quick ? 2 : 4;
  const warmupMs = options.quick ? 300 : 500;
  const { ref, mine } = await startBoth(options, 'session');
  const rows: Row[] = [];
  try {
    for (const { inflight, target } of CASES) {
      // Alternating slices (A B B A …): load from elsewhere falls on both alike.
      let r = 0;
      let m = 0;
      for (let i = 0; i < slices; i++) {
        const order = i % 2 === 0 ? [ref, mine] : [mine, ref];
        for (const server of order) {
          const rate = await load(server.port, inflight, warmupMs, durationMs / slices);
          if (server === ref) r += rate / slices;
          else m += rate / slices;
        }
      }
      const x = m / r;
      rows.push(
        row(SECTION, `${CONNECTIONS} × ${inflight} in flight: replies`, {
          switchboard: perSecond(m),
          reference: perSecond(r),
          ratio: ratio(x),
          target: `≥ ${target}× ref`,
          verdict: x >= target ? 'PASS' : 'MISS',
        }),
      );
      progress(`session ${CONNECTIONS}×${inflight}: ${perSecond(m)} vs ${perSecond(r)}`);
    }
  } finally {
    await Promise.all([ref.quit(), mine.quit()]);
  }
  return rows;
}
