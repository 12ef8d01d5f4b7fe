/**
 * Browser mode (`npm run web`) against hostile and slow tabs, as a real
 * process: frames ws refuses, tabs that never read under a log flood, and
 * a second process on the same data folder. Each case ends with the process
 * answering, its memory bounded, and Stop (stdin `quit`) prompt.
 */
import { existsSync, promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { buildRenderer } from '../../scripts/build-renderer.js';
import { SOCKET_MESSAGE_LIMIT } from '../../electron/shared/ipc/socket-limits.js';
import type { SocketMessage } from '../../electron/shared/ipc/ipc-contract.js';
import { DEFAULT_SETTINGS } from '../../electron/shared/protocol/settings.js';
import { startWebMode } from '../helpers/browser.js';
import { eventually } from '../helpers/net.js';
import { MemorySampler, ROOT, runTs, type CliProcess } from '../helpers/process.js';
import { frame, rawUpgrade, type RawTab } from '../helpers/websocket.js';
import { sleep, within } from './harness.js';

const MB = 1024 * 1024;
const RSS_LIMIT_MB = 300;
const STOP_LIMIT_MS = 2000;

let dir: string;
beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'out', 'renderer', 'index.html'))) await buildRenderer();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-web-abuse-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Events start so (web-host.ts writes `{"event":…,"payload":…}`): a batch is counted without parsing it. */
const BATCH_PREFIX = Buffer.from('{"event":"log:batch"');

/** A tab as the page is: reads everything, counts log batches, makes requests. */
class ProbeTab {
  readonly batchTimes: number[] = [];
  readonly #waiting = new Map<number, (m: SocketMessage) => void>();
  #id = 0;
  /** Why the host closed this tab, if it did. */
  closed: string | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      // The flood's batches come 5 MB a second to this same process: parsing
      // each one would make the probe the slow reader it is there to rule out.
      if (data.subarray(0, BATCH_PREFIX.length).equals(BATCH_PREFIX)) {
        this.batchTimes.push(performance.now());
        return;
      }
      const m = JSON.parse(data.toString()) as SocketMessage;
      if ('id' in m) this.#waiting.get(m.id)?.(m);
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.closed = `closed by the host: ${code} ${reason.toString()}`;
      for (const settle of this.#waiting.values()) settle({ id: 0, ok: false, error: this.closed });
    });
  }

  static async open(port: number, token: string): Promise<ProbeTab> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ipc?token=${token}`, {
      origin: `http://127.0.0.1:${port}`,
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new ProbeTab(ws);
  }

  call(channel: string, payload?: unknown): Promise<SocketMessage> {
    const id = ++this.#id;
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ id, channel, payload }));
    });
  }

  /** Answered within `ms`, or fails. */
  async answers(ms = 2000): Promise<number> {
    const t0 = performance.now();
    const answer = await within(this.call('app:snapshot'), ms, 'the probe tab’s snapshot');
    expect(this.closed, 'the probe tab, which reads everything, was dropped').toBeNull();
    expect(answer).toMatchObject({ ok: true });
    return performance.now() - t0;
  }
}

async function startWeb(dataDir: string): Promise<{ cli: CliProcess; port: number; token: string }> {
  const { cli, url, port } = await startWebMode(dataDir);
  return { cli, port, token: new URL(url).hash.replace('#token=', '') };
}

/** Stops through stdin; resolves with how long until it exited (0 exit code checked). */
async function stop(cli: CliProcess): Promise<number> {
  const t0 = performance.now();
  cli.send('quit\n');
  expect(await within(cli.exited, 10_000, 'browser mode to exit')).toBe(0);
  return performance.now() - t0;
}

/** Clients that keep `port` busy with SONG (pipelined in rounds), until stopped. */
function flood(port: number, clients = 4): () => void {
  const sockets: net.Socket[] = [];
  for (let i = 0; i < clients; i++) {
    const socket = net.connect(port, '127.0.0.1');
    let outstanding = 0;
    const round = (): void => {
      outstanding += 200;
      socket.write('SONG\n'.repeat(200));
    };
    socket.on('connect', round);
    socket.on('data', (chunk: Buffer) => {
      for (let j = chunk.indexOf(0x0a); j !== -1; j = chunk.indexOf(0x0a, j + 1)) outstanding--;
      if (outstanding < 100) round();
    });
    socket.on('error', () => undefined);
    sockets.push(socket);
  }
  return () => sockets.forEach((s) => s.destroy());
}

function drops(cli: CliProcess): number {
  return cli.stderr.split('\n').filter((l) => l.includes('a tab was dropped')).length;
}

