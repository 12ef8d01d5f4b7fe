import { promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startWebHost, WEB_CSP, type WebHost } from '../../electron/cli/web-host.js';
import { createAppServices, type AppServices } from '../../electron/services/app-services.js';
import type { SocketMessage } from '../../electron/shared/ipc/ipc-contract.js';
import { DEFAULT_SETTINGS } from '../../electron/shared/protocol/settings.js';
import { SOCKET_MESSAGE_LIMIT } from '../../electron/shared/ipc/socket-limits.js';
import { RawClient, closedPort, isRefused } from '../helpers/net.js';
import { rawUpgrade, frame } from '../helpers/websocket.js';

let dir: string;
let services: AppServices;
let host: WebHost;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-web-'));
  const staticDir = path.join(dir, 'static');
  await fs.mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await fs.writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Switchboard</title>');
  await fs.writeFile(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  await fs.writeFile(path.join(dir, 'secret.txt'), 'secret');
  services = await createAppServices({ dataDir: path.join(dir, 'data') });
  host = await startWebHost({ port: 0, staticDir, services });
});

afterEach(async () => {
  await services.shutdown();
  await host.close();
  await fs.rm(dir, { recursive: true, force: true });
});

/** A plain HTTP request with exactly the headers given (forged ones included). */
function request(
  pathname: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: host.port, path: pathname, headers, setHost: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (s: string) => (body += s));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
    });
    req.on('error', reject);
    req.end();
  });
}

function upgradeHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    host: `127.0.0.1:${host.port}`,
    origin: `http://127.0.0.1:${host.port}`,
    connection: 'Upgrade',
    upgrade: 'websocket',
    'sec-websocket-version': '13',
    'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    ...extra,
  };
}

