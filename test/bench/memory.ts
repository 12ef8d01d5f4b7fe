/**
 * 4. Memory: the server process's resident memory (VmRSS) with 10,000 idle
 * connections open, minus what it held before any connected, per
 * connection: one second after the connects, and once the runtime has
 * settled (both from a settled baseline).
 */
import {
  accepted,
  bytes,
  openConnections,
  progress,
  ratio,
  residentBytes,
  row,
  sleep,
  startBoth,
  verdict,
  type BenchOptions,
  type Row,
  type ServerProcess,
} from './lib.js';

const SECTION = '4. Memory: resident set with idle connections';
const TARGET_BYTES = 2560;

/**
 * V8 gives memory back only when its memory reducer runs, some seconds after
 * the allocation stops; before that, RSS still holds the young generation
 * grown during the burst of connects and the garbage it promoted.
 */
const SETTLE_MS = 12_000;

interface PerConnection {
  /** Per connection one second after the last connect. */
  early: number;
  /** Per connection once the runtime has settled, from a settled baseline. */
  settled: number;
}

/** Resident bytes per idle connection; `server` has been idle since it started. */
async function perConnection(server: ServerProcess, count: number, settleMs: number): Promise<PerConnection> {
  const before = residentBytes(server.pid);
  const sockets = await openConnections(server.port, count);
  await accepted(server.port);
  await sleep(1000);
  const early = residentBytes(server.pid);
  await sleep(settleMs - 1000);
  const settled = residentBytes(server.pid);
  for (const socket of sockets) socket.destroy();
  return { early: (early - before) / count, settled: (settled - before) / count };
}

export async function benchMemory(options: BenchOptions): Promise<Row[]> {
  const count = options.quick ? 2000 : 10_000;
  const settleMs = options.quick ? 3000 : SETTLE_MS;
  // Both start together and settle while idle; then each is measured alone.
  const { ref, mine } = await startBoth(options, 'session', ['--max-connections', '20000']);
  let r: PerConnection;
  let m: PerConnection;
  try {
    // The baseline must be settled even when iterating: else the startup's
    // garbage, given back later, makes the difference meaningless.
    await sleep(SETTLE_MS);
    r = await perConnection(ref, count, settleMs);
    await ref.quit();
    m = await perConnection(mine, count, settleMs);
  } finally {
    await Promise.all([ref.quit(), mine.quit()]);
  }
  progress(`memory: ${bytes(m.settled)} vs ${bytes(r.settled)} per connection (settled)`);
  const n = count.toLocaleString('en-US');
  // The target is per connection at 10,000: fewer share the runtime's fixed growth among fewer.
  const judged = count === 10_000;
  return [
    row(SECTION, `${n} idle connections: RSS each, 1 s after`, {
      switchboard: bytes(m.early),
      reference: bytes(r.early),
      ratio: ratio(m.early / r.early),
      target: judged ? `≤ ${bytes(TARGET_BYTES)}` : 'judged at 10,000',
      verdict: judged ? verdict(m.early <= TARGET_BYTES) : '',
    }),
    row(SECTION, `${n} idle connections: RSS each, settled`, {
      switchboard: bytes(m.settled),
      reference: bytes(r.settled),
      ratio: ratio(m.settled / r.settled),
      target: judged ? `≤ ${bytes(TARGET_BYTES)}` : 'judged at 10,000',
      verdict: judged ? verdict(m.settled <= TARGET_BYTES) : '',
    }),
  ];
}
