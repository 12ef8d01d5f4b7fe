/**
 * 1. Stop latency: from the Stop command to (a) a new connection refused and
 * (b) every open connection closed, with 0, 1,000 and 10,000 connections
 * open. Two ways to say Stop: the stdin `quit` of `npm run serve`, and the
 * window's `server:stop` over browser mode's socket. The reference is the
 * bare server stopping on its stdin `quit`.
 *
 * (a) is timed by connecting in a tight loop, one attempt after another,
 * from the moment the command is sent to the first ECONNREFUSED; (b) when
 * the last client socket has seen its end or close.
 */
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { runTs, type CliProcess } from '../helpers/process.js';
import {
  HOST,
  IpcClient,
  accepted,
  exitedWithin,
  freshDir,
  maxOf,
  median,
  ms,
  progress,
  ratio,
  row,
  sleep,
  startReference,
  startSwitchboard,
  startWeb,
  verdict,
  type BenchOptions,
  type Row,
} from './lib.js';

const SECTION = '1. Stop latency (median / max of runs)';
/** Refused within this long after the command. */
const REFUSED_TARGET_MS = 2;
/** Every connection closed within this many times the reference's time. */
const CLOSED_TARGET_RATIO = 1.2;
const POLL_LIMIT_MS = 5000;
const PROBE_WAIT_MS = 1;
const CLOSE_LIMIT_MS = 20_000;

interface Sample {
  refusedMs: number;
  /** NaN with no connections open. */
  closedMs: number;
}

type Way = 'reference' | 'quit' | 'ipc';

/**
 * One poll: true when the connect is refused. An accepted probe asks for
 * HELP and waits up to a millisecond for the answer (or the close) before
 * the next one, so the polling does not pile up work in front of the
 * server's Stop; nor does a probe the server took just before its listener
 * closed (and will close last of all its connections) hold up the next.
 */
export function refusedProbe(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const socket = net.connect({ port, host: HOST, noDelay: true });
    const done = (value: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(false), PROBE_WAIT_MS);
    socket.once('connect', () => socket.write('HELP\n'));
    socket.once('data', () => done(false));
    socket.once('close', () => done(false));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED'));
  });
}

/** The holder process's clock (process.hrtime) in milliseconds. */
function nowNs(): bigint {
  return process.hrtime.bigint();
}

/**
 * Sends the command through `trigger` and times what the clients see: the
 * first refused connect here, and the last held connection closed in the
 * holder process.
 */
async function timeStop(
  port: number,
  held: { holder: CliProcess; id: string } | null,
  trigger: () => void,
): Promise<Sample> {
  const closedLine = held?.holder.waitForLine(new RegExp(`^closed ${held.id} (\\d+)$`), CLOSE_LIMIT_MS);
  const t0 = performance.now();
  const t0Ns = nowNs();
  trigger();
  let refusedAt = Number.NaN;
  while (performance.now() - t0 < POLL_LIMIT_MS) {
    if (await refusedProbe(port)) {
      refusedAt = performance.now();
      break;
    }
  }
  let closedMs = Number.NaN;
  if (closedLine) {
    const m = await closedLine.catch(() => null);
    if (m?.[1]) closedMs = Number(BigInt(m[1]) - t0Ns) / 1e6;
  }
  return { refusedMs: refusedAt - t0, closedMs };
}

let holds = 0;

/** Has the holder open `count` connections to `port`; null for none. */
async function hold(
  holder: CliProcess,
  port: number,
  count: number,
): Promise<{ holder: CliProcess; id: string } | null> {
  if (count === 0) return null;
  const id = String(++holds);
  holder.send(`open ${id} ${port} ${count}\n`);
  const m = await holder.waitForLine(new RegExp(`^(opened|error) ${id}\\b(.*)$`), 60_000);
  if (m[1] !== 'opened') throw new Error(`could not open ${count} connections: ${m[2] ?? ''}`);
  return { holder, id };
}

const SETTINGS = {
  host: HOST,
  port: 0,
  mode: 'session',
  maxConnections: 20_000,
  idleTimeoutSec: 300,
  maxLineBytes: 4096,
};

interface StartOutcome {
  ok: boolean;
  status: { port: number };
  error?: string;
}

