/**
 * The control API driven by Toxiproxy's own Node client, through real
 * sockets, against a real upstream (redis-server).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Toxiproxy, type Latency } from 'toxiproxy-node-client';
import { ControlApi } from '../../electron/services/control-api/index.js';
import { MAX_PROXIES } from '../../electron/services/control-api/proxies.js';
import { MAX_TOXICS } from '../../electron/shared/protocol/toxics.js';
import { isRefused, RawClient } from '../helpers/net.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';

let redis: RedisServer;
let api: ControlApi;
let client: Toxiproxy;
let base = '';

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => redis.stop());

afterEach(async () => api.stop());

async function startApi(): Promise<void> {
  api = new ControlApi();
  const started = await api.start('127.0.0.1', 0);
  if (!started.ok) throw new Error(started.message);
  base = `http://127.0.0.1:${started.port}`;
  client = new Toxiproxy(base);
}

/** Sends one RESP command on a fresh connection and times the answer. */
async function ping(port: number): Promise<{ reply: string; ms: number }> {
  const c = await RawClient.connect(port);
  const t0 = performance.now();
  c.write('PING\r\n');
  const reply = await c.waitFor('\r\n', 10_000);
  const ms = performance.now() - t0;
  c.destroy();
  return { reply, ms };
}

function portOf(listen: string): number {
  return Number(listen.slice(listen.lastIndexOf(':') + 1));
}