/** Opens the control socket as the page would. */
async function openSocket(origin = `http://127.0.0.1:${host.port}`): Promise<{
  ws: WebSocket;
  messages: SocketMessage[];
  call: (channel: string, payload?: unknown) => Promise<SocketMessage>;
}> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ipc?token=${host.token}`, { origin });
  const messages: SocketMessage[] = [];
  const waiting = new Map<number, (m: SocketMessage) => void>();
  ws.on('message', (data: Buffer) => {
    const m = JSON.parse(data.toString()) as SocketMessage;
    messages.push(m);
    if ('id' in m) waiting.get(m.id)?.(m);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let id = 0;
  const call = (channel: string, payload?: unknown): Promise<SocketMessage> => {
    const n = ++id;
    return new Promise((resolve) => {
      waiting.set(n, resolve);
      ws.send(JSON.stringify({ id: n, channel, payload }));
    });
  };
  return { ws, messages, call };
}

describe('browser-mode host', () => {
  it('prints an address with a fresh token of at least 128 bits, on loopback', async () => {
    expect(host.address).toBe('127.0.0.1');
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    expect(Buffer.from(host.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    const other = await startWebHost({ port: 0, staticDir: path.join(dir, 'static'), services });
    expect(other.token).not.toBe(host.token);
    await other.close();
  });

  it('serves the page without the token, with a strict CSP', async () => {
    const res = await request('/', { host: `127.0.0.1:${host.port}` });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Switchboard</title>');
    expect(res.headers['content-security-policy']).toBe(WEB_CSP);
    const js = await request('/assets/app.js', { host: `localhost:${host.port}` });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('refuses requests whose Host is not this loopback port (DNS rebinding)', async () => {
    for (const h of ['evil.example:' + String(host.port), '127.0.0.1:1', 'localhost', '']) {
      const res = await request('/', { host: h });
      expect(res.status, h).toBe(421);
    }
  });

  it('never serves files outside the window folder', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt']) {
      const res = await request(p, { host: `127.0.0.1:${host.port}` });
      expect(res.body, p).not.toContain('secret');
    }
  });

  it.each([
    ['no token', '/ipc', {}],
    ['a wrong token', '/ipc?token=AAAA', {}],
    ['a foreign Origin', 'TOKEN', { origin: 'http://evil.example' }],
    ['no Origin', 'TOKEN', { origin: '' }],
    ['an Origin on another port', 'TOKEN', { origin: 'http://127.0.0.1:1' }],
    ['a foreign Host', 'TOKEN', { host: 'evil.example' }],
  ])('refuses a socket upgrade with %s', async (_what, pathname, extra) => {
    const target = pathname === 'TOKEN' ? `/ipc?token=${host.token}` : pathname;
    const res = await request(target, upgradeHeaders(extra));
    expect(res.status).toBe(403);
  });

  it('accepts the page’s own socket and answers requests through the handler table', async () => {
    const { ws, call } = await openSocket();
    const snapshot = await call('app:snapshot');
    expect(snapshot).toMatchObject({ ok: true, value: { status: { state: 'stopped', text: 'Stopped' } } });
    ws.close();
  });

  it('accepts localhost as well as 127.0.0.1', async () => {
    const { ws, call } = await openSocket(`http://localhost:${host.port}`);
    expect(await call('server:stop')).toMatchObject({ ok: true });
    ws.close();
  });

  it('refuses unknown channels and bad payloads with a clear message, and keeps working', async () => {
    const { ws, call } = await openSocket();
    expect(await call('server:explode')).toMatchObject({
      ok: false,
      error: 'unknown channel "server:explode"',
    });
    const bad = await call('server:start', { ...DEFAULT_SETTINGS, port: '80' });
    expect(bad).toMatchObject({ ok: false });
    expect('error' in bad && bad.error).toContain('port');
    ws.send('not json');
    expect(await call('app:snapshot')).toMatchObject({ ok: true });
    ws.close();
  });

  it('drives the real server and pushes its events to the page', async () => {
    const { ws, messages, call } = await openSocket();
    const started = await call('server:start', { ...DEFAULT_SETTINGS, port: 0 });
    expect(started).toMatchObject({ ok: true, value: { ok: true, status: { state: 'running' } } });
    const port = services.server.status.port;
    const client = await RawClient.connect(port);
    client.write('SONG\n');
    await client.waitFor('E-I-E-I-O!');
    await expect.poll(() => messages.some((m) => 'event' in m && m.event === 'log:batch')).toBe(true);
    expect(messages.some((m) => 'event' in m && m.event === 'server:status')).toBe(true);
    const stopped = await call('server:stop');
    expect(stopped).toMatchObject({ ok: true, value: { closed: 1 } });
    await client.waitClosed();
    expect(await isRefused(port)).toBe(true);
    ws.close();
  });

  describe('frames ws refuses close that tab only', () => {
    const cases: [string, Buffer][] = [
      // Only the header: ws refuses on the length alone.
      ['a frame over the payload limit', frame(0x1, Buffer.alloc(0), { length: SOCKET_MESSAGE_LIMIT + 1 })],
      ['invalid UTF-8 in a text frame', frame(0x1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))],
      ['a reserved opcode', frame(0x3, Buffer.from('x'))],
      ['an unmasked client frame', frame(0x1, Buffer.from('{}'), { masked: false })],
      ['a reserved bit without an extension', frame(0x1, Buffer.from('{}'), { rsv1: true })],
    ];
    it.each(cases)('%s', async (_what, bytes) => {
      const other = await openSocket();
      const raw = await rawUpgrade(host.port, host.token);
      raw.socket.write(bytes);
      const close = await raw.closed;
      // The tab hears a close frame with a protocol error code (1002, 1007, 1009) or is cut off.
      if (close.code !== null) expect([1002, 1007, 1009]).toContain(close.code);
      expect(await other.call('app:snapshot')).toMatchObject({ ok: true });
      other.ws.close();
    });
  });

  it.each([
    ['€', 'three bytes each'],
    ['\u0001', 'six bytes each in JSON'],
  ])('carries a client:send of the longest line of %s (%s)', async (char) => {
    const { ws, call } = await openSocket();
    const line = char.repeat(1024 * 1024);
    const answer = await call('client:send', {
      host: '127.0.0.1',
      port: await closedPort(),
      line,
      lineEnding: 'lf',
    });
    // An answer (the port is closed, so a refusal), not a cut socket.
    expect(answer).toMatchObject({ ok: true, value: { ok: false } });
    expect(ws.readyState).toBe(ws.OPEN);
    ws.close();
  });
});
