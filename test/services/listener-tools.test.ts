import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../electron/services/app-services.js';
import type { EventChannel, EventMap } from '../../electron/shared/ipc/ipc-contract.js';
import type { LogRecord } from '../../electron/shared/ipc/models.js';
import { DEFAULT_SETTINGS, type ServerSettings } from '../../electron/shared/protocol/settings.js';
import { closedPort, eventually, RawClient } from '../helpers/net.js';
import { hasRedis, startRedis, type RedisServer } from '../helpers/redis.js';

let dir = '';
let redis: RedisServer;
const running: AppServices[] = [];
const clients: RawClient[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-tools-'));
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(running.splice(0).map((s) => s.shutdown()));
  await fs.rm(dir, { recursive: true, force: true });
});

/** App services with a window's sink: everything pushed to it, in order. */
async function app(): Promise<{
  services: AppServices;
  pushed: <K extends EventChannel>(channel: K) => EventMap[K][];
  rows: () => LogRecord[];
}> {
  const services = await createAppServices({ dataDir: dir });
  running.push(services);
  const messages: { channel: EventChannel; payload: unknown }[] = [];
  services.subscribe((channel, payload) => messages.push({ channel, payload }));
  const rows: LogRecord[] = [];
  services.server.on('entry', (e) => rows.push(e));
  return {
    services,
    pushed: <K extends EventChannel>(channel: K) =>
      messages.filter((m) => m.channel === channel).map((m) => m.payload as EventMap[K]),
    rows: () => rows,
  };
}

function forwardSettings(upstreamPort: number): ServerSettings {
  return { ...DEFAULT_SETTINGS, port: 0, kind: 'forward', forward: `127.0.0.1:${upstreamPort}` };
}

async function connect(port: number): Promise<RawClient> {
  const c = await RawClient.connect(port);
  clients.push(c);
  return c;
}

/** Sends a redis inline command and waits for its answer; resolves with the milliseconds it took. */
async function roundTrip(client: RawClient, command: string, answer: string): Promise<number> {
  const before = client.text.length;
  const t0 = performance.now();
  client.write(`${command}\r\n`);
  await client.waitFor((t) => t.slice(before).includes(answer), 10_000);
  return performance.now() - t0;
}

