/**
 * What every benchmark shares: starting Switchboard and the bare reference
 * as child processes, opening many connections, reading a process's memory,
 * percentiles, and the table the suite prints.
 */
import { promises as fs, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { startWebMode } from '../helpers/browser.js';
import { CliProcess, ROOT, runTs } from '../helpers/process.js';

export const HOST = '127.0.0.1';

/** Options the whole suite runs with. */
export interface BenchOptions {
  /** Fewer runs, shorter durations, no 10,000-connection cases: for iterating. */
  quick: boolean;
  /** Where the run keeps its log files and profiles; removed at the end. */
  tmpDir: string;
  /** Write a CPU profile of every Switchboard server child into this folder. */
  profileDir: string | null;
  /** Build the window before the flood even when a build exists. */
  buildWindow: boolean;
  /**
   * The Switchboard checkout to measure: this one, or another (`--root DIR`,
   * e.g. a `git worktree` of an older commit) for before/after figures.
   */
  root: string;
}

/** One line of the printed table. */
export interface Row {
  section: string;
  what: string;
  switchboard: string;
  reference: string;
  ratio: string;
  target: string;
  verdict: 'PASS' | 'MISS' | '';
}

export function row(section: string, what: string, fields: Partial<Omit<Row, 'section' | 'what'>>): Row {
  return {
    section,
    what,
    switchboard: fields.switchboard ?? '',
    reference: fields.reference ?? '',
    ratio: fields.ratio ?? '',
    target: fields.target ?? '',
    verdict: fields.verdict ?? '',
  };
}

export function verdict(ok: boolean): 'PASS' | 'MISS' {
  return ok ? 'PASS' : 'MISS';
}

/** Prints rows as an aligned plain-text table, sections separated by a blank line. */
export function formatTable(rows: readonly Row[]): string {
  const head: Row = {
    section: '',
    what: 'measure',
    switchboard: 'Switchboard',
    reference: 'reference',
    ratio: 'ratio',
    target: 'target',
    verdict: '',
  };
  const cells = (r: Row): string[] => [r.what, r.switchboard, r.reference, r.ratio, r.target, r.verdict];
  const all = [head, ...rows].map(cells);
  const widths = all[0]?.map((_, i) => Math.max(...all.map((c) => (c[i] ?? '').length))) ?? [];
  const line = (c: string[]): string =>
    c
      .map((s, i) => (i === 0 || i >= 4 ? s.padEnd(widths[i] ?? 0) : s.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [line(cells(head)), widths.map((w) => '-'.repeat(w)).join('  ')];
  let section = '';
  for (const r of rows) {
    if (r.section !== section) {
      if (section !== '') out.push('');
      out.push(r.section);
      section = r.section;
    }
    out.push(line(cells(r)));
  }
  return out.join('\n');
}

/** The machine the figures come from. */
export function describeMachine(): string {
  let cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const m = /^model name\s*:\s*(.+)$/m.exec(info);
    if (m?.[1]) cpu = m[1].trim();
  } catch {
    // Not Linux: os.cpus() has the model too.
  }
  const memGb = (os.totalmem() / 1024 ** 3).toFixed(1);
  return `${cpu}, ${os.availableParallelism()} cores, ${memGb} GB, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/** The 1, 5 and 15 minute load averages: other work on the machine shows up here. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
}

// --- numbers -------------------------------------------------------------

/** The p-th percentile (0..100) of values, nearest rank; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function maxOf(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : Math.max(...values);
}

/** Milliseconds, with as many decimals as the size calls for. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value < 10) return `${value.toFixed(2)} ms`;
  if (value < 100) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(0)} ms`;
}

/** A rate per second, grouped by thousands. */
export function perSecond(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')}/s`;
}

export function bytes(value: number): string {
  if (Math.abs(value) < 10 * 1024) return `${value.toFixed(0)} B`;
  if (Math.abs(value) < 10 * 1024 * 1024) return `${(value / 1024).toFixed(1)} KB`;
  return `${(value / 1024 / 1024).toFixed(1)} MB`;
}

export function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a';
}

export function sleep(msToWait: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, msToWait));
}

// --- server processes -----------------------------------------------------

/** A server child process, Switchboard's or the reference. */
export interface ServerProcess {
  cli: CliProcess;
  port: number;
  pid: number;
  /** Sends the stdin stop command and waits for the process to exit. */
  quit(): Promise<void>;
}