describe('control API with toxiproxy-node-client', () => {
  it('answers /version as Toxiproxy does', async () => {
    await startApi();
    expect(JSON.parse(await client.getVersion())).toEqual({
      version: expect.stringMatching(/^2\./) as unknown,
    });
  });

  it('creates a proxy on port 0 and answers with its real listen address; it forwards to redis', async () => {
    await startApi();
    const proxy = await client.createProxy({
      name: 'redis',
      listen: '127.0.0.1:0',
      upstream: `127.0.0.1:${redis.port}`,
    });
    expect(proxy.name).toBe('redis');
    expect(proxy.enabled).toBe(true);
    expect(proxy.listen).toMatch(/^127\.0\.0\.1:\d+$/);
    const port = portOf(proxy.listen);
    expect(port).toBeGreaterThan(0);
    expect((await ping(port)).reply).toBe('+PONG\r\n');
    const all = await client.getAll();
    expect(Object.keys(all)).toEqual(['redis']);
    expect((await client.get('redis')).listen).toBe(proxy.listen);
  });

  it('adds, reads, updates and removes a latency toxic that acts at once', async () => {
    await startApi();
    const proxy = await client.createProxy({
      name: 'redis',
      listen: '127.0.0.1:0',
      upstream: `127.0.0.1:${redis.port}`,
    });
    const port = portOf(proxy.listen);
    const toxic = await proxy.addToxic<Latency>({
      name: 'slow',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 200, jitter: 0 },
    });
    expect(toxic.toJson()).toEqual({
      name: 'slow',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 200, jitter: 0 },
    });
    const slow = await ping(port);
    expect(slow.reply).toBe('+PONG\r\n');
    expect(slow.ms).toBeGreaterThanOrEqual(190);
    expect(slow.ms).toBeLessThan(600);

    const updated = await toxic.update({ attributes: { latency: 400, jitter: 0 }, toxicity: 1 } as never);
    expect(updated.attributes).toEqual({ latency: 400, jitter: 0 });
    expect((await ping(port)).ms).toBeGreaterThanOrEqual(390);
    expect((await proxy.getToxic('slow')).attributes).toEqual({ latency: 400, jitter: 0 });

    await toxic.remove();
    expect((await ping(port)).ms).toBeLessThan(190);
    await expect(proxy.getToxic('slow')).rejects.toThrow(/404/);
  });

  it('disables a proxy: open connections closed, new ones refused; enabling brings it back on the same port', async () => {
    await startApi();
    const proxy = await client.createProxy({
      name: 'redis',
      listen: '127.0.0.1:0',
      upstream: `127.0.0.1:${redis.port}`,
    });
    const port = portOf(proxy.listen);
    const open = await RawClient.connect(port);
    const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    expect(disabled.enabled).toBe(false);
    await open.waitClosed();
    expect(await isRefused(port)).toBe(true);
    const enabled = await proxy.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
    expect(enabled.listen).toBe(proxy.listen);
    expect((await ping(port)).reply).toBe('+PONG\r\n');
  });

  it('populates, resets (toxics removed, proxies enabled) and deletes', async () => {
    await startApi();
    const proxies = await client.populate([
      { name: 'a', listen: '127.0.0.1:0', upstream: `127.0.0.1:${redis.port}` },
      { name: 'b', listen: '127.0.0.1:0', upstream: `127.0.0.1:${redis.port}`, enabled: false },
    ]);
    expect(Object.keys(proxies).sort()).toEqual(['a', 'b']);
    const a = proxies.a;
    if (!a) throw new Error('no proxy a');
    await a.addToxic({
      name: 'cut',
      type: 'timeout',
      stream: 'upstream',
      toxicity: 1,
      attributes: { timeout: 0 },
    });
    await client.reset();
    const after = await client.getAll();
    expect(after.b?.enabled).toBe(true);
    expect((await client.get('a')).toJson()).toMatchObject({ enabled: true });
    const res = await fetch(`${base}/proxies/a/toxics`);
    expect(await res.json()).toEqual([]);
    await a.remove();
    await expect(client.get('a')).rejects.toThrow(/404/);
  });

  it('answers with Toxiproxy status codes: 409 exists, 404 unknown, 400 bad body, 204 deleted', async () => {
    await startApi();
    const body = { name: 'x', listen: '127.0.0.1:0', upstream: `127.0.0.1:${redis.port}` };
    const post = (path: string, value: unknown): Promise<Response> =>
      fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(value),
      });
    expect((await post('/proxies', body)).status).toBe(201);
    const again = await post('/proxies', body);
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: 'proxy already exists', status: 409 });
    expect((await fetch(`${base}/proxies/nope`)).status).toBe(404);
    expect((await post('/proxies', { name: 'y' })).status).toBe(400);
    expect((await post('/proxies/x/toxics', { type: 'latency', attributes: { latency: -1 } })).status).toBe(
      400,
    );
    expect((await post('/proxies/x/toxics', { type: 'nonsense' })).status).toBe(400);
    const created = await post('/proxies/x/toxics', { type: 'latency', attributes: { latency: 10 } });
    expect(created.status).toBe(200);
    expect(await created.json()).toEqual({
      name: 'latency_downstream',
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 10, jitter: 0 },
    });
    expect((await post('/proxies/x/toxics', { type: 'latency' })).status).toBe(409);
    expect((await fetch(`${base}/proxies/x/toxics/latency_downstream`, { method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await fetch(`${base}/proxies/x/toxics/latency_downstream`, { method: 'DELETE' })).status).toBe(
      404,
    );
    expect((await fetch(`${base}/proxies/x`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${base}/proxies/x`, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses a toxic past the per-proxy limit and a proxy past the limit, changing nothing', async () => {
    await startApi();
    const post = (path: string, value: unknown): Promise<Response> =>
      fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(value),
      });
    // Disabled proxies hold no listener, so the limit is cheap to reach.
    for (let i = 0; i < MAX_PROXIES; i++) {
      const created = await post('/proxies', { name: `p${i}`, upstream: '127.0.0.1:1', enabled: false });
      expect(created.status).toBe(201);
    }
    const over = await post('/proxies', { name: 'one-more', upstream: '127.0.0.1:1', enabled: false });
    expect(over.status).toBe(400);
    expect(Object.keys(await client.getAll())).toHaveLength(MAX_PROXIES);
    for (let i = 0; i < MAX_TOXICS; i++) {
      expect((await post('/proxies/p0/toxics', { name: `t${i}`, type: 'latency' })).status).toBe(200);
    }
    const tooMany = await post('/proxies/p0/toxics', { name: 'extra', type: 'latency' });
    expect(tooMany.status).toBe(400);
    expect(((await (await fetch(`${base}/proxies/p0/toxics`)).json()) as unknown[]).length).toBe(MAX_TOXICS);
  });
});