export async function benchStop(options: BenchOptions): Promise<Row[]> {
  // The stopwatch goes first: on a busy machine the poll must not wait
  // behind the server and the clients it times (best effort; needs the right).
  const priority = os.getPriority();
  try {
    os.setPriority(-10);
  } catch {
    // Not allowed here: the figures are noisier, nothing else changes.
  }
  try {
    return await measureStops(options);
  } finally {
    try {
      os.setPriority(priority);
    } catch {
      // As above.
    }
  }
}

async function measureStops(options: BenchOptions): Promise<Row[]> {
  const counts = options.quick ? [0, 1000] : [0, 1000, 10_000];
  const runs = options.quick ? 3 : 5;
  const dataDir = await freshDir(options, 'stop-web');
  const samples = new Map<string, Sample[]>();
  const add = (way: Way, count: number, sample: Sample): void => {
    const key = `${way}/${count}`;
    samples.set(key, [...(samples.get(key) ?? []), sample]);
  };
  const holder = runTs('test/bench/holder.ts');
  holder.child.stdin.on('error', () => undefined); // a late `quit` to a holder gone
  let web: { cli: CliProcess; url: string } | null = null;
  let ipc: IpcClient | null = null;
  try {
    await holder.waitForLine(/^ready$/);
    web = await startWeb(options, dataDir);
    const socket = (ipc = await IpcClient.open(web.url));
    for (const count of counts) {
      for (let run = 0; run < runs; run++) {
        // The reference and `npm run serve`: a fresh process each run, stopped by stdin quit.
        for (const way of ['reference', 'quit'] as const) {
          const server =
            way === 'reference'
              ? await startReference()
              : await startSwitchboard(options, ['--max-connections', '20000']);
          try {
            const held = await hold(holder, server.port, count);
            await accepted(server.port);
            await sleep(100);
            add(way, count, await timeStop(server.port, held, () => server.cli.send('quit\n')));
          } finally {
            await server.quit();
          }
        }
        // The window's Stop: one browser-mode process, started and stopped over its socket.
        const outcome = (await socket.invoke('server:start', SETTINGS)) as StartOutcome;
        if (!outcome.ok) throw new Error(`server:start failed: ${outcome.error ?? ''}`);
        const port = outcome.status.port;
        const held = await hold(holder, port, count);
        await accepted(port);
        await sleep(100);
        let stopped: Promise<unknown> = Promise.resolve();
        add(
          'ipc',
          count,
          await timeStop(port, held, () => {
            stopped = socket.invoke('server:stop');
          }),
        );
        await stopped;
      }
      progress(`stop latency with ${count} connections: ${runs} runs each`);
    }
  } finally {
    holder.send('quit\n');
    await exitedWithin(holder, 10_000);
    ipc?.close();
    if (web) {
      web.cli.send('quit\n');
      await exitedWithin(web.cli, 30_000);
    }
    await fs.rm(dataDir, { recursive: true, force: true });
  }

  const rows: Row[] = [];
  const get = (way: Way, count: number): Sample[] => samples.get(`${way}/${count}`) ?? [];
  const both = (values: number[]): string => `${ms(median(values))} / ${ms(maxOf(values))}`;
  for (const count of counts) {
    const ref = get('reference', count);
    const refRefused = ref.map((s) => s.refusedMs);
    for (const way of ['quit', 'ipc'] as const) {
      const mine = get(way, count).map((s) => s.refusedMs);
      const label = way === 'quit' ? 'stdin quit' : 'IPC server:stop';
      rows.push(
        row(SECTION, `${label}, ${count.toLocaleString('en-US')} open: refused`, {
          switchboard: both(mine),
          reference: both(refRefused),
          ratio: ratio(median(mine) / median(refRefused)),
          target: `median ≤ ${REFUSED_TARGET_MS} ms`,
          verdict: verdict(median(mine) <= REFUSED_TARGET_MS),
        }),
      );
    }
    if (count === 0) continue;
    const refClosed = ref.map((s) => s.closedMs);
    for (const way of ['quit', 'ipc'] as const) {
      const mine = get(way, count).map((s) => s.closedMs);
      const label = way === 'quit' ? 'stdin quit' : 'IPC server:stop';
      const r = median(mine) / median(refClosed);
      rows.push(
        row(SECTION, `${label}, ${count.toLocaleString('en-US')} open: all closed`, {
          switchboard: both(mine),
          reference: both(refClosed),
          ratio: ratio(r),
          target: `median ≤ ${CLOSED_TARGET_RATIO}× ref`,
          verdict: verdict(r <= CLOSED_TARGET_RATIO),
        }),
      );
    }
  }
  return rows;
}
