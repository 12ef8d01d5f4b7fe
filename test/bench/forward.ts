/**
 * 6. Forwarding: Switchboard's `--forward` (log on) against a bare Node
 * relay (`bare-relay.ts`), both in front of the same redis-server: the round
 * trip each adds over talking to redis directly (median, one PING at a
 * time), and the replies a second through each (50 connections × 16 PINGs
 * in flight, alternating slices).
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { runTs } from '../helpers/process.js';
import { startRedis } from '../helpers/redis.js';
import {
  exitedWithin,
  median,
  openConnections,
  perSecond,
  progress,
  ratio,
  row,
  sleep,
  startSwitchboard,
  type BenchOptions,
  type Row,
  HOST,
} from './lib.js';

const SECTION = '6. Forwarding to redis-server';
const CONNECTIONS = 50;
/** In flight per connection, and the share of the bare relay's replies a second to keep (as section 3 asks of the mock server). */
const CASES = [
  { inflight: 1, target: 0.9 },
  { inflight: 16, target: 0.9 },
];
const PING = Buffer.from('PING\r\n');

async function startBareRelay(upstreamPort: number): Promise<{ port: number; quit: () => Promise<void> }> {
  const cli = runTs('test/bench/bare-relay.ts', ['--port', '0', '--upstream', `${HOST}:${upstreamPort}`]);
  cli.child.stdin.on('error', () => undefined);
  const m = await cli.waitForLine(/^listening on (.+):(\d+)$/);
  return {
    port: Number(m[2]),
    quit: async () => {
      if (cli.child.exitCode === null) cli.send('quit\n');
      await exitedWithin(cli, 30_000);
    },
  };
}

/** Microseconds of `count` sequential PING round trips on one connection. */
async function roundTrips(port: number, count: number): Promise<number[]> {
  const socket = net.connect({ port, host: HOST, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const samples: number[] = [];
  let got = 0;
  let t0 = 0;
  await new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      got += chunk.length;
      if (got < 7) return; // "+PONG\r\n"
      got -= 7;
      samples.push((performance.now() - t0) * 1000);
      if (samples.length >= count) {
        resolve();
        return;
      }
      t0 = performance.now();
      socket.write(PING);
    });
    t0 = performance.now();
    socket.write(PING);
  });
  socket.destroy();
  return samples;
}

/** PING replies a second through `port`, INFLIGHT in flight on each of CONNECTIONS connections. */
async function throughput(
  port: number,
  inflight: number,
  warmupMs: number,
  durationMs: number,
): Promise<number> {
  const sockets = await openConnections(port, CONNECTIONS, CONNECTIONS);
  const batches = Array.from({ length: inflight + 1 }, (_, k) => Buffer.from('PING\r\n'.repeat(k)));
  let counting = false;
  let running = true;
  let replies = 0;
  for (const socket of sockets) {
    socket.on('data', (chunk: Buffer) => {
      let n = 0;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
      if (counting) replies += n;
      if (running && n > 0) socket.write(batches[n] ?? Buffer.from('PING\r\n'.repeat(n)));
    });
    socket.write(batches[inflight] ?? PING);
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

const us = (value: number): string => `${value.toFixed(0)} µs`;

export async function benchForward(options: BenchOptions): Promise<Row[]> {
  const redis = await startRedis();
  const bare = await startBareRelay(redis.port);
  const mine = await startSwitchboard(options, ['--forward', `${HOST}:${redis.port}`]);
  const rows: Row[] = [];
  try {
    const rounds = options.quick ? 4 : 10;
    const perRound = 500;
    const direct: number[] = [];
    const viaBare: number[] = [];
    const viaMine: number[] = [];
    await roundTrips(mine.port, 200); // warm up both paths
    await roundTrips(bare.port, 200);
    for (let i = 0; i < rounds; i++) {
      direct.push(...(await roundTrips(redis.port, perRound)));
      viaBare.push(...(await roundTrips(bare.port, perRound)));
      viaMine.push(...(await roundTrips(mine.port, perRound)));
    }
    const base = median(direct);
    const addedBare = median(viaBare) - base;
    const addedMine = median(viaMine) - base;
    rows.push(
      row(SECTION, `round trip added over direct (${us(base)}), median`, {
        switchboard: us(addedMine),
        reference: us(addedBare),
        target: '< 100 µs',
        verdict: addedMine < 100 ? 'PASS' : 'MISS',
      }),
    );
    progress(`forward rtt: +${us(addedMine)} vs bare +${us(addedBare)} over ${us(base)}`);

    const slices = options.quick ? 2 : 4;
    const durationMs = options.quick ? 1000 : 3000;
    const warmupMs = options.quick ? 300 : 500;
    for (const { inflight, target } of CASES) {
      let r = 0;
      let m = 0;
      for (let i = 0; i < slices; i++) {
        const order = i % 2 === 0 ? ['bare', 'mine'] : ['mine', 'bare'];
        for (const which of order) {
          const port = which === 'bare' ? bare.port : mine.port;
          const rate = await throughput(port, inflight, warmupMs, durationMs / slices);
          if (which === 'bare') r += rate / slices;
          else m += rate / slices;
        }
      }
      rows.push(
        row(SECTION, `${CONNECTIONS} × ${inflight} PING in flight: replies`, {
          switchboard: perSecond(m),
          reference: perSecond(r),
          ratio: ratio(m / r),
          target: `≥ ${target}× bare relay`,
          verdict: m / r >= target ? 'PASS' : 'MISS',
        }),
      );
      progress(`forward ${CONNECTIONS}×${inflight}: ${perSecond(m)} vs bare ${perSecond(r)}`);
    }
  } finally {
    await Promise.all([mine.quit(), bare.quit()]);
    await redis.stop();
  }
  return rows;
}
