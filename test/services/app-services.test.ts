import { execFileSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BATCH_INTERVAL_MS,
  createAppServices,
  type AppServices,
} from '../../electron/services/app-services.js';
import { BUILT_IN_PRESETS } from '../../electron/services/builtin-presets.js';
import type { EventChannel, EventMap, EventSink } from '../../electron/shared/ipc/ipc-contract.js';
import { CLASSIC_TABLE, type CommandTable } from '../../electron/shared/protocol/command-table.js';
import {
  EMPTY_STATS,
  type LogBatch,
  type LogEntry,
  type ServerStatus,
} from '../../electron/shared/ipc/models.js';
import { DEFAULT_SETTINGS, type ServerSettings } from '../../electron/shared/protocol/settings.js';
import { PlainServer, RawClient, eventually, exchange, isRefused, occupyPort } from '../helpers/net.js';
import { SONG_LINE as SONG } from '../helpers/classic.js';

const SETTINGS: ServerSettings = { ...DEFAULT_SETTINGS, port: 0, idleTimeoutSec: 0 };

let dir = '';
const running: AppServices[] = [];
const closers: (() => Promise<unknown>)[] = [];
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-app-'));
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
  await Promise.all(running.splice(0).map((s) => s.shutdown()));
  await fs.rm(dir, { recursive: true, force: true });
});

/** Everything pushed to a window, with when it arrived. */
class Window {
  readonly messages: { channel: EventChannel; payload: EventMap[EventChannel]; at: number }[] = [];
  readonly sink: EventSink = (channel, payload) => {
    this.messages.push({ channel, payload, at: performance.now() });
  };

  of<K extends EventChannel>(channel: K): EventMap[K][] {
    return this.messages.filter((m) => m.channel === channel).map((m) => m.payload as EventMap[K]);
  }

  get batches(): LogBatch[] {
    return this.of('log:batch');
  }

  get entries(): LogEntry[] {
    return this.batches.flatMap((b) => b.entries);
  }

  get statuses(): ServerStatus[] {
    return this.of('server:status');
  }
}

async function services(dataDir = dir): Promise<{ app: AppServices; window: Window }> {
  const app = await createAppServices({ dataDir });
  running.push(app);
  const window = new Window();
  app.subscribe(window.sink);
  return { app, window };
}

async function startOnFreePort(app: AppServices, settings: Partial<ServerSettings> = {}): Promise<number> {
  const outcome = await app.handlers['server:start']({ ...SETTINGS, ...settings });
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.status.port;
}

describe('the server through the handlers', () => {
  it('starts on port 0, and a window sees the status and the rows of a real connection', async () => {
    const { app, window } = await services();
    const outcome = await app.handlers['server:start'](SETTINGS);
    expect(outcome.ok).toBe(true);
    const port = outcome.status.port;
    expect(outcome.status).toEqual({
      state: 'running',
      host: '127.0.0.1',
      port,
      text: `Running on 127.0.0.1:${port}`,
    });
    expect(window.statuses.map((s) => s.state)).toEqual(['starting', 'running']);

    const client = await RawClient.connect(port);
    const remote = `127.0.0.1:${client.socket.localPort}`;
    client.write('SONG\n');
    await client.waitFor(`${SONG}\r\n`);
    await eventually(() => window.entries.some((e) => e.kind === 'reply'), 5000, 'the reply row');
    expect(window.entries.map((e) => [e.kind, e.remote, e.detail])).toEqual([
      ['listening', '', `listening on 127.0.0.1:${port}`],
      ['open', remote, 'connected'],
      ['line', remote, 'SONG'],
      ['reply', remote, `${SONG} (37 bytes)`],
    ]);
    const last = window.batches.at(-1);
    expect(last?.stats).toMatchObject({ active: 1, total: 1, commands: 1 });
    expect(last?.skipped).toBeUndefined();
    client.destroy();
  });

  it('refuses invalid settings with a message naming the field, and starts nothing', async () => {
    const { app, window } = await services();
    const outcome = await app.handlers['server:start']({ ...SETTINGS, port: 70000 });
    expect(outcome).toEqual({
      ok: false,
      status: { state: 'stopped', host: '', port: 0, text: 'Stopped' },
      error: 'invalid settings: port: port must be 0 to 65535',
    });
    expect(app.server.server.state).toBe('stopped');
    expect(window.statuses).toEqual([]);
    await expect(fs.access(path.join(dir, 'settings.json'))).rejects.toThrow();
  });

  it('reports a busy port as a failed status, and still remembers the settings', async () => {
    const busy = await occupyPort();
    closers.push(() => busy.release());
    const { app } = await services();
    const outcome = await app.handlers['server:start']({ ...SETTINGS, port: busy.port });
    expect(outcome).toMatchObject({ ok: false, error: `port ${busy.port} on 127.0.0.1 is already in use` });
    expect(outcome.status.state).toBe('failed');
    const snapshot = await app.handlers['app:snapshot'](undefined);
    expect(snapshot.settings.settings.port).toBe(busy.port);
  });

  it('saves the settings on start, and a second instance on the same folder restores them', async () => {
    const custom: ServerSettings = { ...SETTINGS, mode: 'one-shot', maxConnections: 7, maxLineBytes: 99 };
    const first = await services();
    await startOnFreePort(first.app, custom);
    await first.app.shutdown();
    const second = await services();
    const snapshot = await second.app.handlers['app:snapshot'](undefined);
    expect(snapshot.settings).toEqual({ settings: custom });
  });

  it('settings:save stores valid settings and refuses invalid ones by field', async () => {
    const { app } = await services();
    const custom = { ...SETTINGS, port: 4321 };
    expect(await app.handlers['settings:save'](custom)).toEqual({ ok: true, settings: { settings: custom } });
    expect(await app.handlers['settings:save']({ ...custom, maxConnections: 0 })).toEqual({
      ok: false,
      error: 'invalid settings: maxConnections: max connections must be at least 1',
    });
    expect((await app.handlers['app:snapshot'](undefined)).settings).toEqual({ settings: custom });
  });

  it('server:stop stops it, and the window sees Stopped', async () => {
    const { app, window } = await services();
    const port = await startOnFreePort(app);
    const client = await RawClient.connect(port);
    await eventually(() => app.server.stats.active === 1);
    const outcome = await app.handlers['server:stop'](undefined);
    expect(outcome).toMatchObject({ closed: 1, status: { state: 'stopped', text: 'Stopped' } });
    await client.waitClosed();
    expect(window.statuses.map((s) => s.state)).toEqual(['starting', 'running', 'stopping', 'stopped']);
    // The rows up to the stop reach the window before the Stopped status.
    const stoppedAt = window.messages.findIndex(
      (m) => m.channel === 'server:status' && (m.payload as ServerStatus).state === 'stopped',
    );
    const closeAt = window.messages.findIndex(
      (m) => m.channel === 'log:batch' && (m.payload as LogBatch).entries.some((e) => e.kind === 'close'),
    );
    expect(closeAt).toBeGreaterThan(-1);
    expect(closeAt).toBeLessThan(stoppedAt);
    expect(await isRefused(port)).toBe(true);
  });
});

