/**
 * 5. The window under a flood, in Chromium through browser mode: clients
 * pipeline `SONG` at a paced rate so that the server logs about 20,000
 * events a second (a line and a reply per command) for 30 seconds, with the
 * page open. Reports the socket messages a second the page receives, its JS
 * heap at the end, its longest main-thread task, how long a click on Stop
 * takes to show `Stopped`, and whether every event reached the durable log.
 *
 * The page is instrumented by an init script (it runs before the page's own
 * code, and CSP does not apply to it): it counts the WebSocket's messages,
 * records long tasks, and times Stop from the click event to the status
 * text changing, inside the page.
 */
import { existsSync, promises as fs } from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Browser, Page } from 'playwright-core';
import { chromiumMissing, launchChromium } from '../helpers/browser.js';
import { occupyPort } from '../helpers/net.js';
import type { CliProcess } from '../helpers/process.js';
import {
  accepted,
  bytes,
  exitedWithin,
  freshDir,
  ms,
  openConnections,
  progress,
  row,
  sleep,
  startWeb,
  verdict,
  type BenchOptions,
  type Row,
} from './lib.js';

const SECTION = '5. The window under a flood (Chromium, browser mode)';
const EVENTS_PER_SECOND = 200_000;
/** Each command is logged twice: its line and its reply. */
const COMMANDS_PER_SECOND = EVENTS_PER_SECOND / 2;
const CONNECTIONS = 20;
const TICK_MS = 10;
/** How long the click on Stop may take to show Stopped before it counts as not shown. */
const STOP_WAIT_MS = 10_000;
const TARGETS = { messagesPerSecond: 20, heapBytes: 150 * 1024 * 1024, longTaskMs: 50, stopMs: 100 };
const LOG_NAME = 'switchboard.jsonl';
const KEEP_ROTATED = 5;

/** What the init script keeps on `window.__bench`. */
interface Probe {
  messages: number;
  messageBytes: number;
  longTasks: number[];
  clickAt: number | null;
  stoppedAt: number | null;
}

const PROBE_SCRIPT = `(() => {
  const probe = { messages: 0, messageBytes: 0, longTasks: [], clickAt: null, stoppedAt: null };
  Object.defineProperty(window, '__bench', { value: probe });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        probe.messages++;
        if (typeof event.data === 'string') probe.messageBytes += event.data.length;
      });
    }
  };
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) probe.longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  probe.reset = () => {
    probe.messages = 0;
    probe.messageBytes = 0;
    probe.longTasks = [];
  };
  probe.watchStop = (button) => {
    probe.clickAt = null;
    probe.stoppedAt = null;
    const status = document.querySelector('[role="status"][aria-label="Server status"]');
    window.addEventListener('click', (event) => {
      if (probe.clickAt === null && event.target instanceof Node && (!button || button.contains(event.target))) {
        // The input event's own time: a busy page that is late to handle it still counts.
        probe.clickAt = Math.min(event.timeStamp, performance.now());
      }
    }, { capture: true });
    const observer = new MutationObserver(() => {
      if (probe.stoppedAt === null && status.textContent.trim() === 'Stopped') {
        probe.stoppedAt = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(status, { subtree: true, childList: true, characterData: true });
  };
})();`;

/** What the flood did, from the clients' side. */
interface FloodLoad {
  sent: number;
  replies: number;
  stop(): void;
}

/** Paces `COMMANDS_PER_SECOND` over `sockets` with timer ticks until stopped. */
function flood(sockets: net.Socket[], maxMs: number): FloodLoad {
  const state = { sent: 0, replies: 0, running: true };
  for (const socket of sockets) {
    socket.on('data', (chunk: Buffer) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) state.replies++;
    });
  }
  const t0 = performance.now();
  let next = 0;
  const tick = (): void => {
    const elapsed = performance.now() - t0;
    if (!state.running || elapsed > maxMs) return;
    let due = Math.floor((elapsed / 1000) * COMMANDS_PER_SECOND) - state.sent;
    // Spread the commands due over the connections, a few per write.
    const per = Math.ceil(due / sockets.length);
    while (due > 0) {
      const socket = sockets[next++ % sockets.length];
      if (!socket) break;
      const k = Math.min(per, due);
      if (!socket.destroyed) socket.write('SONG\n'.repeat(k));
      state.sent += k;
      due -= k;
    }
    setTimeout(tick, TICK_MS);
  };
  tick();
  return {
    get sent() {
      return state.sent;
    },
    get replies() {
      return state.replies;
    },
    stop: () => {
      state.running = false;
    },
  };
}

interface DurableLog {
  lines: number;
  /** Distinct sequence numbers: every event from minSeq to maxSeq is there when this equals maxSeq - minSeq + 1. */
  distinct: number;
  /** The oldest row the files still hold (rotation deletes older files at 200,000 events a second). */
  minSeq: number;
  maxSeq: number;
  kinds: Map<string, number>;
}

