/**
 * The /switchboard/ listener routes through curl (docs/api.md): create,
 * start, stop and delete a listener, replace its table (a refused one
 * answers 400 with the located issues), and its toxics, with every answer
 * checked against the listener's real sockets.
 */
import { X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { LineServer } from '../../electron/core/server.js';
import { ControlApi } from '../../electron/services/control-api/index.js';
import { mockListener } from '../../electron/services/control-api/listeners.js';
import { curl } from '../helpers/curl.js';
import { PlainServer, RawClient, isRefused, startServer } from '../helpers/net.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startApi(api = new ControlApi()): Promise<{ api: ControlApi; base: string }> {
  const started = await api.start('127.0.0.1', 0);
  if (!started.ok) throw new Error(started.message);
  cleanups.push(() => api.stop());
  return { api, base: `http://127.0.0.1:${started.port}/switchboard/listeners` };
}

const json = ['-H', 'Content-Type: application/json'];

function post(url: string, body: unknown, method = 'POST'): ReturnType<typeof curl> {
  return curl(['-X', method, ...json, '-d', JSON.stringify(body), url]);
}

async function connect(listen: string): Promise<RawClient> {
  const port = Number(listen.slice(listen.lastIndexOf(':') + 1));
  const client = await RawClient.connect(port);
  cleanups.push(() => Promise.resolve(client.destroy()));
  return client;
}

function portOf(listen: string): number {
  return Number(listen.slice(listen.lastIndexOf(':') + 1));
}

const TABLE = { commands: [{ name: 'PING', reply: 'PONG' }] };