async function started(cli: CliProcess): Promise<ServerProcess> {
  let m: RegExpMatchArray;
  try {
    m = await cli.waitForLine(/^listening on (.+):(\d+)$/);
  } catch (error) {
    cli.kill('SIGKILL');
    throw error;
  }
  const pid = cli.child.pid;
  if (pid === undefined) throw new Error('the server process has no pid');
  // A process already on its way out closes stdin: a late `quit` must not crash the bench.
  cli.child.stdin.on('error', () => undefined);
  return {
    cli,
    port: Number(m[2]),
    pid,
    quit: async () => {
      if (cli.child.exitCode === null && cli.child.stdin.writable) cli.send('quit\n');
      await exitedWithin(cli, 30_000);
    },
  };
}

/** Waits for a child to exit; kills it if it takes longer than `timeoutMs`. */
export async function exitedWithin(cli: CliProcess, timeoutMs: number): Promise<void> {
  if (cli.child.exitCode !== null || cli.child.signalCode !== null) return;
  const timer = setTimeout(() => cli.kill('SIGKILL'), timeoutMs);
  await cli.exited;
  clearTimeout(timer);
}

let logCounter = 0;

/**
 * `npm run serve -- --port 0 --quiet --log FILE …`: Switchboard headless, with
 * its durable log on, exactly as a user would run it for benchmarking.
 * `log: false` leaves `--log` out, for a figure of the server alone.
 */
export async function startSwitchboard(
  options: BenchOptions,
  args: string[] = [],
  { log = true }: { log?: boolean } = {},
): Promise<ServerProcess> {
  const file = path.join(options.tmpDir, `serve-${++logCounter}.jsonl`);
  const serveArgs = ['--port', '0', '--quiet', ...(log ? ['--log', file] : []), ...args];
  // runTs spawns `node --import tsx` itself, so the child's pid is the server's.
  if (!options.profileDir && options.root === ROOT) return started(runTs('electron/cli/serve.ts', serveArgs));
  const profile = options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : [];
  const script = path.join(options.root, 'electron/cli/serve.ts');
  return started(new CliProcess(process.execPath, [...profile, '--import', 'tsx', script, ...serveArgs]));
}

/** Browser mode on an already built window (`electron/cli/web.ts --port 0 --data-dir DIR`), resolved once it prints its address. */
export async function startWeb(
  options: BenchOptions,
  dataDir: string,
): Promise<{ cli: CliProcess; url: string; port: number }> {
  const web = await startWebProcess(options, dataDir);
  web.cli.child.stdin.on('error', () => undefined); // a late `quit` to a process gone
  return web;
}

async function startWebProcess(
  options: BenchOptions,
  dataDir: string,
): Promise<{ cli: CliProcess; url: string; port: number }> {
  if (options.root === ROOT) return startWebMode(dataDir);
  const script = path.join(options.root, 'electron/cli/web.ts');
  const cli = new CliProcess(process.execPath, [
    '--import',
    'tsx',
    // The checkout's own window (out/renderer) must be built: web.ts serves it as it is.
    script,
    '--port',
    '0',
    '--data-dir',
    dataDir,
  ]);
  const m = await cli.waitForLine(/^open (http:\/\/127\.0\.0\.1:(\d+)\/#token=[\w-]+)$/);
  return { cli, url: m[1] ?? '', port: Number(m[2]) };
}

/** The bare reference server (test/bench/reference-server.ts) in its own child process. */
export async function startReference(mode: 'session' | 'one-shot' = 'session'): Promise<ServerProcess> {
  const cli = runTs('test/bench/reference-server.ts', ['--port', '0', '--mode', mode]);
  return started(cli);
}

/**
 * The reference and Switchboard, started together; if either fails to start,
 * the other is stopped before the error goes on.
 */
export async function startBoth(
  options: BenchOptions,
  mode: 'session' | 'one-shot',
  args: string[] = [],
): Promise<{ ref: ServerProcess; mine: ServerProcess }> {
  const [ref, mine] = await Promise.allSettled([startReference(mode), startSwitchboard(options, args)]);
  if (ref.status === 'fulfilled' && mine.status === 'fulfilled') return { ref: ref.value, mine: mine.value };
  for (const r of [ref, mine]) if (r.status === 'fulfilled') await r.value.quit();
  const failed = ref.status === 'rejected' ? ref : mine;
  throw failed.status === 'rejected' && failed.reason instanceof Error
    ? failed.reason
    : new Error('a server did not start');
}

/** A process's resident memory in bytes, from /proc (Linux). */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!m?.[1]) throw new Error(`no VmRSS for process ${pid}`);
  return Number(m[1]) * 1024;
}

// --- clients --------------------------------------------------------------

/** Connects once; resolves with the socket once connected. */
export function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: HOST, noDelay: true });
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', () => undefined);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/**
 * Opens `count` idle connections, at most `parallel` connecting at once so
 * that the listen backlog never overflows (which would cost a 1 s SYN
 * retry). Throws if any fails, after closing those that opened.
 */
