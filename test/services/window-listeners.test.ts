/**
 * The window's extra listeners (docs/window.md, "Listeners") through the
 * app services, as the window drives them: a TCP, a TLS and a UDP listener
 * beside the window's own, used with programs nobody here wrote (openssl
 * s_client, socat), their rows in the window's log with their listener
 * named, and the workspace kept in the data folder.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../electron/services/app-services.js';
import type { EventChannel, EventMap, EventSink } from '../../electron/shared/ipc/ipc-contract.js';
import { EMPTY_STATS, type LogEntry } from '../../electron/shared/ipc/models.js';
import type { ListenerAddRequest, ListenersState } from '../../electron/shared/ipc/window-listeners.js';
import { DEFAULT_SETTINGS } from '../../electron/shared/protocol/settings.js';
import { eventually, exchange, isRefused, occupyPort, RawClient } from '../helpers/net.js';
import { killTools, tool } from '../helpers/tools.js';

const TABLE = { commands: [{ name: 'PING', reply: 'PONG' }] };

let dir = '';
const running: AppServices[] = [];
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-listeners-'));
});
afterEach(async () => {
  killTools();
  await Promise.all(running.splice(0).map((s) => s.shutdown()));
  await fs.rm(dir, { recursive: true, force: true });
});

class Window {
  readonly messages: { channel: EventChannel; payload: unknown }[] = [];
  readonly sink: EventSink = (channel, payload) => this.messages.push({ channel, payload });
  get entries(): LogEntry[] {
    return this.messages
      .filter((m) => m.channel === 'log:batch')
      .flatMap((m) => (m.payload as EventMap['log:batch']).entries);
  }
  get states(): ListenersState[] {
    return this.messages
      .filter((m) => m.channel === 'listeners:state')
      .map((m) => m.payload as ListenersState);
  }
}

async function open(): Promise<{ app: AppServices; window: Window }> {
  const app = await createAppServices({ dataDir: dir });
  running.push(app);
  const window = new Window();
  app.subscribe(window.sink);
  return { app, window };
}

function row(state: ListenersState, name: string) {
  const found = state.listeners.find((l) => l.name === name);
  if (!found) throw new Error(`no row ${name} in ${JSON.stringify(state)}`);
  return found;
}

describe('window listeners', () => {
  it('serves TCP, TLS and UDP beside the window listener, each logged under its name', async () => {
    const { app, window } = await open();
    const h = app.handlers;
    expect((await h['server:start']({ ...DEFAULT_SETTINGS, port: 0 })).ok).toBe(true);
    for (const transport of ['tcp', 'tls', 'udp'] as const) {
      const added = await h['listeners:add']({
        name: `${transport}-one`,
        transport,
        host: '127.0.0.1',
        commands: TABLE,
        tableLabel: 'PING',
      });
      expect(added.ok, JSON.stringify(added)).toBe(true);
    }
    const started = await h['listeners:startAll'](undefined);
    expect(started.failed).toEqual([]);
    const state = started.state;
    expect(state.listeners.map((l) => [l.name, l.transport, l.state])).toEqual([
      ['tcp-one', 'tcp', 'running'],
      ['tls-one', 'tls', 'running'],
      ['udp-one', 'udp', 'running'],
    ]);
    const tls = row(state, 'tls-one');
    expect(tls.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    // Three different ports, none of them the window listener's.
    const ports = state.listeners.map((l) => l.port);
    expect(new Set([...ports, app.server.status.port]).size).toBe(4);

    expect(await exchange(row(state, 'tcp-one').port, 'PING\r\n')).toContain('PONG');
    const openssl = tool('openssl', ['s_client', '-connect', `127.0.0.1:${tls.port}`, '-quiet']);
    openssl.send('PING\n');
    await openssl.waitFor('PONG');
    const socat = tool('socat', ['-', `UDP:127.0.0.1:${row(state, 'udp-one').port}`]);
    socat.send('PING\n');
    await socat.waitFor('PONG');

    // Active connections per listener reach the window.
    await eventually(
      () => {
        const last = window.states.at(-1);
        return (
          last !== undefined &&
          row(last, 'tls-one').connections === 1 &&
          row(last, 'udp-one').connections === 1
        );
      },
      10_000,
      'the connections in listeners:state',
    );

    // Every listener's rows are in the window's log, in one sequence, their listener named.
    await eventually(
      () => {
        const lines = window.entries.filter((e) => e.kind === 'line' && e.detail.includes('PING'));
        return ['tcp-one', 'tls-one', 'udp-one'].every((n) => lines.some((e) => e.listener === n));
      },
      10_000,
      'a PING line of each listener',
    );
    const seqs = window.entries.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(
      window.entries.some(
        (e) => e.listener === 'tls-one' && e.kind === 'open' && /TLSv1\.[23]/.test(e.detail),
      ),
    ).toBe(true);
    // The durable log has them too.
    await app.logFile.flush();
    const logged = await fs.readFile(app.logFile.file, 'utf8');
    expect(logged).toContain('"listener":"udp-one"');

    // Stop of one leaves the others serving.
    const stopped = await h['listeners:stop']({ name: 'tcp-one' });
    expect(row(stopped.state, 'tcp-one').state).toBe('stopped');
    expect(await isRefused(row(state, 'tcp-one').port)).toBe(true);
    openssl.send('PING\n');
    await eventually(() => openssl.stdout.split('PONG').length > 2, 10_000, 'a second PONG over TLS');
    expect(await exchange(app.server.status.port, 'SONG\r\n')).not.toBe('');

    const all = await h['listeners:stopAll'](undefined);
    expect(all.state.listeners.every((l) => l.state === 'stopped')).toBe(true);
    expect(app.server.status.state).toBe('running');
  });

  it('one listener whose port is taken shows its error and the others serve', async () => {
    const { app, window } = await open();
    const busy = await occupyPort();
    try {
      const h = app.handlers;
      expect(
        (
          await h['listeners:add']({
            name: 'taken',
            transport: 'tcp',
            host: '127.0.0.1',
            port: busy.port,
            commands: TABLE,
          })
        ).ok,
      ).toBe(true);
      expect(
        (await h['listeners:add']({ name: 'free', transport: 'tcp', host: '127.0.0.1', commands: TABLE })).ok,
      ).toBe(true);
      const started = await h['listeners:startAll'](undefined);
      expect(started.failed.map((f) => f.name)).toEqual(['taken']);
      expect(row(started.state, 'taken').state).toBe('failed');
      expect(row(started.state, 'taken').error).toMatch(/in use/);
      expect(row(started.state, 'free').state).toBe('running');
      expect(await exchange(row(started.state, 'free').port, 'PING\r\n')).toContain('PONG');
      await eventually(
        () => window.entries.some((e) => e.listener === 'taken' && e.kind === 'error'),
        10_000,
        'the failed start in the log',
      );
    } finally {
      await busy.release();
    }
  });

  it('refuses a bad listener with a clear error and changes nothing', async () => {
    const { app } = await open();
    const h = app.handlers;
    const cases: [ListenerAddRequest, RegExp][] = [
      [
        { name: 'x', transport: 'tls', host: '127.0.0.1', port: DEFAULT_SETTINGS.port },
        /is the window's own listener's/,
      ],
      [{ name: 'default', transport: 'tcp', host: '127.0.0.1', port: 0 }, /window's own listener/],
      [{ name: 'x', transport: 'sctp', host: '127.0.0.1', port: 0 }, /transport must be tcp, tls or udp/],
      [{ name: 'x', transport: 'tcp', host: '127.0.0.1', port: 70_000 }, /port/],
      [
        { name: 'x', transport: 'tcp', host: '127.0.0.1', port: 0, commands: { commands: [{}] } },
        /table was refused/,
      ],
    ];
    for (const [req, error] of cases) {
      const outcome = await h['listeners:add'](req);
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.error).toMatch(error);
    }
    await h['listeners:add']({ name: 'a', transport: 'tcp', host: '127.0.0.1', port: 40_123 });
    const dup = await h['listeners:add']({ name: 'a', transport: 'udp', host: '127.0.0.1', port: 0 });
    expect(dup.ok).toBe(false);
    expect((await h['listeners:state'](undefined)).listeners.map((l) => l.name)).toEqual(['a']);
  });

  it('gives a new listener its own toxics, checked as a workspace file checks them', async () => {
    const { app } = await open();
    const h = app.handlers;
    const slow = { name: 'slow', type: 'latency', attributes: { latency: 200 } };
    const added = await h['listeners:add']({
      name: 'slow',
      transport: 'tcp',
      host: '127.0.0.1',
      port: 0,
      commands: TABLE,
      toxics: [slow],
    });
    expect(added.ok).toBe(true);
    expect(added.state.listeners[0]?.toxics).toBe(1);
    expect(app.listeners.listener('slow')?.toxics.map((t) => t.type)).toEqual(['latency']);
    const bad = await h['listeners:add']({
      name: 'bad',
      transport: 'tcp',
      host: '127.0.0.1',
      port: 0,
      toxics: [{ type: 'nope' }],
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/listener 2 "bad", toxics\[0\]/);
    const udp = await h['listeners:add']({
      name: 'udp',
      transport: 'udp',
      host: '127.0.0.1',
      port: 0,
      toxics: [slow],
    });
    expect(udp.ok).toBe(false);
    if (!udp.ok) expect(udp.error).toMatch(/udp listeners take no toxics/);
  });

  it('gives a new listener its own limits, checked in main, and kept in the workspace', async () => {
    const { app } = await open();
    const h = app.handlers;
    const base = { transport: 'tcp', host: '127.0.0.1', port: 0, commands: TABLE };
    const bad = await h['listeners:add']({ ...base, name: 'bad', maxConnections: 0, lineTimeoutSec: -1 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error).toContain('maxConnections: max connections must be at least 1');
      expect(bad.error).toContain('lineTimeoutSec: line timeout must be 0 (none) or more seconds');
    }
    expect(bad.state.listeners).toEqual([]);
    const added = await h['listeners:add']({
      ...base,
      name: 'one-at-a-time',
      maxConnections: 1,
      idleTimeoutSec: 120,
      lineTimeoutSec: 5,
    });
    expect(added.ok).toBe(true);
    const started = await h['listeners:start']({ name: 'one-at-a-time' });
    const port = row(started.state, 'one-at-a-time').port;
    const first = await RawClient.connect(port);
    const listener = app.listeners.listener('one-at-a-time');
    await eventually(() => listener?.activeConnections === 1, 5000, 'the first connection');
    // The second is over the limit: the listener closes it, the first stays served.
    const second = await RawClient.connect(port);
    await second.closed;
    first.socket.write('PING\r\n');
    await first.waitFor('PONG');
    first.socket.destroy();
    const saved = JSON.parse(await fs.readFile(path.join(dir, 'workspace.json'), 'utf8')) as {
      listeners: Record<string, unknown>[];
    };
    expect(saved.listeners[0]).toMatchObject({ maxConnections: 1, idleTimeoutSec: 120, lineTimeoutSec: 5 });
  });

  it('forwards over TLS to a TLS target, with certificate checks on or off', async () => {
    const { app } = await open();
    const h = app.handlers;
    await h['listeners:add']({
      name: 'secure',
      transport: 'tls',
      host: '127.0.0.1',
      port: 0,
      commands: TABLE,
    });
    const secure = await h['listeners:start']({ name: 'secure' });
    const target = `127.0.0.1:${row(secure.state, 'secure').port}`;
    const noTls = await h['listeners:add']({
      name: 'nowhere',
      transport: 'udp',
      host: '127.0.0.1',
      port: 0,
      forward: target,
      forwardTls: true,
    });
    expect(noTls.ok).toBe(false);
    if (!noTls.ok) expect(noTls.error).toContain('a udp listener forwards datagrams, not TLS');
    const longName = await h['listeners:add']({
      name: 'long',
      transport: 'tcp',
      host: '127.0.0.1',
      port: 0,
      forward: target,
      forwardTls: { servername: 'x'.repeat(254) },
    });
    expect(longName.ok).toBe(false);
    if (!longName.ok) expect(longName.error).toMatch(/forwardTls/);
    expect(longName.state.listeners.map((l) => l.name)).toEqual(['secure']);
    for (const [name, forwardTls] of [
      ['unchecked', { verify: false }],
      ['checked', true],
    ] as const) {
      const added = await h['listeners:add']({
        name,
        transport: 'tcp',
        host: '127.0.0.1',
        port: 0,
        forward: target,
        forwardTls,
      });
      expect(added.ok).toBe(true);
    }
    const started = await h['listeners:startAll'](undefined);
    expect(row(started.state, 'checked').forwardTls).toBe('checked');
    expect(row(started.state, 'unchecked').forwardTls).toBe('unchecked');
    expect(row(started.state, 'secure').forwardTls).toBeUndefined();
    // Unchecked: the plain client gets the TLS listener's answers.
    expect(await exchange(row(started.state, 'unchecked').port, 'PING\r\n')).toContain('PONG');
    // Checked: the self-signed certificate is not trusted, so nothing is answered.
    expect(await exchange(row(started.state, 'checked').port, 'PING\r\n')).not.toContain('PONG');
    const exported = JSON.parse((await h['listeners:export'](undefined)).text) as {
      listeners: Record<string, unknown>[];
    };
    expect(exported.listeners.map((l) => l.forwardTls)).toEqual([
      undefined,
      undefined,
      { verify: false },
      true,
    ]);
  });

  it("keeps each listener's own counters from its events, sends them in listeners:state, and Reset clears them", async () => {
    const { app, window } = await open();
    const h = app.handlers;
    await h['listeners:add']({ name: 'a', transport: 'tcp', host: '127.0.0.1', port: 0, commands: TABLE });
    await h['listeners:add']({ name: 'b', transport: 'tcp', host: '127.0.0.1', port: 0, commands: TABLE });
    const started = await h['listeners:startAll'](undefined);
    const port = row(started.state, 'a').port;
    expect(await exchange(port, 'PING\r\nPING\r\n')).toContain('PONG');
    const open1 = await RawClient.connect(port);
    open1.socket.write('PING\r\n');
    await open1.waitFor('PONG');
    // What the window was sent: a's counters moved, b's did not, and the window's own stay at zero.
    await eventually(
      () => {
        const last = window.states.at(-1);
        const a = last?.listeners.find((l) => l.name === 'a')?.stats;
        return a?.commands === 3 && a.active === 1 && a.total === 2;
      },
      5000,
      "a's counters in listeners:state",
    );
    const last = window.states.at(-1);
    if (!last) throw new Error('no listeners:state');
    const a = row(last, 'a').stats;
    expect(a).toMatchObject({ active: 1, total: 2, commands: 3, rejected: 0, errors: 0 });
    expect(a?.bytesIn).toBeGreaterThanOrEqual(12);
    expect(a?.bytesOut).toBeGreaterThanOrEqual(12);
    expect(row(last, 'b').stats).toEqual({ ...EMPTY_STATS });
    expect(app.server.stats.commands).toBe(0);
    await h['stats:reset'](undefined);
    const reset = await h['listeners:state'](undefined);
    expect(row(reset, 'a').stats).toEqual({ ...EMPTY_STATS, active: 1 });
    open1.socket.destroy();
  });

  it('picks the next free port for a new listener', async () => {
    const { app } = await open();
    const h = app.handlers;
    const first = await h['listeners:add']({ name: 'a', transport: 'tcp', host: '127.0.0.1' });
    const second = await h['listeners:add']({ name: 'b', transport: 'tcp', host: '127.0.0.1' });
    const [a, b] = second.state.listeners;
    expect(first.ok && second.ok).toBe(true);
    expect(a?.port).toBeGreaterThan(DEFAULT_SETTINGS.port);
    expect(b?.port).toBeGreaterThan(a?.port ?? 0);
  });

  it('keeps the workspace in the data folder, exports and imports it, refusing a bad one with places', async () => {
    const first = await open();
    await first.app.handlers['listeners:add']({
      name: 'events',
      transport: 'udp',
      host: '127.0.0.1',
      port: 0,
      commands: TABLE,
    });
    await first.app.handlers['listeners:add']({
      name: 'relay',
      transport: 'tcp',
      host: '127.0.0.1',
      port: 0,
      forward: '127.0.0.1:9',
    });
    const exported = await first.app.handlers['listeners:export'](undefined);
    await first.app.shutdown();
    running.splice(0);

    const again = await open();
    expect(again.app.startProblems).toEqual([]);
    const names = (await again.app.handlers['listeners:state'](undefined)).listeners.map((l) => [
      l.name,
      l.kind,
    ]);
    expect(names).toEqual([
      ['events', 'mock'],
      ['relay', 'forward'],
    ]);

    const bad = await again.app.handlers['listeners:import']({
      text: JSON.stringify({
        listeners: [
          { name: 'a', transport: 'tcp', port: 41_000 },
          { name: 'b', transport: 'tcp', port: 41_000 },
          { name: 'c', transport: 'quic' },
        ],
      }),
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems).toContain('listener 3 "c", transport: transport must be tcp, tls or udp');
    }
    const dup = await again.app.handlers['listeners:import']({
      text: JSON.stringify({
        listeners: [
          { name: 'a', port: 41_000 },
          { name: 'b', port: 41_000 },
        ],
      }),
    });
    expect(dup.ok).toBe(false);
    if (!dup.ok)
      expect(dup.problems.join('\n')).toMatch(
        /listener 2 "b", port: TCP port 127\.0\.0\.1:41000 is already taken/,
      );
    // Refused: nothing changed.
    expect((await again.app.handlers['listeners:state'](undefined)).listeners).toHaveLength(2);

    const good = await again.app.handlers['listeners:import']({
      text: JSON.stringify({ listeners: [{ name: 'only', transport: 'tls', port: 0 }] }),
    });
    expect(good.ok).toBe(true);
    expect(good.state.listeners.map((l) => l.name)).toEqual(['only']);
    const back = await again.app.handlers['listeners:import']({ text: exported.text });
    expect(back.state.listeners.map((l) => l.name)).toEqual(['events', 'relay']);
  });

  it("exports the window's own listener as default and imports it into the window's settings and table", async () => {
    const { app } = await open();
    const h = app.handlers;
    const own = { ...DEFAULT_SETTINGS, port: 41_234, mode: 'one-shot' as const, maxConnections: 7 };
    expect((await h['settings:save'](own)).ok).toBe(true);
    expect((await h['commands:apply'](TABLE)).ok).toBe(true);
    await h['listeners:add']({
      name: 'extra',
      transport: 'tcp',
      host: '127.0.0.1',
      port: 0,
      commands: TABLE,
    });
    const exported = JSON.parse((await h['listeners:export'](undefined)).text) as {
      listeners: Record<string, unknown>[];
    };
    expect(exported.listeners.map((l) => l.name)).toEqual(['default', 'extra']);
    expect(exported.listeners[0]).toMatchObject({
      name: 'default',
      transport: 'tcp',
      host: '127.0.0.1',
      port: 41_234,
      mode: 'one-shot',
      maxConnections: 7,
      idleTimeoutSec: DEFAULT_SETTINGS.idleTimeoutSec,
      lineTimeoutSec: DEFAULT_SETTINGS.lineTimeoutSec,
      commands: { commands: [{ name: 'PING', reply: 'PONG' }] },
    });
    expect(exported.listeners[0]).not.toHaveProperty('forward');

    // A bad default is refused whole, placed, and nothing changes: not the settings, not the extras.
    const bad = await h['listeners:import']({
      text: JSON.stringify({
        listeners: [
          { name: 'default', transport: 'tls', forwardTls: true, forward: '127.0.0.1:1' },
          { name: 'other', port: 0 },
        ],
      }),
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems).toContain(
        'listener 1 "default", transport: the window\'s own listener speaks plain TCP only',
      );
      expect(bad.problems.join('\n')).toMatch(
        /listener 1 "default", forwardTls: the window's own listener forwards over plain TCP/,
      );
    }
    const snapshot = await h['app:snapshot'](undefined);
    expect(snapshot.settings.settings).toEqual(own);
    expect(bad.state.listeners.map((l) => l.name)).toEqual(['extra']);
    const clash = await h['listeners:import']({
      text: JSON.stringify({
        listeners: [
          { name: 'default', port: 41_500 },
          { name: 'b', port: 41_500 },
        ],
      }),
    });
    expect(clash.ok).toBe(false);
    if (!clash.ok)
      expect(clash.problems.join('\n')).toMatch(
        /listener 2 "b", port: TCP port 127\.0\.0\.1:41500 is already taken by listener 1 "default"/,
      );

    // A good one: the settings the file gives, the rest kept; a forward target makes it a forwarder.
    const good = await h['listeners:import']({
      text: JSON.stringify({
        listeners: [
          {
            name: 'default',
            port: 41_300,
            forward: '127.0.0.1:6379',
            commands: { commands: [{ name: 'HI', reply: 'THERE' }] },
          },
        ],
      }),
    });
    expect(good.ok).toBe(true);
    if (!good.ok) return;
    expect(good.note).toBeUndefined();
    const next = { ...own, port: 41_300, kind: 'forward', forward: '127.0.0.1:6379' };
    expect(good.settings).toEqual(next);
    expect(good.state.listeners).toEqual([]);
    const after = await h['app:snapshot'](undefined);
    expect(after.settings.settings).toEqual(next);
    expect(after.commands.table.commands.map((c) => c.name)).toEqual(['HI']);
    const again = JSON.parse((await h['listeners:export'](undefined)).text) as {
      listeners: Record<string, unknown>[];
    };
    expect(again.listeners).toHaveLength(1);
    expect(again.listeners[0]).toMatchObject({ name: 'default', port: 41_300, forward: '127.0.0.1:6379' });
  });

  it('imports default while it runs: the table at once, its settings at its next Start, and says so', async () => {
    const { app } = await open();
    const h = app.handlers;
    const started = await h['server:start']({ ...DEFAULT_SETTINGS, port: 0 });
    expect(started.ok).toBe(true);
    const port = started.status.port;
    const outcome = await h['listeners:import']({
      text: JSON.stringify({ listeners: [{ name: 'default', port: 0, maxConnections: 3, commands: TABLE }] }),
    });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.note).toMatch(/running: its table applies now, its settings at its next Start/);
    expect(outcome.settings?.maxConnections).toBe(3);
    // Still serving where it was, by the imported table.
    expect(app.server.status).toMatchObject({ state: 'running', port });
    expect(await exchange(port, 'PING\n')).toContain('PONG');
  });

  it("keeps a saved listener on the window listener's port (it fails to start), but refuses to add one there", async () => {
    const port = DEFAULT_SETTINGS.port;
    await fs.writeFile(
      path.join(dir, 'workspace.json'),
      JSON.stringify({ listeners: [{ name: 'kept', transport: 'tcp', port }] }),
    );
    const { app } = await open();
    expect(app.startProblems).toEqual([]);
    expect((await app.handlers['listeners:state'](undefined)).listeners.map((l) => l.name)).toEqual(['kept']);
    const added = await app.handlers['listeners:add']({
      name: 'more',
      transport: 'tls',
      host: '127.0.0.1',
      port,
    });
    expect(added.ok).toBe(false);
    if (!added.ok)
      expect(added.error).toMatch(/port: TCP port 127\.0\.0\.1:31310 is already taken by listener 1 "kept"/);
  });

  it('a damaged workspace file becomes a start problem, not a crash', async () => {
    await fs.writeFile(
      path.join(dir, 'workspace.json'),
      '{ "listeners": [{ "name": "x", "transport": "sctp" }] }',
    );
    const { app } = await open();
    expect(app.startProblems.join('\n')).toMatch(/workspace\.json.*transport must be tcp, tls or udp/);
    expect((await app.handlers['listeners:state'](undefined)).listeners).toEqual([]);
  });
});
