/**
 * Runs one abuse case against a real `npm run serve` process: starts it,
 * watches its memory while the case misbehaves, then checks that a probe
 * client still gets its answer at once and that Stop still closes
 * everything at once. Each case's numbers go into a table printed at the end.
 */
import { performance } from 'node:perf_hooks';
import { expect } from 'vitest';
import { eventually, timedProbe, type RawClient } from '../helpers/net.js';
import { MemorySampler, countSockets, startServe, type CliProcess } from '../helpers/process.js';
import { SONG } from '../helpers/classic.js';

/** A probe must have its reply within this long, connect included. */
export const PROBE_LIMIT_MS = 2000;
/** Stop must have closed every connection, and said so, within this long. */
export const STOP_LIMIT_MS = 2000;
/** The server's resident memory may grow at most this much during a case. */
export const DEFAULT_GROWTH_CAP_MB = 64;

const MB = 1024 * 1024;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Settles with `promise`, or rejects naming `what` after `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The server's events (printed as JSON lines with `--json`), counted by kind as they arrive. */
export class EventCounts {
  readonly #counts = new Map<string, number>();

  constructor(cli: CliProcess) {
    cli.onLine((line) => {
      if (!line.startsWith('{')) return;
      const event = JSON.parse(line) as { kind?: unknown };
      if (typeof event.kind !== 'string') return;
      this.#counts.set(event.kind, this.count(event.kind) + 1);
    });
  }

  count(kind: string): number {
    return this.#counts.get(kind) ?? 0;
  }

  /** Waits until the server has printed at least `n` events of `kind`. */
  until(kind: string, n: number, timeoutMs = 15_000): Promise<void> {
    return eventually(() => this.count(kind) >= n, timeoutMs, `${n} "${kind}" events`).catch(
      (error: unknown) => {
        throw new Error(
          `${String(error)}; events so far: ${JSON.stringify(Object.fromEntries(this.#counts))}`,
        );
      },
    );
  }
}

export interface CaseContext {
  port: number;
  cli: CliProcess;
  /** Filled only when the server runs with `--json`. */
  events: EventCounts;
  /** Client sockets the server process holds open now (its fds, less those it had when listening). */
  serverSockets: () => number;
  /** Waits until the server holds at most `n` client sockets: it has freed the rest. */
  untilServerHolds: (n: number, timeoutMs?: number) => Promise<void>;
}

/** What a case leaves behind for the probe and Stop. */
export interface Abuse {
  /** Abusive clients still connected: Stop must close every one of them. */
  open: RawClient[];
  /** Connections the case leaves open on the server: the server must free every other one, and Stop report these. */
  serverOpen: number;
  /** Undoes what the case started (timers), once Stop is done. */
  cleanup?: () => void;
  /** A line for the table's last column. */
  note?: string;
  /** The slowest probe the case itself made while it misbehaved, if it made any. */
  worstProbeMs?: number;
}

export interface CaseReport {
  name: string;
  baselineMb: number;
  peakMb: number;
  growthMb: number;
  probeMs: number;
  stopMs: number;
  closed: number;
  note: string;
}

export const reports: CaseReport[] = [];

/** A case's bounds, where it holds the server to tighter ones than the defaults. */
export interface CaseLimits {
  growthCapMb?: number;
  probeLimitMs?: number;
  stopLimitMs?: number;
}

/**
 * Starts `npm run serve -- --port 0 ARGS`, runs the case, probes with SONG,
 * then stops the server through stdin and checks that it closed everything.
 */
export async function abuseCase(
  name: string,
  args: string[],
  run: (context: CaseContext) => Promise<Abuse>,
  limits: number | CaseLimits = {},
): Promise<CaseReport> {
  const {
    growthCapMb = DEFAULT_GROWTH_CAP_MB,
    probeLimitMs = PROBE_LIMIT_MS,
    stopLimitMs = STOP_LIMIT_MS,
  } = typeof limits === 'number' ? { growthCapMb: limits } : limits;
  const { cli, port } = await startServe(args);
  const pid = cli.child.pid;
  if (pid === undefined) throw new Error('the server process has no pid');
  const events = new EventCounts(cli);
  const baseSockets = countSockets(pid);
  const serverSockets = (): number => countSockets(pid) - baseSockets;
  const untilServerHolds = (n: number, timeoutMs = 20_000): Promise<void> =>
    eventually(() => serverSockets() <= n, timeoutMs, `the server to hold at most ${n} sockets`).catch(
      (error: unknown) => {
        throw new Error(`${String(error)}; it holds ${serverSockets()}`);
      },
    );
  const memory = new MemorySampler(pid);
  let abuse: Abuse | null = null;
  try {
    abuse = await run({ port, cli, events, serverSockets, untilServerHolds });

    // The server has freed every connection the case gave up on (it holds their sockets no more)...
    await untilServerHolds(abuse.serverOpen);
    // ...and answers a newcomer at once.
    const probe = await timedProbe(port, 'SONG\n', SONG, 10_000);
    await probe.client.waitClosed();
    probe.client.destroy();
    await untilServerHolds(abuse.serverOpen);

    const t0 = performance.now();
    cli.send('quit\n');
    // A client that never reads sees the close only when it reads: let them all read now.
    for (const client of abuse.open) client.socket.resume();
    const stopped = await cli.waitForLine(/^stopped \((\d+) connections closed\)$/, 10_000);
    const open = abuse.open;
    await within(
      Promise.all(open.map((c) => c.closed)),
      10_000,
      `${open.filter((c) => !c.isClosed).length} of ${open.length} abusive clients to see the close`,
    );
    const stopMs = performance.now() - t0;
    const peak = memory.stop();
    expect(await within(cli.exited, 10_000, 'the server to exit')).toBe(0);

    const closed = Number(stopped[1]);
    const report: CaseReport = {
      name,
      baselineMb: memory.baseline / MB,
      peakMb: peak / MB,
      growthMb: (peak - memory.baseline) / MB,
      probeMs: Math.max(probe.ms, abuse.worstProbeMs ?? 0),
      stopMs,
      closed,
      note: abuse.note ?? '',
    };
    reports.push(report);

    expect(report.probeMs, 'the probe waited').toBeLessThan(probeLimitMs);
    expect(stopMs, 'Stop took its time').toBeLessThan(stopLimitMs);
    expect(closed, 'connections Stop closed').toBe(abuse.serverOpen);
    expect(report.growthMb, 'server memory growth (MB)').toBeLessThan(growthCapMb);
    return report;
  } finally {
    memory.stop();
    abuse?.cleanup?.();
    for (const client of abuse?.open ?? []) client.destroy();
    if (cli.child.exitCode === null) cli.kill('SIGKILL');
  }
}

/** The table of every case run so far. */
export function formatReports(rows: readonly CaseReport[]): string {
  const header = ['case', 'base RSS MB', 'peak RSS MB', 'growth MB', 'probe ms', 'stop ms', 'closed', 'note'];
  const cells = rows.map((r) => [
    r.name,
    r.baselineMb.toFixed(1),
    r.peakMb.toFixed(1),
    r.growthMb.toFixed(1),
    r.probeMs.toFixed(1),
    r.stopMs.toFixed(1),
    String(r.closed),
    r.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]?.length ?? 0)));
  const line = (row: readonly string[]): string =>
    row
      .map((cell, i) =>
        i === 0 || i === row.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0),
      )
      .join(' | ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}