export async function openConnections(port: number, count: number, parallel = 256): Promise<net.Socket[]> {
  const sockets: net.Socket[] = [];
  const state: { next: number; failure: Error | null } = { next: 0, failure: null };
  const worker = async (): Promise<void> => {
    while (state.next < count && state.failure === null) {
      state.next++;
      try {
        sockets.push(await connect(port));
      } catch (error) {
        state.failure = error instanceof Error ? error : new Error('connect failed');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  if (state.failure) {
    for (const s of sockets) s.destroy();
    throw state.failure;
  }
  return sockets;
}

/**
 * Waits until the server has taken every connection made so far: a fresh
 * connection answers a command only after the server accepted all before it
 * (Node accepts in order).
 */
export async function accepted(port: number): Promise<void> {
  const socket = await connect(port);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not answer HELP within 30 s')), 30_000);
    socket.on('data', (chunk: Buffer) => {
      if (chunk.includes(10)) {
        clearTimeout(timer);
        resolve();
      }
    });
    socket.write('HELP\n');
  });
  socket.destroy();
}

/** Seconds since `t0` (a performance.now() value), for progress lines. */
export function since(t0: number): string {
  return `${((performance.now() - t0) / 1000).toFixed(1)} s`;
}

/** Progress, on stderr so the table on stdout stays clean. */
export function progress(text: string): void {
  process.stderr.write(`  ${text}\n`);
}

/** A fresh folder under the run's temporary folder. */
export async function freshDir(options: BenchOptions, name: string): Promise<string> {
  return fs.mkdtemp(path.join(options.tmpDir, `${name}-`));
}

// --- the window's IPC, as browser mode carries it ---------------------------

/**
 * A window's side of browser mode's socket: invokes channels the way the
 * page does. Pushed events are counted but not parsed, as a busy page
 * would not make the bench process slower than the server it measures.
 */
export class IpcClient {
  readonly #ws: WebSocket;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  /** Pushed event messages received so far. */
  events = 0;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.isBuffer(data)
          ? data.toString('utf8')
          : Buffer.from(data).toString('utf8');
      if (text.startsWith('{"event"')) {
        this.events++;
        return;
      }
      const message = JSON.parse(text) as { id: number; ok: boolean; value?: unknown; error?: string };
      const waiter = this.#pending.get(message.id);
      if (!waiter) return;
      this.#pending.delete(message.id);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new Error(message.error ?? 'refused'));
    });
    ws.on('close', () => {
      for (const w of this.#pending.values()) w.reject(new Error('the IPC socket closed'));
      this.#pending.clear();
    });
  }

  /** Opens the socket of a browser-mode URL (`http://127.0.0.1:PORT/#token=T`). */
  static open(url: string): Promise<IpcClient> {
    const page = new URL(url);
    const token = new URLSearchParams(page.hash.slice(1)).get('token') ?? '';
    const ws = new WebSocket(`ws://${page.host}/ipc?token=${encodeURIComponent(token)}`, {
      origin: `http://${page.host}`,
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new IpcClient(ws)));
      ws.once('error', reject);
    });
  }

  invoke(channel: string, payload?: unknown): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#ws.send(JSON.stringify({ id, channel, payload }));
    });
  }

  close(): void {
    this.#ws.close();
  }
}

/**
 * Switchboard as the window runs it: browser mode (the app's services, the
 * durable log in its data folder, 50 ms batches to the window) with a
 * window's IPC socket attached, started over that socket in `mode`.
 */
export async function startWindowed(
  options: BenchOptions,
  mode: 'session' | 'one-shot',
): Promise<ServerProcess & { ipc: IpcClient }> {
  const dataDir = await freshDir(options, 'windowed');
  const web = await startWeb(options, dataDir);
  const pid = web.cli.child.pid;
  if (pid === undefined) throw new Error('browser mode has no pid');
  const ipc = await IpcClient.open(web.url);
  const settings = {
    host: HOST,
    port: 0,
    mode,
    maxConnections: 20_000,
    idleTimeoutSec: 300,
    maxLineBytes: 4096,
  };
  const outcome = (await ipc.invoke('server:start', settings)) as
    { ok: true; status: { port: number } } | { ok: false; error: string };
  if (!outcome.ok) {
    ipc.close();
    web.cli.send('quit\n');
    await exitedWithin(web.cli, 30_000);
    throw new Error(`server:start failed: ${outcome.error}`);
  }
  return {
    cli: web.cli,
    port: outcome.status.port,
    pid,
    ipc,
    quit: async () => {
      ipc.close();
      if (web.cli.child.exitCode === null) web.cli.send('quit\n');
      await exitedWithin(web.cli, 30_000);
    },
  };
}