describe('log streaming under load', () => {
  it('sends at most ~20 batches a second under a flood, with no row lost unless reported skipped', async () => {
    const { app, window } = await services();
    const port = await startOnFreePort(app);

    // A few clients pipeline thousands of commands for about a second,
    // each sending the next burst once the previous one is answered.
    const clients = 4;
    const burst = 250;
    const commands = await flood(port, () => 'SONG', { floodMs: 1000, clients, burst });
    await eventually(
      () => window.entries.filter((e) => e.kind === 'close').length === clients || skippedTotal(window) > 0,
      10_000,
      'the close rows',
    );
    await new Promise((resolve) => setTimeout(resolve, BATCH_INTERVAL_MS * 3));
    const snapshot = await app.handlers['app:snapshot'](undefined);
    const batches = window.batches;

    // Rate: no window of one second holds more than 21 batches.
    expect(busiestSecond(window, 'log:batch')).toBeLessThanOrEqual(21);
    expect(batches.length).toBeGreaterThanOrEqual(5);

    // Completeness: each batch starts right after the last one, but for the rows it says it skipped.
    let next = 1;
    for (const batch of batches) {
      expect(batch.entries.length).toBeGreaterThan(0);
      expect(batch.entries[0]?.seq).toBe(next + (batch.skipped ?? 0));
      batch.entries.forEach((e, i) => expect(e.seq).toBe((batch.entries[0]?.seq ?? 0) + i));
      next = (batch.entries.at(-1)?.seq ?? 0) + 1;
    }
    // listening + per client (open + close) + per command (line + reply)
    const rows = 1 + clients * 2 + commands * 2;
    expect(next - 1).toBe(rows);
    expect(window.entries.length + skippedTotal(window)).toBe(rows);
    expect(commands).toBeGreaterThanOrEqual(clients * burst);
    expect(snapshot.stats).toMatchObject({ active: 0, total: clients, commands });
    expect(snapshot.recent.at(-1)?.seq).toBe(rows);
  }, 30_000);
});

function skippedTotal(window: Window): number {
  return window.batches.reduce((sum, b) => sum + (b.skipped ?? 0), 0);
}

