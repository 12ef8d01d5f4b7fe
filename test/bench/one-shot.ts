/**
 * 2. One-shot throughput and latency at 1, 8 and 32 concurrent clients.
 * Each client loops for a fixed time: connect, send `SONG`, read the reply
 * until the server closes, and again. Switchboard runs `--mode one-shot`.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  HOST,
  ms,
  perSecond,
  percentile,
  progress,
  ratio,
  row,
  startBoth,
  type BenchOptions,
  type Row,
} from './lib.js';

const SECTION = '2. One-shot: connect, SONG, reply, close';
const TARGET_RATIO = 1.0;
const SONG = Buffer.from('SONG\n');
const REPLY_BYTES = 'Old McDonald had a farm, E-I-E-I-O!\r\n'.length;

interface LoadResult {
  perSecond: number;
  latencies: number[];
  errors: number;
}

/** One exchange: resolves with its latency in ms, or NaN when it failed. */
function exchange(port: number): Promise<number> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let got = 0;
    const socket = net.connect({ port, host: HOST, noDelay: true });
    socket.on('data', (chunk: Buffer) => (got += chunk.length));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(got >= REPLY_BYTES ? performance.now() - t0 : Number.NaN));
    socket.write(SONG);
  });
}

/** `clients` loops for `durationMs`; an exchange that ends after the deadline counts toward latency only. */
async function load(port: number, clients: number, durationMs: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let done = 0;
  const t0 = performance.now();
  const deadline = t0 + durationMs;
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const latency = await exchange(port);
      if (Number.isNaN(latency)) {
        errors++;
        if (errors > 1000) return;
        continue;
      }
      latencies.push(latency);
      if (performance.now() <= deadline) done++;
    }
  };
  await Promise.all(Array.from({ length: clients }, loop));
  return { perSecond: done / (durationMs / 1000), latencies, errors };
}

/** Adds one slice's result to the running totals. */
function merge(into: LoadResult & { ms: number }, slice: LoadResult, ms: number): void {
  into.perSecond += slice.perSecond * (ms / 1000);
  into.latencies.push(...slice.latencies);
  into.errors += slice.errors;
  into.ms += ms;
}

/**
 * Measures both servers in alternating slices (A B B A …), so that load
 * from elsewhere on the machine falls on both alike.
 */
async function sideBySide(
  ports: { ref: number; mine: number },
  clients: number,
  totalMs: number,
  slices: number,
): Promise<{ ref: LoadResult; mine: LoadResult }> {
  const ref = { perSecond: 0, latencies: [] as number[], errors: 0, ms: 0 };
  const mine = { perSecond: 0, latencies: [] as number[], errors: 0, ms: 0 };
  const sliceMs = totalMs / slices;
  for (let i = 0; i < slices; i++) {
    const order = i % 2 === 0 ? (['ref', 'mine'] as const) : (['mine', 'ref'] as const);
    for (const which of order) {
      const result = await load(ports[which], clients, sliceMs);
      merge(which === 'ref' ? ref : mine, result, sliceMs);
    }
  }
  const done = (r: typeof ref): LoadResult => ({
    perSecond: r.perSecond / (r.ms / 1000),
    latencies: r.latencies,
    errors: r.errors,
  });
  return { ref: done(ref), mine: done(mine) };
}

export async function benchOneShot(options: BenchOptions): Promise<Row[]> {
  const durationMs = options.quick ? 1000 : 3000;
  const slices = options.quick ? 2 : 6;
  const warmupMs = options.quick ? 300 : 1000;
  const levels = [1, 8, 32];
  const { ref, mine } = await startBoth(options, 'one-shot', ['--mode', 'one-shot']);
  const rows: Row[] = [];
  try {
    await load(ref.port, 8, warmupMs);
    await load(mine.port, 8, warmupMs);
    for (const clients of levels) {
      const { ref: r, mine: m } = await sideBySide(
        { ref: ref.port, mine: mine.port },
        clients,
        durationMs,
        slices,
      );
      const x = m.perSecond / r.perSecond;
      const judged = clients === 32;
      const errors = (n: number): string => (n > 0 ? ` (${n} failed)` : '');
      rows.push(
        row(SECTION, `${clients} clients: exchanges`, {
          switchboard: perSecond(m.perSecond) + errors(m.errors),
          reference: perSecond(r.perSecond) + errors(r.errors),
          ratio: ratio(x),
          target: judged ? `≥ ${TARGET_RATIO}× ref` : '',
          verdict: judged ? (x >= TARGET_RATIO ? 'PASS' : 'MISS') : '',
        }),
      );
      const lat = (l: number[]): string =>
        [50, 99, 100].map((p) => ms(percentile(l, p)).replace(' ms', '')).join(' / ') + ' ms';
      rows.push(
        row(SECTION, `${clients} clients: p50 / p99 / max`, {
          switchboard: lat(m.latencies),
          reference: lat(r.latencies),
          ratio: ratio(percentile(m.latencies, 99) / percentile(r.latencies, 99)),
        }),
      );
      progress(`one-shot at ${clients} clients: ${perSecond(m.perSecond)} vs ${perSecond(r.perSecond)}`);
    }
  } finally {
    await Promise.all([ref.quit(), mine.quit()]);
  }
  return rows;
}