describe('browser mode under hostile tabs', () => {
  it('a frame ws refuses closes that tab only: the process and the other tabs go on', async () => {
    const { cli, port, token } = await startWeb(path.join(dir, 'frames'));
    const probe = await ProbeTab.open(port, token);
    const memory = new MemorySampler(cli.child.pid ?? 0);
    const bad = [
      frame(0x1, Buffer.alloc(0), { length: SOCKET_MESSAGE_LIMIT + 1 }),
      frame(0x1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])),
      frame(0xb, Buffer.from('x')),
      frame(0x1, Buffer.from('{}'), { masked: false }),
    ];
    for (const bytes of bad) {
      const tab = await rawUpgrade(port, token);
      tab.socket.write(bytes);
      const close = await within(tab.closed, 5000, 'the refused tab to be closed');
      if (close.code !== null) expect([1002, 1007, 1009]).toContain(close.code);
      await probe.answers();
    }
    expect(cli.child.exitCode).toBeNull();
    const peak = memory.stop();
    probe.ws.close();
    const stopMs = await stop(cli);
    console.log(`refused frames: peak RSS ${(peak / MB).toFixed(1)} MB, stop ${stopMs.toFixed(0)} ms`);
    expect(stopMs).toBeLessThan(STOP_LIMIT_MS);
    expect(cli.stderr).not.toContain('Unhandled');
  });

  it('20 tabs that never read under a log flood: memory stays bounded, the probe tab keeps its batches', async () => {
    const { cli, port, token } = await startWeb(path.join(dir, 'stalled'));
    const probe = await ProbeTab.open(port, token);
    const started = await probe.call('server:start', { ...DEFAULT_SETTINGS, port: 0, idleTimeoutSec: 0 });
    if (!('ok' in started) || !started.ok) throw new Error(JSON.stringify(started));
    const serverPort = (started.value as { status: { port: number } }).status.port;
    const stalled: RawTab[] = [];
    for (let i = 0; i < 20; i++) stalled.push(await rawUpgrade(port, token, { read: false }));
    const memory = new MemorySampler(cli.child.pid ?? 0);
    const stopFlood = flood(serverPort);
    const probeMs: number[] = [];
    const t0 = performance.now();
    while (performance.now() - t0 < 10_000) {
      await sleep(500);
      probeMs.push(await probe.answers(3000));
    }
    const end = performance.now();
    const peak = memory.stop();
    stopFlood();
    // The batches never paused for long while the others stalled.
    const times = probe.batchTimes.filter((t) => t >= t0);
    let gap = 0;
    for (let i = 1; i < times.length; i++) gap = Math.max(gap, (times[i] ?? 0) - (times[i - 1] ?? 0));
    gap = Math.max(gap, end - (times.at(-1) ?? t0));
    console.log(
      `20 stalled tabs: peak RSS ${(peak / MB).toFixed(1)} MB (from ${(memory.baseline / MB).toFixed(1)}), ` +
        `${times.length} batches to the probe tab, longest gap ${gap.toFixed(0)} ms, ` +
        `worst snapshot ${Math.max(...probeMs).toFixed(0)} ms, ${drops(cli)} tabs dropped`,
    );
    expect(peak / MB).toBeLessThan(RSS_LIMIT_MB);
    expect(gap).toBeLessThan(2000);
    expect(drops(cli)).toBeGreaterThan(0);
    for (const tab of stalled) tab.socket.destroy();
    probe.ws.close();
    const stopMs = await stop(cli);
    console.log(`stop ${stopMs.toFixed(0)} ms`);
    expect(stopMs).toBeLessThan(STOP_LIMIT_MS);
  });

  it('a slow tab is told why it is dropped: close code 4008 and a reason', async () => {
    const { cli, port, token } = await startWeb(path.join(dir, 'told'));
    const probe = await ProbeTab.open(port, token);
    const started = await probe.call('server:start', { ...DEFAULT_SETTINGS, port: 0, idleTimeoutSec: 0 });
    if (!('ok' in started) || !started.ok) throw new Error(JSON.stringify(started));
    const serverPort = (started.value as { status: { port: number } }).status.port;
    const slow = await rawUpgrade(port, token, { read: false });
    const stopFlood = flood(serverPort);
    await eventually(() => drops(cli) > 0, 30_000, 'the slow tab to be dropped');
    slow.socket.resume();
    const close = await within(slow.closed, 10_000, 'the close frame');
    stopFlood();
    expect(close.code).toBe(4008);
    expect(close.reason).toMatch(/^too slow: .*MiB waited unread/);
    await probe.answers();
    probe.ws.close();
    expect(await stop(cli)).toBeLessThan(STOP_LIMIT_MS);
  });
});

describe('two browser-mode processes on one data folder', () => {
  it('the second says which process holds the folder and exits non-zero; a dead one’s lock is taken over', async () => {
    const dataDir = path.join(dir, 'shared');
    const first = await startWeb(dataDir);
    const second = runTs('electron/cli/web.ts', ['--port', '0', '--data-dir', dataDir]);
    expect(await within(second.exited, 20_000, 'the second process to exit')).toBe(1);
    expect(second.stderr).toContain(`is in use by Switchboard process ${first.cli.child.pid ?? 0}`);
    expect(second.stdout).not.toContain('open http');
    // The first one is untouched: its log is still where it writes it.
    const probe = await ProbeTab.open(first.port, first.token);
    await probe.answers();
    probe.ws.close();
    first.cli.kill('SIGKILL');
    await first.cli.exited;
    // A lock left by a killed process is stale: the next start takes it.
    const third = await startWeb(dataDir);
    expect(await stop(third.cli)).toBeLessThan(STOP_LIMIT_MS);
  });
});