describe('snapshot', () => {
  it('returns the status, recent rows, settings, stats, client state and transcript', async () => {
    const { app } = await services();
    const port = await startOnFreePort(app);
    const client = await RawClient.connect(port);
    client.end('QUOTE\n');
    await client.waitClosed();
    await eventually(() => app.server.stats.active === 0);
    const sent = await app.handlers['client:send']({
      host: '127.0.0.1',
      port,
      line: 'SONG',
      lineEnding: 'lf',
    });
    expect(sent.ok).toBe(true);
    await eventually(() => app.client.transcript.some((e) => e.kind === 'reply'));

    const snapshot = await app.handlers['app:snapshot'](undefined);
    expect(snapshot.status).toEqual({
      state: 'running',
      host: '127.0.0.1',
      port,
      text: `Running on 127.0.0.1:${port}`,
    });
    expect(snapshot.settings).toEqual({ settings: SETTINGS });
    expect(snapshot.client).toEqual({ connected: true, target: { host: '127.0.0.1', port } });
    expect(snapshot.clientHistory).toEqual(['SONG']);
    expect(snapshot.transcript.map((e) => e.kind)).toEqual(['connecting', 'connected', 'sent', 'reply']);
    expect(snapshot.recent.slice(0, 6).map((e) => e.kind)).toEqual([
      'listening',
      'open',
      'line',
      'reply',
      'close',
      'open',
    ]);
    expect(snapshot.recent.map((e) => e.seq)).toEqual(snapshot.recent.map((_, i) => i + 1));
    expect(snapshot.stats).toMatchObject({ total: 2, commands: 2 });
  });

  it('has the defaults and no problem on a fresh data folder', async () => {
    const { app } = await services();
    const snapshot = await app.handlers['app:snapshot'](undefined);
    expect(snapshot).toMatchObject({
      status: { state: 'stopped', host: '', port: 0, text: 'Stopped' },
      stats: EMPTY_STATS,
      recent: [],
      settings: { settings: DEFAULT_SETTINGS },
      client: { connected: false, target: null },
      clientHistory: [],
      transcript: [],
    });
    expect(snapshot.settings.problem).toBeUndefined();
    expect(path.dirname(snapshot.logFile)).toBe(path.join(dir, 'logs'));
  });

  it('reports a damaged settings file as a problem, with the defaults', async () => {
    await fs.writeFile(path.join(dir, 'settings.json'), '{ nope');
    const { app } = await services();
    const { settings } = await app.handlers['app:snapshot'](undefined);
    expect(settings.settings).toEqual(DEFAULT_SETTINGS);
    expect(settings.problem).toContain(`${path.join(dir, 'settings.json')} is damaged`);
  });
});

