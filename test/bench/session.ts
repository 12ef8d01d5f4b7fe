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
  startWindowed,
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
  // The same server in browser mode with a window's socket attached: the log streamed to it as well.
  const windowed = await startWindowed(options, 'session');
  const rows: Row[] = [];
  try {
    for (const { inflight, target } of CASES) {
      // Alternating slices (A B C C B A …): load from elsewhere falls on all alike.
      const rates = { ref: 0, mine: 0, windowed: 0 };
      for (let i = 0; i < slices; i++) {
        const order = (['ref', 'mine', 'windowed'] as const).slice();
        if (i % 2 === 1) order.reverse();
        for (const who of order) {
          const port = who === 'ref' ? ref.port : who === 'mine' ? mine.port : windowed.port;
          rates[who] += (await load(port, inflight, warmupMs, durationMs / slices)) / slices;
        }
      }
      for (const [who, what] of [
        ['mine', `${CONNECTIONS} × ${inflight} in flight: replies (serve --log)`],
        ['windowed', `${CONNECTIONS} × ${inflight}, window attached (browser mode)`],
      ] as const) {
        const x = rates[who] / rates.ref;
        rows.push(
          row(SECTION, what, {
            switchboard: perSecond(rates[who]),
            reference: perSecond(rates.ref),
            ratio: ratio(x),
            target: `≥ ${target}× ref`,
            verdict: x >= target ? 'PASS' : 'MISS',
          }),
        );
      }
      progress(
        `session ${CONNECTIONS}×${inflight}: ${perSecond(rates.mine)} (windowed ${perSecond(rates.windowed)}) vs ${perSecond(rates.ref)}`,
      );
    }
  } finally {
    await Promise.all([ref.quit(), mine.quit(), windowed.quit()]);
  }
  return rows;
}