/** Reads the durable log, rotated files too, counting lines, sequence numbers and kinds. */
async function readDurableLog(dataDir: string): Promise<DurableLog> {
  const base = path.join(dataDir, 'logs', LOG_NAME);
  const files = [base, ...Array.from({ length: KEEP_ROTATED }, (_, i) => `${base}.${i + 1}`)];
  const seen = new Set<number>();
  const kinds = new Map<string, number>();
  let lines = 0;
  let maxSeq = 0;
  let minSeq = Number.POSITIVE_INFINITY;
  for (const file of files) {
    const text = await fs.readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      if (line === '') continue;
      lines++;
      const entry = JSON.parse(line) as { seq: number; kind: string };
      seen.add(entry.seq);
      maxSeq = Math.max(maxSeq, entry.seq);
      minSeq = Math.min(minSeq, entry.seq);
      kinds.set(entry.kind, (kinds.get(entry.kind) ?? 0) + 1);
    }
  }
  return { lines, distinct: seen.size, minSeq: Number.isFinite(minSeq) ? minSeq : 1, maxSeq, kinds };
}

function unavailable(reason: string): Row[] {
  return [row(SECTION, 'window not available', { switchboard: reason, verdict: 'MISS' })];
}

/** The newest modification time of any file under `dir`, in ms. */
async function newestChange(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const stat = await fs.stat(path.join(entry.parentPath, entry.name)).catch(() => null);
    if (stat) newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

/** The built window's script files. */
async function builtScripts(root: string): Promise<string[]> {
  const dir = path.join(root, 'out', 'renderer', 'assets');
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith('.js')).map((n) => path.join(dir, n));
}

/**
 * True when out/renderer holds React's development build (built with
 * NODE_ENV other than production, e.g. under vitest): several times slower,
 * and not what ships.
 */
async function isDevelopmentBuild(root: string): Promise<boolean> {
  for (const file of await builtScripts(root)) {
    if ((await fs.readFile(file, 'utf8')).includes('jsxDEV')) return true;
  }
  return false;
}

/** Which window was measured: when out/renderer was built, and whether the sources changed since. */
async function describeBuild(root: string, rebuilt: string | null): Promise<string> {
  const built = (await fs.stat(path.join(root, 'out', 'renderer', 'index.html'))).mtimeMs;
  const sources = await newestChange(path.join(root, 'renderer', 'src')).catch(() => 0);
  const when = new Date(built).toISOString().replace('T', ' ').slice(0, 19);
  const state = sources > built ? 'renderer/src changed since (--build)' : 'current';
  return `built ${when} UTC, ${state}${rebuilt ? `; ${rebuilt}` : ''}`;
}

/**
 * Builds the window for production unless a production build is there (or
 * --build asks for a fresh one). Returns why it built, or null.
 */
async function ensureRenderer(root: string, force: boolean): Promise<string | null> {
  let why: string | null = null;
  if (force) why = 'rebuilt (--build)';
  else if (!existsSync(path.join(root, 'out', 'renderer', 'index.html'))) why = 'built: there was none';
  else if (await isDevelopmentBuild(root)) why = 'rebuilt: the build there had React in development mode';
  if (!why) return null;
  progress(`building the window (out/renderer): ${why}`);
  const { buildRenderer } = await import('../../scripts/build-renderer.js');
  // React picks its production build by NODE_ENV at build time.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await buildRenderer();
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  return why;
}