/** Whether this machine lets the tests mount (root in a container usually may): for a real read-only folder. */
function canMount(): boolean {
  try {
    execFileSync('mount', ['--version'], { stdio: 'ignore' });
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
}

describe('a data folder that cannot be used as it is', () => {
  it('starts with defaults when settings.json is a named pipe (no hang) and commands.json a folder', async () => {
    execFileSync('mkfifo', [path.join(dir, 'settings.json')]);
    await fs.mkdir(path.join(dir, 'commands.json'));
    const { app } = await services();
    const snapshot = await app.handlers['app:snapshot'](undefined);
    expect(snapshot.settings.settings).toEqual(DEFAULT_SETTINGS);
    expect(snapshot.startProblems).toEqual([
      expect.stringMatching(
        /settings\.json \(it is a named pipe \(FIFO\), not a file\); using default settings$/,
      ),
      expect.stringMatching(/commands\.json \(it is a folder, not a file\); serving the classic table$/),
    ]);
    expect(app.startProblems).toEqual(snapshot.startProblems);
  });

  it('starts when previous.jsonl is a folder, keeps the last run’s log, and reads the previous run without failing', async () => {
    await fs.mkdir(path.join(dir, 'logs', 'previous.jsonl', 'inner'), { recursive: true });
    await fs.writeFile(path.join(dir, 'logs', 'switchboard.jsonl'), '{"seq":1}\n');
    const { app } = await services();
    expect(app.startProblems).toEqual([
      expect.stringContaining(
        `could not delete the older run's log ${path.join(dir, 'logs', 'previous.jsonl')}`,
      ),
      expect.stringContaining("could not keep the last run's log"),
    ]);
    const previous = await app.handlers['log:previous'](undefined);
    expect(previous.problem).toMatch(/could not read the previous log: it is a folder, not a file/);
    // The run goes on, appending to the last run's file.
    const port = await startOnFreePort(app);
    expect(await exchange(port, 'SONG\n')).toBe(`${SONG}\r\n`);
  });

  it.skipIf(!canMount())(
    'starts on a read-only folder holding a previous run, and says at once that the log cannot be written',
    async () => {
      await fs.mkdir(path.join(dir, 'logs'));
      await fs.writeFile(path.join(dir, 'logs', 'switchboard.jsonl'), '{"seq":1}\n');
      execFileSync('mount', ['--bind', dir, dir]);
      try {
        execFileSync('mount', ['-o', 'remount,bind,ro', dir]);
        const { app, window } = await services();
        expect(app.startProblems).toEqual([
          expect.stringMatching(/could not keep the last run's log .*EROFS/),
        ]);
        const port = await startOnFreePort(app);
        expect(await exchange(port, 'SONG\n')).toBe(`${SONG}\r\n`);
        await eventually(
          () => window.of('stats:update').some((u) => /EROFS/.test(u.logProblem ?? '')),
          5000,
          'the log problem in the window',
        );
        await app.shutdown();
      } finally {
        execFileSync('umount', [dir]);
      }
    },
  );
});

describe('the test client through the handlers', () => {
  it('client:send gets the replies to the window in client:batch messages', async () => {
    const { app, window } = await services();
    const port = await startOnFreePort(app);
    const outcome = await app.handlers['client:send']({
      host: '127.0.0.1',
      port,
      line: 'HAIKU',
      lineEnding: 'crlf',
    });
    expect(outcome).toEqual({
      ok: true,
      state: { connected: true, target: { host: '127.0.0.1', port } },
    });
    const events = (): string[] =>
      window.of('client:batch').flatMap((b) => b.events.map((e) => `${e.kind}: ${e.text}`));
    await eventually(() => events().filter((e) => e.startsWith('reply')).length === 5);
    expect(events()).toEqual([
      `connecting: connecting to 127.0.0.1:${port}…`,
      `connected: connected to 127.0.0.1:${port}`,
      'sent: HAIKU',
      'reply: A haiku on "Error 404"',
      'reply: ',
      'reply:   You step in the stream,',
      'reply:   But the water has moved on.',
      'reply:   This file is not here.',
    ]);
    expect(window.of('client:batch').at(-1)?.state).toEqual({
      connected: true,
      target: { host: '127.0.0.1', port },
    });
  });

  it('client:disconnect closes the connection and the window sees it', async () => {
    const { app, window } = await services();
    const target = await PlainServer.start();
    closers.push(() => target.close());
    await app.handlers['client:send']({ host: '127.0.0.1', port: target.port, line: 'x', lineEnding: 'lf' });
    const state = await app.handlers['client:disconnect'](undefined);
    expect(state).toEqual({
      connected: false,
      target: { host: '127.0.0.1', port: target.port },
    });
    await eventually(() => window.of('client:batch').some((b) => b.events.some((e) => e.kind === 'closed')));
    expect(window.of('client:batch').at(-1)?.state.connected).toBe(false);
    await eventually(
      () => target.sockets[0]?.readableEnded === true || target.sockets[0]?.destroyed === true,
    );
  });
});

describe('shutdown', () => {
  it('stops the server, closes every connection and the test client, and writes the log file', async () => {
    const { app, window } = await services();
    const port = await startOnFreePort(app);
    const clients = await Promise.all([RawClient.connect(port), RawClient.connect(port)]);
    clients[0].write('SONG\n');
    await clients[0].waitFor(SONG);
    await app.handlers['client:send']({ host: '127.0.0.1', port, line: 'QUOTE', lineEnding: 'crlf' });
    await eventually(() => app.server.stats.active === 3);

    await app.shutdown();
    await Promise.all(clients.map((c) => c.waitClosed()));
    expect(await isRefused(port)).toBe(true);
    expect(app.server.server.state).toBe('stopped');
    expect(app.client.state.connected).toBe(false);
    expect(window.statuses.at(-1)?.state).toBe('stopped');
    // Every row reached the window before shutdown returned.
    const entries = window.entries;
    expect(entries.at(-1)?.kind).toBe('stopped');
    expect(entries.at(-1)?.detail).toBe('stopped (3 connections closed)');
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));

    const logged = (await fs.readFile(app.logFile.file, 'utf8'))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as LogEntry);
    // The durable log keeps each row whole, typed fields included (dir, text, bytes, reason…).
    expect(logged).toEqual(entries.map(durablePart));
  });
});

/** A row as the durable log writes it: the whole row, typed fields included (README.md, the durable log). */
function durablePart(e: LogEntry): LogEntry {
  return JSON.parse(JSON.stringify(e)) as LogEntry;
}

/**
 * Pipelines `lines` in bursts on a few connections for about `floodMs`,
 * each connection sending its next burst once the last one is answered;
 * resolves with how many lines were sent, once every connection is closed.
 */
async function flood(
  port: number,
  lineAt: (i: number) => string,
  { floodMs = 1200, clients = 3, burst = 100 }: { floodMs?: number; clients?: number; burst?: number } = {},
): Promise<number> {
  let sent = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const socket = net.connect({ port, host: '127.0.0.1' });
      await new Promise((resolve) => socket.once('connect', resolve));
      let answered = 0;
      let wanted = 0;
      let wake: (() => void) | null = null;
      socket.on('data', (chunk: Buffer) => {
        for (const byte of chunk) if (byte === 0x0a) answered++;
        if (answered >= wanted) wake?.();
      });
      while (performance.now() - start < floodMs) {
        let text = '';
        for (let i = 0; i < burst; i++) text += `${lineAt(sent++)}\n`;
        wanted += burst;
        const done = new Promise<void>((resolve) => (wake = resolve));
        socket.write(text);
        await done;
      }
      await new Promise<void>((resolve) => socket.end(resolve));
      await new Promise((resolve) => socket.once('close', resolve));
    }),
  );
  return sent;
}

