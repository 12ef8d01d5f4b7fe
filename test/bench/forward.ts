/**
 * 6. Forwarding: Switchboard's `--forward` against a bare Node relay
 * (`bare-relay.ts`), all in front of the same redis-server: the round trip
 * each adds over talking to redis directly (median, one PING at a time), and
 * the replies a second through each (50 connections × 16 PINGs in flight,
 * alternating slices).
 *
 * Switchboard runs twice: as a relay like the bare one (`--quiet`, no log
 * file), which the targets judge, and with its durable log on (`--log`),
 * whose figures show what writing two rows of about 130 bytes for every
 * PING and its answer costs (README.md, performance).
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
  verdict,
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
  const forward = ['--forward', `${HOST}:${redis.port}`];
  const relay = await startSwitchboard(options, forward, { log: false });
  const logged = await startSwitchboard(options, forward);
  const rows: Row[] = [];
  try {
    const rounds = options.quick ? 4 : 10;
    const perRound = 500;
    const direct: number[] = [];
    const viaBare: number[] = [];
    const viaRelay: number[] = [];
    const viaLogged: number[] = [];
    for (const port of [relay.port, logged.port, bare.port]) await roundTrips(port, 200); // warm up every path
    for (let i = 0; i < rounds; i++) {
      direct.push(...(await roundTrips(redis.port, perRound)));
      viaBare.push(...(await roundTrips(bare.port, perRound)));
      viaRelay.push(...(await roundTrips(relay.port, perRound)));
      viaLogged.push(...(await roundTrips(logged.port, perRound)));
    }
    const base = median(direct);
    const addedBare = median(viaBare) - base;
    const addedRelay = median(viaRelay) - base;
    const addedLogged = median(viaLogged) - base;
    // The --log rows show the log's cost beside the relay's: no target, as the bare relay writes no log.
    rows.push(
      row(SECTION, `round trip added over direct (${us(base)}), median`, {
        switchboard: us(addedRelay),
        reference: us(addedBare),
        target: '< 100 µs',
        verdict: verdict(addedRelay < 100),
      }),
      row(SECTION, 'the same, with --log', { switchboard: us(addedLogged), reference: us(addedBare) }),
    );
    progress(
      `forward rtt: +${us(addedRelay)}, +${us(addedLogged)} with --log, vs bare +${us(addedBare)} over ${us(base)}`,
    );

    // Many short slices, alternating: the bare relay's own rate moves by some 10% from one second to the next here.
    const slices = options.quick ? 4 : 8;
    const durationMs = options.quick ? 2000 : 8000;
    const warmupMs = options.quick ? 300 : 500;
    const ports = { bare: bare.port, relay: relay.port, logged: logged.port };
    type Which = keyof typeof ports;
    const orders: Which[][] = [
      ['bare', 'relay', 'logged'],
      ['logged', 'relay', 'bare'],
    ];
    for (const { inflight, target } of CASES) {
      const rate: Record<Which, number> = { bare: 0, relay: 0, logged: 0 };
      for (let i = 0; i < slices; i++) {
        for (const which of orders[i % 2] ?? []) {
          rate[which] += (await throughput(ports[which], inflight, warmupMs, durationMs / slices)) / slices;
        }
      }
      rows.push(
        row(SECTION, `${CONNECTIONS} × ${inflight} PING in flight: replies`, {
          switchboard: perSecond(rate.relay),
          reference: perSecond(rate.bare),
          ratio: ratio(rate.relay / rate.bare),
          target: `≥ ${target}× bare relay`,
          verdict: verdict(rate.relay / rate.bare >= target),
        }),
        row(SECTION, `${CONNECTIONS} × ${inflight}, with --log (2 rows a PING)`, {
          switchboard: perSecond(rate.logged),
          reference: perSecond(rate.bare),
          ratio: ratio(rate.logged / rate.bare),
        }),
      );
      progress(
        `forward ${CONNECTIONS}×${inflight}: ${perSecond(rate.relay)}, ${perSecond(rate.logged)} with --log, vs bare ${perSecond(rate.bare)}`,
      );
    }
  } finally {
    await Promise.all([relay.quit(), logged.quit(), bare.quit()]);
    await redis.stop();
  }
  return rows;
}