describe.skipIf(!hasRedis())('the window in forward mode (redis-server upstream)', () => {
  it('relays to redis and logs both directions, each row saying its direction', async () => {
    const { services, rows } = await app();
    const started = await services.handlers['server:start'](forwardSettings(redis.port));
    if (!started.ok) throw new Error(started.error);
    expect(started.status).toMatchObject({ state: 'running', forward: `127.0.0.1:${redis.port}` });
    const client = await connect(started.status.port);
    await roundTrip(client, 'PING', '+PONG\r\n');
    await eventually(() => rows().some((r) => r.direction === 'upstream'));
    const traffic = rows().filter((r) => r.direction);
    expect(traffic).toEqual([
      expect.objectContaining({
        kind: 'line',
        dir: 'in',
        direction: 'client',
        detail: 'client → upstream: PING',
      }),
      expect.objectContaining({
        kind: 'reply',
        dir: 'out',
        direction: 'upstream',
        detail: 'upstream → client: +PONG',
      }),
    ]);
    expect(rows()[0]?.detail).toBe(
      `listening on 127.0.0.1:${started.status.port}, forwarding to 127.0.0.1:${redis.port}`,
    );
    const stats = services.server.stats;
    expect(stats).toMatchObject({ active: 1, total: 1, commands: 1, bytesIn: 6, bytesOut: 7 });
  });

  it('closes the client when the upstream cannot be reached, with the reason logged', async () => {
    const { services, rows } = await app();
    const started = await services.handlers['server:start'](forwardSettings(await closedPort()));
    if (!started.ok) throw new Error(started.error);
    const client = await connect(started.status.port);
    await client.closed;
    await eventually(() => rows().some((r) => r.kind === 'close'));
    expect(rows().find((r) => r.kind === 'close')?.detail).toMatch(
      /^closed \(unreachable: cannot reach upstream 127\.0\.0\.1:\d+: connect ECONNREFUSED/,
    );
    // A problem, as the log's filter and the counters see it.
    expect(rows().find((r) => r.kind === 'close')?.reason).toBe('error');
    expect(services.server.stats).toMatchObject({ total: 1, active: 0, errors: 1 });
  });

  it('refuses a forward target that is not HOST:PORT, starting nothing', async () => {
    const { services } = await app();
    const outcome = await services.handlers['server:start']({ ...forwardSettings(1), forward: 'redis' });
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? '' : outcome.error).toContain('HOST:PORT');
    expect(services.server.status.state).toBe('stopped');
  });

  it('applies a latency toxic to an open connection at once, and removes it at once', async () => {
    const { services } = await app();
    const started = await services.handlers['server:start'](forwardSettings(redis.port));
    if (!started.ok) throw new Error(started.error);
    const client = await connect(started.status.port);
    await roundTrip(client, 'PING', '+PONG');
    const outcome = await services.handlers['faults:set']({
      toxics: [{ name: 'slow', type: 'latency', attributes: { latency: 300 } }],
    });
    expect(outcome).toMatchObject({
      ok: true,
      state: {
        faults: { toxics: [expect.objectContaining({ name: 'slow', stream: 'downstream', toxicity: 1 })] },
      },
    });
    // The open connection takes it: the reply waits at least the latency asked for.
    expect(await roundTrip(client, 'PING', '+PONG')).toBeGreaterThanOrEqual(295);
    const state = await services.handlers['tools:state'](undefined);
    expect(state.faults).toMatchObject({ acting: true, connections: 1, active: { slow: 1 } });
    await services.handlers['faults:set']({ toxics: [] });
    expect(services.server.forward.toxics).toEqual([]);
  });

  it('refuses a bad fault list as a whole, naming the place, and keeps the toxics it had', async () => {
    const { services } = await app();
    await services.handlers['faults:set']({
      toxics: [{ name: 'a', type: 'bandwidth', attributes: { rate: 10 } }],
    });
    const outcome = await services.handlers['faults:set']({
      toxics: [
        { name: 'b', type: 'latency', attributes: { latency: -1 } },
        { name: 'c', type: 'teleport' },
      ],
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ index: 0, field: 'attributes.latency' })]),
    );
    expect(outcome.error).toMatch(/^fault 1, attributes\.latency: latency cannot be negative/);
    const dup = await services.handlers['faults:set']({
      toxics: [
        { name: 'x', type: 'timeout' },
        { name: 'x', type: 'slicer' },
      ],
    });
    expect(dup).toMatchObject({ ok: false, issues: [{ index: 1, field: 'name' }] });
    expect(services.server.forward.toxics.map((t) => t.name)).toEqual(['a']);
  });

  it('records what passed and pushes the table for the editor when the listener stops', async () => {
    const { services, pushed } = await app();
    expect((await services.handlers['record:set']({ on: true })).record.on).toBe(true);
    const started = await services.handlers['server:start'](forwardSettings(redis.port));
    if (!started.ok) throw new Error(started.error);
    const client = await connect(started.status.port);
    await roundTrip(client, 'SET colour blue', '+OK\r\n');
    await roundTrip(client, 'GET colour', 'blue\r\n');
    await services.handlers['server:stop'](undefined);
    await eventually(() => pushed('recording:ready').length > 0);
    const [recording] = pushed('recording:ready');
    expect(recording).toMatchObject({ rules: 2, requests: 2, upstream: `127.0.0.1:${redis.port}` });
    expect(recording?.table.commands).toEqual([
      // Text lines with the table's CRLF: shown (and editable) as reply lines, the same bytes served.
      { pattern: '^SET colour blue$', reply: ['+OK'] },
      { pattern: '^GET colour$', reply: ['$4', 'blue'] },
    ]);
    // It is a table the editor's Apply takes.
    expect((await services.handlers['commands:apply'](recording?.table ?? { commands: [] })).ok).toBe(true);
  });

  it('says sending and closing are for mock listeners while forwarding', async () => {
    const { services } = await app();
    const started = await services.handlers['server:start'](forwardSettings(redis.port));
    if (!started.ok) throw new Error(started.error);
    const sent = await services.handlers['connection:send']({ conn: 'all', line: 'x', lineEnding: 'crlf' });
    expect(sent.ok ? '' : sent.error).toContain('mock mode');
  });
});