/** The most messages on `channel` that arrived within any one second. */
function busiestSecond(window: Window, channel: EventChannel): number {
  const times = window.messages.filter((m) => m.channel === channel).map((m) => m.at);
  let worst = 0;
  for (const start of times)
    worst = Math.max(worst, times.filter((t) => t >= start && t < start + 1000).length);
  return worst;
}

/** Classic, then the presets shipped in presets/: listed before any saved preset. */
const BUILT_INS = [
  { name: 'Classic', builtIn: true, table: CLASSIC_TABLE },
  ...BUILT_IN_PRESETS.map((p) => ({ ...p, builtIn: true })),
];
const BUILT_IN_NAMES = BUILT_INS.map((p) => p.name);

const PING_TABLE: CommandTable = {
  commands: [
    { name: 'PING', reply: 'PONG {count}' },
    { pattern: '^GET (\\w+)$', reply: ['VALUE {1}', 'END'] },
  ],
};

describe('the command table through the handlers', () => {
  it('commands:apply changes what the running server answers, on a connection already open', async () => {
    const { app, window } = await services();
    const port = await startOnFreePort(app);
    const client = await RawClient.connect(port);
    closers.push(() => {
      client.destroy();
      return client.closed;
    });
    client.write('SONG\n');
    await client.waitFor(`${SONG}\r\n`);

    const outcome = await app.handlers['commands:apply'](PING_TABLE);
    expect(outcome).toEqual({
      ok: true,
      state: {
        table: PING_TABLE,
        presets: BUILT_INS,
        inbox: [],
      },
    });
    expect(window.of('commands:state').at(-1)?.table).toEqual(PING_TABLE);

    client.write('PING\nGET key\nSONG\n');
    const text = await client.waitFor((t) => t.endsWith('Unknown command: SONG\r\n'));
    expect(text).toBe(`${SONG}\r\nPONG 1\r\nVALUE key\r\nEND\r\nUnknown command: SONG\r\n`);
    expect(client.isClosed).toBe(false);
    expect((await app.handlers['app:snapshot'](undefined)).commands.table).toEqual(PING_TABLE);
  });

  it('commands:apply refuses a bad table with its issues, and the server answers as before', async () => {
    const { app, window } = await services();
    const port = await startOnFreePort(app);
    const bad: CommandTable = {
      commands: [
        { name: 'PING', reply: 'x' },
        { pattern: '(?<=a)b', reply: 'y' },
      ],
    };
    const outcome = await app.handlers['commands:apply'](bad);
    const message =
      'invalid pattern: invalid named capture: `(?<=a)b` (lookahead and lookbehind are not supported: patterns use RE2 syntax)';
    expect(outcome).toEqual({
      ok: false,
      issues: [{ rule: 1, field: 'pattern', message }],
      error: `rule 2, pattern: ${message}`,
    });
    expect(window.of('commands:state')).toEqual([]);
    expect(await exchange(port, 'PING\nSONG\n')).toBe(`Unknown command: PING\r\n${SONG}\r\n`);
  });

  it('a table applied in one run is served in the next', async () => {
    const first = await services();
    expect((await first.app.handlers['commands:apply'](PING_TABLE)).ok).toBe(true);
    await first.app.shutdown();
    const second = await services();
    const port = await startOnFreePort(second.app);
    expect(await exchange(port, 'ping\n')).toBe('PONG 1\r\n');
  });

  it('pushes a saved preset alone, not every preset, and nothing of them while the inbox fills', async () => {
    const { app, window } = await services();
    const big = (n: number): CommandTable => ({
      commands: [{ name: `BIG${n}`, reply: Array.from({ length: 8 }, () => 'x'.repeat(60_000)) }],
    });
    for (let i = 0; i < 5; i++)
      await app.handlers['commands:savePreset']({ name: `Big ${i}`, table: big(i) });
    const before = window.of('commands:state').length;
    await app.handlers['commands:savePreset']({ name: 'Small', table: PING_TABLE });
    app.commands.noteUnknown('nope', 1);
    await app.handlers['commands:clearInbox'](undefined);
    const pushed = window.of('commands:state').slice(before);
    expect(pushed).toHaveLength(2);
    // Five presets of 480 KB are on record; the pushes carry a few hundred bytes.
    for (const update of pushed) expect(JSON.stringify(update).length).toBeLessThan(1000);
    const snapshot = await app.handlers['app:snapshot'](undefined);
    expect(snapshot.commands.presets.map((p) => p.name)).toEqual([
      ...BUILT_IN_NAMES,
      'Big 0',
      'Big 1',
      'Big 2',
      'Big 3',
      'Big 4',
      'Small',
    ]);
  });

  it('presets and the inbox through their channels, each change pushed as commands:state', async () => {
    const { app, window } = await services();
    const saved = await app.handlers['commands:savePreset']({ name: 'Pinger', table: PING_TABLE });
    expect(saved.ok && saved.state.presets.map((p) => p.name)).toEqual([...BUILT_IN_NAMES, 'Pinger']);
    const deleted = await app.handlers['commands:deletePreset']({ name: 'Pinger' });
    expect(deleted.ok && deleted.state.presets.map((p) => p.name)).toEqual(BUILT_IN_NAMES);
    app.commands.noteUnknown('x', 1);
    const cleared = await app.handlers['commands:clearInbox'](undefined);
    expect(cleared.inbox).toEqual([]);
    // What changed only: the preset saved, then the name deleted, then the inbox alone.
    const withoutInbox = window.of('commands:state').map((update) => {
      const { inbox, ...rest } = update;
      expect(Array.isArray(inbox)).toBe(true);
      return rest;
    });
    expect(withoutInbox).toEqual([
      { presetsSaved: [{ name: 'Pinger', builtIn: false, table: { ...PING_TABLE, name: 'Pinger' } }] },
      { presetsDeleted: ['Pinger'] },
      {},
    ]);
    expect(window.of('commands:state').at(-1)?.inbox).toEqual([]);
  });
});

