/**
 * The control API through curl, as a script would drive it: its safety
 * rules (Host, Origin, JSON bodies, bounded bodies) and the /switchboard/
 * routes, through real sockets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LineServer } from '../../electron/core/server.js';
import { ControlApi } from '../../electron/services/control-api/index.js';
import { mockListener } from '../../electron/services/control-api/listeners.js';
import { curl } from '../helpers/curl.js';
import { PlainServer, RawClient, startServer } from '../helpers/net.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startApi(): Promise<{ api: ControlApi; port: number }> {
  const api = new ControlApi();
  const started = await api.start('127.0.0.1', 0);
  if (!started.ok) throw new Error(started.message);
  cleanups.push(() => api.stop());
  return { api, port: started.port };
}

const json = ['-H', 'Content-Type: application/json'];

describe('control API safety (curl)', () => {
  it('refuses a foreign Host, and accepts localhost and 127.0.0.1 with its port', async () => {
    const { port } = await startApi();
    const url = `http://127.0.0.1:${port}/proxies`;
    expect(await curl(['-H', `Host: evil.example:${port}`, url])).toMatchObject({
      status: 403,
      body: { error: expect.stringMatching(/Host/) as unknown },
    });
    expect((await curl(['-H', 'Host: 127.0.0.1:1', url])).status).toBe(403);
    expect((await curl(['-H', `Host: localhost:${port}`, url])).status).toBe(200);
    expect((await curl([url])).status).toBe(200);
  });

  it('refuses a foreign Origin (and "null"), accepts a loopback one', async () => {
    const { port } = await startApi();
    const url = `http://127.0.0.1:${port}/proxies`;
    expect((await curl(['-H', 'Origin: https://evil.example', url])).status).toBe(403);
    expect((await curl(['-H', 'Origin: null', url])).status).toBe(403);
    expect((await curl(['-H', 'Origin: http://localhost:5173', url])).status).toBe(200);
  });

  it('refuses a state-changing body that is not JSON, even an empty form', async () => {
    const { api, port } = await startApi();
    const url = `http://127.0.0.1:${port}/proxies`;
    const form = await curl([
      '-X',
      'POST',
      '-H',
      'Content-Type: text/plain',
      '--data-binary',
      '{"name":"x","upstream":"127.0.0.1:1"}',
      url,
    ]);
    expect(form).toMatchObject({ status: 415, body: { error: expect.stringMatching(/JSON/) as unknown } });
    expect(
      (
        await curl([
          '-X',
          'POST',
          '-H',
          'Content-Type: application/x-www-form-urlencoded',
          `http://127.0.0.1:${port}/reset`,
        ])
      ).status,
    ).toBe(415);
    expect(api.proxies.entries).toHaveLength(0);
  });

  it('answers bad JSON, a bad field, an oversized body, an unknown route and a wrong method with JSON errors', async () => {
    const { api, port } = await startApi();
    const base = `http://127.0.0.1:${port}`;
    expect(await curl(['-X', 'POST', ...json, '--data-binary', '{"name":', `${base}/proxies`])).toMatchObject(
      {
        status: 400,
        body: { error: expect.stringMatching(/^bad request body/) as unknown },
      },
    );
    expect(
      await curl([
        '-X',
        'POST',
        ...json,
        '--data-binary',
        '{"name":"x","upstream":"127.0.0.1:1","enabled":"yes"}',
        `${base}/proxies`,
      ]),
    ).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/enabled/) as unknown },
    });
    const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
    expect((await curl(['-X', 'POST', ...json, '--data-binary', '@-', `${base}/proxies`], big)).status).toBe(
      413,
    );
    expect(await curl([`${base}/nothing/here`])).toMatchObject({
      status: 404,
      body: { error: expect.any(String) as unknown },
    });
    expect((await curl(['-X', 'DELETE', `${base}/proxies`])).status).toBe(405);
    expect(api.proxies.entries).toHaveLength(0);
  });
});

describe('/switchboard/ routes (curl)', () => {
  it('lists listeners, reads a journal filtered by connection and kind, verifies a line count, resets', async () => {
    const { api, port } = await startApi();
    const { server, port: mockPort } = await startServer({}, new LineServer());
    cleanups.push(() => server.stop());
    api.addListener(mockListener('mock', server));
    const base = `http://127.0.0.1:${port}`;

    const listed = await curl([`${base}/switchboard/listeners`]);
    expect(listed.body).toEqual([
      { name: 'mock', kind: 'mock', state: 'running', listen: `127.0.0.1:${mockPort}`, connections: 0 },
    ]);

    const first = await RawClient.connect(mockPort);
    first.write('SONG\nSONG\n');
    await first.waitFor('farm, E-I-E-I-O!\r\nOld');
    const second = await RawClient.connect(mockPort);
    second.end('QUOTE\n');
    await second.waitClosed();
    first.destroy();

    const lines = await curl([`${base}/switchboard/listeners/mock/journal?kind=line`]);
    expect((lines.body as { entries: { text: string; conn: number }[] }).entries.map((e) => e.text)).toEqual([
      'SONG',
      'SONG',
      'QUOTE',
    ]);
    const conn2 = await curl([`${base}/switchboard/listeners/mock/journal?kind=line&conn=2`]);
    expect((conn2.body as { entries: { text: string }[] }).entries.map((e) => e.text)).toEqual(['QUOTE']);
    expect((await curl([`${base}/switchboard/listeners/mock/journal?kind=bogus`])).status).toBe(400);

    const verify = (body: unknown) =>
      curl([
        '-X',
        'POST',
        ...json,
        '--data-binary',
        JSON.stringify(body),
        `${base}/switchboard/listeners/mock/verify`,
      ]);
    expect((await verify({ line: 'SONG', times: 2 })).body).toEqual({ count: 2, times: 2, ok: true });
    expect((await verify({ pattern: '^(SONG|QUOTE)$' })).body).toEqual({ count: 3, ok: true });
    expect((await verify({ line: 'SONG', times: 1 })).body).toEqual({ count: 2, times: 1, ok: false });
    expect((await verify({ pattern: '(' })).status).toBe(400);
    expect((await verify({ line: 'a', pattern: 'b' })).status).toBe(400);

    expect((await curl(['-X', 'POST', `${base}/switchboard/reset`])).status).toBe(204);
    expect((await verify({ line: 'SONG' })).body).toEqual({ count: 0, ok: false });
    expect((await curl([`${base}/switchboard/listeners/none/journal`])).status).toBe(404);
  });

  it('journals a proxy made through the Toxiproxy routes, both directions', async () => {
    const upstream = await PlainServer.start((socket) => socket.on('data', () => socket.write('+OK\r\n')));
    cleanups.push(() => upstream.close());
    const { port } = await startApi();
    const base = `http://127.0.0.1:${port}`;
    const created = await curl([
      '-X',
      'POST',
      ...json,
      '--data-binary',
      JSON.stringify({ name: 'up', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}` }),
      `${base}/proxies`,
    ]);
    expect(created.status).toBe(201);
    const listen = (created.body as { listen: string }).listen;
    const c = await RawClient.connect(Number(listen.split(':')[1]));
    c.write('SET k v\r\n');
    await c.waitFor('+OK\r\n');
    c.destroy();
    const journal = await curl([`${base}/switchboard/listeners/up/journal?conn=1`]);
    const entries = (journal.body as { entries: { kind: string; direction?: string; text: string }[] })
      .entries;
    expect(entries.filter((e) => e.kind === 'line' || e.kind === 'reply')).toEqual([
      expect.objectContaining({ kind: 'line', direction: 'client', text: 'SET k v' }),
      expect.objectContaining({ kind: 'reply', direction: 'upstream', text: '+OK' }),
    ]);
    const listeners = await curl([`${base}/switchboard/listeners`]);
    expect(listeners.body).toEqual([
      expect.objectContaining({
        name: 'up',
        kind: 'forward',
        state: 'running',
        upstream: `127.0.0.1:${upstream.port}`,
      }),
    ]);
  });
});