export async function benchFlood(options: BenchOptions): Promise<Row[]> {
  const missing = chromiumMissing();
  if (missing) return unavailable(missing);
  if (!existsSync(path.join(options.root, 'renderer', 'src', 'app.tsx')))
    return unavailable('renderer/src/app.tsx missing');
  let rebuilt: string | null;
  try {
    rebuilt = await ensureRenderer(options.root, options.buildWindow);
  } catch (error) {
    return unavailable(`the window did not build: ${error instanceof Error ? error.message : String(error)}`);
  }
  const build = await describeBuild(options.root, rebuilt);
  const durationMs = options.quick ? 8000 : 30_000;
  const dataDir = await freshDir(options, 'flood-web');
  let web: { cli: CliProcess; url: string; port: number } | null = null;
  let browser: Browser | null = null;
  let sockets: net.Socket[] = [];
  try {
    web = await startWeb(options, dataDir);
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.addInitScript({ content: PROBE_SCRIPT });
    await page.goto(web.url);

    const status = page.getByRole('status', { name: 'Server status' });
    const stopButton = page.getByRole('button', { name: 'Stop', exact: true });
    const startButton = page.getByRole('button', { name: 'Start', exact: true });
    try {
      await status.waitFor({ timeout: 15_000 });
      await stopButton.waitFor({ timeout: 5000 });
    } catch {
      const why = pageErrors[0] ?? 'no status line or Stop button';
      return unavailable(why);
    }

    const { port, release } = await occupyPort();
    await release();
    await page.getByLabel('Port', { exact: true }).fill(String(port));
    await startButton.click();
    await waitForText(page, `Running on 127.0.0.1:${port}`, 10_000);

    sockets = await openConnections(port, CONNECTIONS);
    await accepted(port);
    await sleep(500);
    await page.evaluate('window.__bench.reset()');
    const cdp = await page.context().newCDPSession(page);
    const t0 = performance.now();
    const load = flood(sockets, durationMs + 20_000);
    await sleep(durationMs);
    const probe = await page.evaluate<Probe>('window.__bench');
    const floodSeconds = (performance.now() - t0) / 1000;
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
    progress(
      `flood: ${load.sent} commands sent, ${load.replies} replies in ${floodSeconds.toFixed(1)} s; ` +
        `the page got ${probe.messages} messages and had ${probe.longTasks.length} tasks ≥ 50 ms`,
    );

    // Stop while the flood goes on, as a user would.
    await page.evaluate(
      "window.__bench.watchStop([...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Stop'))",
    );
    const clickT = performance.now();
    // A window too busy to show Stopped is a finding, not a crash: measure the rest anyway.
    let shown = true;
    try {
      await stopButton.click({ timeout: STOP_WAIT_MS });
      await waitForText(page, 'Stopped', STOP_WAIT_MS);
    } catch {
      shown = false;
    }
    const outsideMs = performance.now() - clickT;
    load.stop();
    const after = await page.evaluate<Probe>('window.__bench');
    const stopMs =
      shown && after.clickAt !== null && after.stoppedAt !== null
        ? after.stoppedAt - after.clickAt
        : Number.NaN;
    const longest = Math.max(0, ...after.longTasks);
    const replies = load.replies;

    await browser.close();
    browser = null;
    for (const s of sockets) s.destroy();
    web.cli.send('quit\n');
    await exitedWithin(web.cli, 30_000);
    web = null;
    const log = await readDurableLog(dataDir);

    const messagesPerSecond = probe.messages / floodSeconds;
    const eventsPerSecond = (2 * replies) / floodSeconds;
    // Every sequence number from the oldest kept up, each once; with nothing rotated away, a reply row for every reply a client got.
    const rotated = log.minSeq > 1;
    const complete =
      log.distinct === log.maxSeq - log.minSeq + 1 &&
      log.lines === log.distinct &&
      (rotated || (log.kinds.get('reply') ?? 0) >= replies);
    return [
      row(SECTION, 'window measured (out/renderer)', { switchboard: build }),
      row(SECTION, 'events logged a second (from replies)', {
        switchboard: `${Math.round(eventsPerSecond).toLocaleString('en-US')}/s`,
        target: `${EVENTS_PER_SECOND.toLocaleString('en-US')}/s load`,
      }),
      row(SECTION, 'socket messages a second to the window', {
        switchboard: `${messagesPerSecond.toFixed(1)}/s (${bytes(probe.messageBytes / floodSeconds)}/s)`,
        target: `≤ ${TARGETS.messagesPerSecond}/s`,
        verdict: verdict(messagesPerSecond <= TARGETS.messagesPerSecond),
      }),
      row(SECTION, 'window JS heap at the end', {
        switchboard: bytes(heap.usedSize),
        target: `< ${bytes(TARGETS.heapBytes)}`,
        verdict: verdict(heap.usedSize < TARGETS.heapBytes),
      }),
      row(SECTION, 'longest main-thread task', {
        switchboard: longest === 0 ? 'none ≥ 50 ms' : `${ms(longest)} (${after.longTasks.length} ≥ 50 ms)`,
        target: `≤ ${TARGETS.longTaskMs} ms`,
        verdict: verdict(longest <= TARGETS.longTaskMs),
      }),
      row(SECTION, 'click on Stop → `Stopped` shown', {
        switchboard: shown
          ? `${ms(stopMs)} (${ms(outsideMs)} incl. Playwright)`
          : `not shown within ${STOP_WAIT_MS / 1000} s`,
        target: `≤ ${TARGETS.stopMs} ms`,
        verdict: verdict(stopMs <= TARGETS.stopMs),
      }),
      row(SECTION, 'events in the durable log', {
        switchboard: `${log.distinct.toLocaleString('en-US')} of ${(log.maxSeq - log.minSeq + 1).toLocaleString('en-US')}${rotated ? ` kept (rows 1–${(log.minSeq - 1).toLocaleString('en-US')} rotated away)` : ''} (${(log.kinds.get('reply') ?? 0).toLocaleString('en-US')} replies, ${replies.toLocaleString('en-US')} received)`,
        target: 'all, no gap',
        verdict: verdict(complete),
      }),
    ];
  } catch (error) {
    return unavailable(error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error));
  } finally {
    for (const s of sockets) s.destroy();
    await browser?.close();
    if (web) {
      web.cli.send('quit\n');
      await exitedWithin(web.cli, 30_000);
    }
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

/** Waits until the status line reads exactly `text`. */
async function waitForText(page: Page, text: string, timeoutMs: number): Promise<void> {
  const status = page.getByRole('status', { name: 'Server status' });
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const now = ((await status.textContent()) ?? '').trim();
    if (now === text) return;
    if (performance.now() > deadline) throw new Error(`status read "${now}", not "${text}"`);
    await sleep(20);
  }
}