describe('the unknown-command inbox and the live stats under a flood', () => {
  it('gathers unknown lines with their counts, pushing commands:state and stats:update at most ~4 times a second', async () => {
    // The counters travel with the log batches (every change comes with a row); stats:update brings the series.
    const { app, window } = await services();
    const port = await startOnFreePort(app);
    const sent = await flood(port, (i) => `nope ${i % 7}`);
    await eventually(
      () => (window.of('commands:state').at(-1)?.inbox ?? []).reduce((n, u) => n + u.count, 0) === sent,
      5000,
      'the inbox to count every line',
    );
    await eventually(
      () => window.of('log:batch').at(-1)?.stats.commands === sent,
      5000,
      'the stats to count every line',
    );

    const inbox = window.of('commands:state').at(-1)?.inbox ?? [];
    expect(inbox.map((u) => u.line).sort()).toEqual([
      'nope 0',
      'nope 1',
      'nope 2',
      'nope 3',
      'nope 4',
      'nope 5',
      'nope 6',
    ]);
    for (const item of inbox) {
      const k = Number(item.line.slice(5));
      expect(item.count).toBe(Math.floor(sent / 7) + (k < sent % 7 ? 1 : 0));
    }
    expect(sent).toBeGreaterThanOrEqual(300);
    expect(busiestSecond(window, 'commands:state')).toBeLessThanOrEqual(5);
    expect(busiestSecond(window, 'stats:update')).toBeLessThanOrEqual(5);
    expect(window.of('commands:state').length).toBeGreaterThanOrEqual(2);
    expect(window.of('stats:update').length).toBeGreaterThanOrEqual(2);
  }, 30_000);

  it('puts the commands sent and the connection opened in the series’ newest buckets', async () => {
    const { app, window } = await services();
    const port = await startOnFreePort(app);
    const client = await RawClient.connect(port);
    client.write('SONG\n'.repeat(25));
    await client.waitFor((t) => t.split('\n').length === 26);
    client.destroy();
    const sum = (xs: number[] = []): number => xs.reduce((a, b) => a + b, 0);
    await eventually(
      () => window.of('log:batch').at(-1)?.stats.commands === 25,
      5000,
      'a log batch counting every command',
    );
    await eventually(
      () => sum(window.of('stats:update').at(-1)?.series.commands) === 25,
      5000,
      'a stats update counting every command',
    );
    const update = window.of('stats:update').at(-1);
    const series = update?.series;
    const nowSecond = Math.floor(Date.now() / 1000);
    expect(series?.end).toBeGreaterThanOrEqual(nowSecond - 1);
    expect(series?.end).toBeLessThanOrEqual(nowSecond);
    expect(series?.commands).toHaveLength(300);
    expect(series?.connections).toHaveLength(300);
    expect(sum(series?.commands)).toBe(25);
    expect(sum(series?.commands.slice(-3))).toBe(25);
    expect(sum(series?.connections)).toBe(1);
    expect(sum(series?.connections.slice(-3))).toBe(1);
  });
});

describe('the previous run’s log', () => {
  it('log:previous gives the last run’s entries once a new run has started on the same folder', async () => {
    const first = await services();
    expect(await first.app.handlers['log:previous'](undefined)).toEqual({
      files: [],
      entries: [],
      truncated: 0,
    });
    const port = await startOnFreePort(first.app);
    expect(await exchange(port, 'SONG\n')).toBe(`${SONG}\r\n`);
    await first.app.shutdown();
    const lastRun = first.window.entries;
    expect(lastRun.at(-1)?.kind).toBe('stopped');

    const second = await services();
    const previous = await second.app.handlers['log:previous'](undefined);
    expect(previous).toEqual({
      files: [path.join(dir, 'logs', 'previous.jsonl')],
      entries: lastRun.map(durablePart),
      truncated: 0,
    });
    // The new run logs to a fresh file.
    await startOnFreePort(second.app);
    await second.app.shutdown();
    const current = (await fs.readFile(second.app.logFile.file, 'utf8')).split('\n').filter((l) => l !== '');
    expect(current.map((l) => (JSON.parse(l) as LogEntry).seq)).toEqual(current.map((_, i) => i + 1));
    expect(current.map((l) => (JSON.parse(l) as LogEntry).kind)).toEqual(['listening', 'stopped']);
  });
});