describe('/switchboard/listeners (curl)', () => {
  it('creates a mock listener that serves at once, lists it, and refuses a second of that name', async () => {
    const { base } = await startApi();
    const created = await post(base, { name: 'mock', port: 0, commands: TABLE });
    expect(created).toMatchObject({
      status: 201,
      body: { name: 'mock', kind: 'mock', transport: 'tcp', state: 'running', connections: 0 },
    });
    const { listen } = created.body as { listen: string };
    expect(listen).toMatch(/^127\.0\.0\.1:\d+$/);
    const client = await connect(listen);
    client.write('PING\n');
    expect(await client.waitFor('PONG\r\n')).toBe('PONG\r\n');

    const list = await curl([base]);
    expect(list.body).toEqual([expect.objectContaining({ name: 'mock', listen, connections: 1 })]);
    expect(await post(base, { name: 'mock', port: 0 })).toMatchObject({
      status: 409,
      body: { error: 'listener already exists' },
    });
  });

  it('refuses a bad listener with every issue placed, and makes nothing', async () => {
    const { base } = await startApi();
    const bad = await post(base, { name: 'x', port: 70000, transport: 'sctp' });
    expect(bad.status).toBe(400);
    expect((bad.body as { issues: { message: string }[] }).issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/^listener 1 "x", port: /),
      'listener 1 "x", transport: transport must be tcp, tls or udp',
    ]);
    expect((await curl([base])).body).toEqual([]);
    const taken = await startServer();
    cleanups.push(() => taken.server.stop());
    const busy = await post(base, { name: 'busy', port: taken.port });
    expect(busy).toMatchObject({
      status: 500,
      body: { error: expect.stringMatching(/already in use/) as unknown },
    });
    expect((await curl([base])).body).toEqual([]);
  });

  it('stops a listener (its port refuses), starts it again on the same port, and deletes it', async () => {
    const { base } = await startApi();
    const { listen } = (await post(base, { name: 'm', port: 0 })).body as { listen: string };
    const client = await connect(listen);
    const stopped = await post(`${base}/m/stop`, {});
    expect(stopped).toMatchObject({ status: 200, body: { state: 'stopped', listen: null } });
    await client.waitClosed();
    expect(await isRefused(portOf(listen))).toBe(true);

    expect(await post(`${base}/m/start`, {})).toMatchObject({
      status: 200,
      body: { state: 'running', listen },
    });
    const again = await connect(listen);
    again.write('HELP\n');
    await again.waitFor('QUIT');

    expect((await curl(['-X', 'DELETE', `${base}/m`])).status).toBe(204);
    await again.waitClosed();
    expect(await isRefused(portOf(listen))).toBe(true);
    expect(await curl([`${base}/m`])).toMatchObject({ status: 404, body: { error: 'listener not found' } });
  });

  it('replaces a table: a refused one answers 400 with the located issues and changes nothing', async () => {
    const { base } = await startApi();
    const { listen } = (await post(base, { name: 'm', port: 0, commands: TABLE })).body as { listen: string };
    const client = await connect(listen);

    const refused = await post(`${base}/m/table`, { commands: [{ pattern: '(', reply: 'x' }] }, 'PUT');
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      status: 400,
      error: expect.stringMatching(/^the table was refused: rule 1, pattern: /) as unknown,
      issues: [{ rule: 0, field: 'pattern', message: expect.any(String) as unknown }],
    });
    client.write('PING\n');
    await client.waitFor('PONG\r\n');

    const replaced = await post(`${base}/m/table`, { commands: [{ name: 'PING', reply: 'PONG 2' }] }, 'PUT');
    expect(replaced).toEqual({ status: 200, body: { ok: true, rules: 1 } });
    // The open connection is answered by the new table at once.
    client.write('PING\n');
    await client.waitFor('PONG 2\r\n');
    expect((await curl([`${base}/m/table`])).body).toEqual({ commands: [{ name: 'PING', reply: 'PONG 2' }] });
    const notJson = await curl(['-X', 'PUT', ...json, '-d', '{"commands": [', `${base}/m/table`]);
    expect(notJson.status).toBe(400);
  });

  it('sets, lists and removes a mock listener’s toxics, acting on its open connection', async () => {
    const { base } = await startApi();
    const { listen } = (await post(base, { name: 'm', port: 0, commands: TABLE })).body as { listen: string };
    const client = await connect(listen);
    const added = await post(`${base}/m/toxics`, { type: 'latency', attributes: { latency: 200 } });
    expect(added).toMatchObject({ status: 200, body: { name: 'latency_downstream', stream: 'downstream' } });
    expect(await post(`${base}/m/toxics`, { type: 'latency' })).toMatchObject({ status: 409 });
    expect((await curl([`${base}/m/toxics`])).body).toEqual([
      expect.objectContaining({ name: 'latency_downstream' }),
    ]);

    const t0 = performance.now();
    client.write('PING\n');
    await client.waitFor('PONG\r\n');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(195);

    expect(await post(`${base}/m/toxics/latency_downstream`, { attributes: { latency: 0 } })).toMatchObject({
      status: 200,
      body: { attributes: { latency: 0, jitter: 0 } },
    });
    expect((await curl(['-X', 'DELETE', `${base}/m/toxics/latency_downstream`])).status).toBe(204);
    expect((await curl([`${base}/m/toxics/latency_downstream`])).status).toBe(404);
    expect(await post(`${base}/m/toxics`, { type: 'nonsense' })).toMatchObject({ status: 400 });

    // Toxiproxy's reset removes every listener's toxics too.
    await post(`${base}/m/toxics`, { type: 'timeout', attributes: { timeout: 0 } });
    expect((await curl(['-X', 'POST', `${base.replace('/switchboard/listeners', '')}/reset`])).status).toBe(
      204,
    );
    expect((await curl([`${base}/m/toxics`])).body).toEqual([]);
  });

  it('refuses toxics on a UDP listener, and a UDP listener made with toxics', async () => {
    const { base } = await startApi();
    expect(await post(base, { name: 'u', port: 0, transport: 'udp' })).toMatchObject({
      status: 201,
      body: { transport: 'udp' },
    });
    expect(await post(`${base}/u/toxics`, { type: 'latency' })).toMatchObject({
      status: 400,
      body: { error: 'udp listeners take no toxics' },
    });
    expect((await curl([`${base}/u/toxics`])).body).toEqual([]);
    const refused = await post(base, { name: 'v', port: 0, transport: 'udp', toxics: [] });
    expect(refused.body).toMatchObject({
      issues: [{ message: 'listener 1 "v", toxics: udp listeners take no toxics' }],
    });
  });

  it('creates a forwarding listener with toxics from its body, and its journal shows both ways', async () => {
    const upstream = await PlainServer.start((socket) => socket.pipe(socket));
    cleanups.push(() => upstream.close());
    const { base } = await startApi();
    const created = await post(base, {
      name: 'fw',
      port: 0,
      forward: `127.0.0.1:${upstream.port}`,
      toxics: [{ name: 'slow', type: 'latency', attributes: { latency: 150 } }],
    });
    expect(created).toMatchObject({
      status: 201,
      body: { kind: 'forward', upstream: `127.0.0.1:${upstream.port}` },
    });
    const client = await connect((created.body as { listen: string }).listen);
    const t0 = performance.now();
    client.write('hello\n');
    await client.waitFor('hello\n');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(145);
    const journal = await curl([`${base}/fw/journal?kind=line`]);
    expect(journal.body).toMatchObject({ entries: [{ kind: 'line', direction: 'client', text: 'hello' }] });
  });

  it('creates a TLS listener with the self-signed certificate of its data folder', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-api-tls-'));
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    const { base } = await startApi(new ControlApi({ dataDir }));
    const created = await post(base, { name: 'secure', port: 0, transport: 'tls', commands: TABLE });
    expect(created).toMatchObject({ status: 201, body: { transport: 'tls', state: 'running' } });
    const port = portOf((created.body as { listen: string }).listen);
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
    cleanups.push(() => Promise.resolve(socket.destroy()));
    await new Promise<void>((resolve) => socket.once('secureConnect', () => resolve()));
    const cert = new X509Certificate(await fs.readFile(path.join(dataDir, 'tls', 'cert.pem')));
    expect(socket.getPeerCertificate().fingerprint256).toBe(cert.fingerprint256);
    socket.write('PING\n');
    const reply = await new Promise<string>((resolve) =>
      socket.once('data', (c: Buffer) => resolve(String(c))),
    );
    expect(reply).toBe('PONG\r\n');
    // Without a data folder there is nowhere to keep one: refused with the reason.
    const { base: bare } = await startApi();
    expect(await post(bare, { name: 'secure', port: 0, transport: 'tls' })).toMatchObject({
      status: 500,
      body: { error: 'a tls listener without cert and key needs a data folder' },
    });
  });

  it('drives the command line’s own mock listener, which cannot be deleted', async () => {
    const api = new ControlApi();
    const { server, port } = await startServer(
      {},
      new LineServer({ commands: [{ name: 'A', reply: 'one' }] }),
    );
    cleanups.push(() => server.stop());
    api.addListener(mockListener('default', server));
    const { base } = await startApi(api);
    expect(
      (await post(`${base}/default/table`, { commands: [{ name: 'A', reply: 'two' }] }, 'PUT')).status,
    ).toBe(200);
    const client = await RawClient.connect(port);
    cleanups.push(() => Promise.resolve(client.destroy()));
    client.write('A\n');
    await client.waitFor('two\r\n');
    expect(await curl(['-X', 'DELETE', `${base}/default`])).toMatchObject({ status: 409 });
    expect((await post(`${base}/default/stop`, {})).body).toMatchObject({ state: 'stopped' });
    expect(await isRefused(port)).toBe(true);
    expect((await post(`${base}/default/start`, {})).body).toMatchObject({
      state: 'running',
      listen: `127.0.0.1:${port}`,
    });
  });
});