describe('sending to connections and closing one (mock mode)', () => {
  it('sends a line to one connection and bytes to all, logged as replies; closes one', async () => {
    const { services, rows } = await app();
    const started = await services.handlers['server:start']({ ...DEFAULT_SETTINGS, port: 0 });
    if (!started.ok) throw new Error(started.error);
    const a = await connect(started.status.port);
    const b = await connect(started.status.port);
    await eventually(() => rows().filter((r) => r.kind === 'open').length === 2);
    const [first, second] = rows()
      .filter((r) => r.kind === 'open')
      .map((r) => r.conn);
    const one = await services.handlers['connection:send']({
      conn: first ?? 0,
      line: 'hi',
      lineEnding: 'crlf',
    });
    expect(one).toEqual({ ok: true, sent: 1 });
    await a.waitFor('hi\r\n');
    const all = await services.handlers['connection:send']({
      conn: 'all',
      line: '41 42',
      lineEnding: 'crlf',
      inputMode: 'hex',
    });
    expect(all).toEqual({ ok: true, sent: 2 });
    await a.waitFor('hi\r\nAB');
    await b.waitFor('AB');
    expect(
      rows()
        .filter((r) => r.kind === 'reply')
        .map((r) => [r.conn, r.text]),
    ).toEqual([
      [first, 'hi\r\n'],
      [first, 'AB'],
      [second, 'AB'],
    ]);
    expect(await services.handlers['connection:close']({ conn: second ?? 0 })).toEqual({ ok: true, sent: 0 });
    await b.closed;
    b.socket.end();
    await eventually(() => rows().some((r) => r.kind === 'close'));
    expect(rows().find((r) => r.kind === 'close')?.detail).toMatch(/^closed \(closed on request\)/);
    expect(rows().find((r) => r.kind === 'close')).toMatchObject({
      conn: second,
      reason: 'closed-by-user',
    });
  });

  it('answers a clear error for a connection that is not open, bad hex, or a stopped server', async () => {
    const { services } = await app();
    expect(await services.handlers['connection:close']({ conn: 1 })).toEqual({
      ok: false,
      error: 'the server is not running',
    });
    const started = await services.handlers['server:start']({ ...DEFAULT_SETTINGS, port: 0 });
    if (!started.ok) throw new Error(started.error);
    expect(await services.handlers['connection:send']({ conn: 42, line: 'x', lineEnding: 'lf' })).toEqual({
      ok: false,
      error: 'connection #42 is not open',
    });
    const bad = await services.handlers['connection:send']({
      conn: 'all',
      line: 'zz',
      lineEnding: 'lf',
      inputMode: 'hex',
    });
    expect(bad.ok).toBe(false);
    expect(await services.handlers['connection:send']({ conn: 'all', line: 'x', lineEnding: 'lf' })).toEqual({
      ok: false,
      error: 'no connection is open',
    });
  });
});

describe('the control API switch', () => {
  it('turns the API on at a loopback address, shows it, lists the listener, and turns it off', async () => {
    const { services, pushed } = await app();
    const outcome = await services.handlers['api:set']({ on: true, host: '127.0.0.1', port: 0 });
    if (!outcome.ok) throw new Error(outcome.error);
    const address = outcome.state.api.address ?? '';
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(pushed('tools:state').at(-1)?.api.address).toBe(address);
    const version = await fetch(`${address}/version`);
    expect(version.status).toBe(200);
    const listeners = (await (await fetch(`${address}/switchboard/listeners`)).json()) as { name: string }[];
    expect(listeners.map((l) => l.name)).toEqual(['default']);
    const off = await services.handlers['api:set']({ on: false, host: '127.0.0.1', port: 0 });
    expect(off).toMatchObject({ ok: true, state: { api: { on: false, address: null } } });
    await expect(fetch(`${address}/version`)).rejects.toThrow();
  });

  it('refuses a bad address and a busy port with a message, staying off', async () => {
    const { services } = await app();
    const bad = await services.handlers['api:set']({ on: true, host: 'a b', port: 8474 });
    expect(bad).toMatchObject({ ok: false, state: { api: { on: false } } });
    const first = await services.handlers['api:set']({ on: true, host: '127.0.0.1', port: 0 });
    if (!first.ok) throw new Error(first.error);
    const other = await app();
    const busy = await other.services.handlers['api:set']({
      on: true,
      host: '127.0.0.1',
      port: first.state.api.port,
    });
    expect(busy).toMatchObject({ ok: false, state: { api: { on: false } } });
    expect(busy.ok ? '' : busy.error).toContain('already in use');
  });
});