describe('the test client’s connect and clear', () => {
  it('client:connect connects without sending, and the window sees it', async () => {
    const { app, window } = await services();
    const target = await PlainServer.start();
    closers.push(() => target.close());
    const outcome = await app.handlers['client:connect']({ host: '127.0.0.1', port: target.port });
    const state = { connected: true, target: { host: '127.0.0.1', port: target.port } };
    expect(outcome).toEqual({ ok: true, state });
    await eventually(() => window.of('client:batch').flatMap((b) => b.events).length === 2);
    expect(window.of('client:batch').flatMap((b) => b.events.map((e) => e.kind))).toEqual([
      'connecting',
      'connected',
    ]);
    expect(window.of('client:batch').at(-1)?.state).toEqual(state);
    await eventually(() => target.connections === 1);
    expect(target.bytes().length).toBe(0);
  });

  it('client:connect refuses a bad target', async () => {
    const { app } = await services();
    expect(await app.handlers['client:connect']({ host: '127.0.0.1', port: 0 })).toEqual({
      ok: false,
      error: 'invalid client port 0: use 1 to 65535',
      state: { connected: false, target: null },
    });
  });

  it('client:clear empties the transcript the snapshot gives, and keeps the history', async () => {
    const { app } = await services();
    const port = await startOnFreePort(app);
    await app.handlers['client:send']({ host: '127.0.0.1', port, line: 'SONG', lineEnding: 'crlf' });
    await eventually(() => app.client.transcript.some((e) => e.kind === 'reply'));
    const state = await app.handlers['client:clear'](undefined);
    expect(state).toEqual({ connected: true, target: { host: '127.0.0.1', port } });
    const snapshot = await app.handlers['app:snapshot'](undefined);
    expect(snapshot.transcript).toEqual([]);
    expect(snapshot.clientHistory).toEqual(['SONG']);
  });
});

describe('the snapshot’s newer parts', () => {
  it('includes the series, the command table state, the log file and the client history', async () => {
    const first = await services();
    const port = await startOnFreePort(first.app);
    await first.app.handlers['client:send']({ host: '127.0.0.1', port, line: 'QUOTE', lineEnding: 'lf' });
    await first.app.handlers['commands:savePreset']({ name: 'Pinger', table: PING_TABLE });
    await eventually(() => {
      try {
        return readFileSync(path.join(dir, 'client-history.json'), 'utf8').includes('QUOTE');
      } catch {
        return false;
      }
    });
    await first.app.shutdown();

    const { app } = await services();
    app.commands.noteUnknown('WHAT', 5);
    const snapshot = await app.handlers['app:snapshot'](undefined);
    expect(snapshot.logFile).toBe(path.join(dir, 'logs', 'switchboard.jsonl'));
    expect(snapshot.clientHistory).toEqual(['QUOTE']);
    expect(snapshot.commands).toEqual({
      table: CLASSIC_TABLE,
      presets: [...BUILT_INS, { name: 'Pinger', builtIn: false, table: { ...PING_TABLE, name: 'Pinger' } }],
      inbox: [{ line: 'WHAT', count: 1, lastAt: 5 }],
    });
    expect(snapshot.series.connections).toEqual(new Array(300).fill(0));
    expect(snapshot.series.commands).toEqual(new Array(300).fill(0));
    expect(Math.abs(snapshot.series.end - Math.floor(Date.now() / 1000))).toBeLessThanOrEqual(1);
  });
});

describe('a log file that cannot be written', () => {
  it('is reported in the snapshot and the stats updates, and serving goes on', async () => {
    // logs/ is a file, so the log file can never be created.
    await fs.writeFile(path.join(dir, 'logs'), 'in the way');
    const { app, window } = await services();
    const port = await startOnFreePort(app);
    expect(await exchange(port, 'SONG\n')).toBe(`${SONG}\r\n`);
    await app.logFile.flush();
    const snapshot = await app.handlers['app:snapshot'](undefined);
    expect(snapshot.logProblem).toMatch(/^could not write the log .*logs\/switchboard\.jsonl: /);
    await eventually(
      () => window.of('stats:update').some((u) => u.logProblem !== undefined),
      5000,
      'a stats update',
    );
    expect(await exchange(port, 'QUOTE\n')).toBe('And now for something completely different...\r\n');
  });
});

describe('a reloaded window', () => {
  it('gets back every row the window holds, far more than one batch', async () => {
    const { app } = await services();
    const port = await startOnFreePort(app);
    // 1,200 commands on one connection: 2,400 rows plus open and listening, over RECENT_ROWS (2,000).
    const lines = Array.from({ length: 1200 }, (_, i) => `L${i}\n`).join('');
    const c = await RawClient.connect(port);
    c.write(lines);
    await eventually(() => app.server.stats.commands === 1200, 10_000);
    const snapshot = await app.handlers['app:snapshot'](undefined);
    expect(snapshot.recent.length).toBeGreaterThanOrEqual(2402);
    expect(snapshot.recent[0]?.kind).toBe('listening');
    c.destroy();
  });

  it('log:clear keeps the log cleared through a reload; later rows still come', async () => {
    const { app } = await services();
    const port = await startOnFreePort(app);
    expect(await exchange(port, 'SONG\n')).toBe(`${SONG}\r\n`);
    await eventually(() => app.server.stats.active === 0);
    const before = await app.handlers['app:snapshot'](undefined);
    const cleared = await app.handlers['log:clear'](undefined);
    expect(cleared.seq).toBe(before.recent.at(-1)?.seq);
    const after = await app.handlers['app:snapshot'](undefined);
    expect(after.recent).toEqual([]);
    expect(after.logClearedSeq).toBe(cleared.seq);
    expect(await exchange(port, 'QUOTE\n')).toContain('different');
    await eventually(() => app.server.stats.active === 0);
    const later = await app.handlers['app:snapshot'](undefined);
    expect(later.recent.map((e) => e.kind)).toEqual(['open', 'line', 'reply', 'close']);
  });

  it('stats:reset starts a new measurement and tells every window', async () => {
    const { app, window } = await services();
    const port = await startOnFreePort(app);
    expect(await exchange(port, 'SONG\n')).toBe(`${SONG}\r\n`);
    await eventually(() => app.server.stats.total === 1 && app.server.stats.active === 0);
    const update = await app.handlers['stats:reset'](undefined);
    expect(update.stats).toEqual({ ...EMPTY_STATS });
    expect(update.series.commands.every((n) => n === 0)).toBe(true);
    expect(window.of('stats:update').at(-1)?.stats).toEqual({ ...EMPTY_STATS });
    expect((await app.handlers['app:snapshot'](undefined)).stats.total).toBe(0);
  });
});

describe('the log retention through the handlers', () => {
  it('saves a chosen retention to settings.json and uses it from the next start', async () => {
    const { app } = await services();
    const before = await app.handlers['log:retention'](undefined);
    expect(before.chosen).toEqual(before.defaults);
    expect(before.inUse).toEqual(before.defaults);

    const outcome = await app.handlers['log:saveRetention']({ maxBytes: 65_536, keep: 2 });
    expect(outcome).toEqual({
      ok: true,
      state: { chosen: { maxBytes: 65_536, keep: 2 }, defaults: before.defaults, inUse: before.defaults },
    });
    const file = JSON.parse(await fs.readFile(path.join(dir, 'settings.json'), 'utf8')) as unknown;
    expect(file).toMatchObject({ server: DEFAULT_SETTINGS, log: { maxBytes: 65_536, keep: 2 } });

    await app.shutdown();
    const next = await services();
    expect((await next.app.handlers['log:retention'](undefined)).inUse).toEqual({
      maxBytes: 65_536,
      keep: 2,
    });
    expect((await next.app.handlers['app:snapshot'](undefined)).logRetention).toMatchObject({
      maxBytes: 65_536,
      keep: 2,
    });
  });

  it('keeps the retention when the server settings are saved after it', async () => {
    const { app } = await services();
    await app.handlers['log:saveRetention']({ maxBytes: 8192, keep: 0 });
    await app.handlers['settings:save']({ ...DEFAULT_SETTINGS, port: 4000 });
    const file = JSON.parse(await fs.readFile(path.join(dir, 'settings.json'), 'utf8')) as unknown;
    expect(file).toMatchObject({ server: { port: 4000 }, log: { maxBytes: 8192, keep: 0 } });
  });

  it('refuses a bad retention with a reason and changes nothing', async () => {
    const { app } = await services();
    for (const bad of [
      { maxBytes: 100, keep: 1 },
      { maxBytes: 65_536, keep: -1 },
      { maxBytes: 65_536, keep: 1001 },
      { maxBytes: 65_536.5, keep: 1 },
      { maxBytes: Number.NaN, keep: 1 },
    ]) {
      const outcome = await app.handlers['log:saveRetention'](bad);
      expect(outcome.ok).toBe(false);
      expect(outcome.ok ? '' : outcome.error).toMatch(/^invalid log retention: /);
    }
    await expect(fs.access(path.join(dir, 'settings.json'))).rejects.toThrow();
    const state = await app.handlers['log:retention'](undefined);
    expect(state.chosen).toEqual(state.defaults);
  });
});
