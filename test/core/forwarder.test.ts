import { randomBytes } from 'node:crypto';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Forwarder,
  lineDisplayFramer,
  parseHostPort,
  type ForwarderEvents,
} from '../../electron/core/forwarder.js';
import { closedPort, eventually, isRefused, PlainServer, RawClient } from '../helpers/net.js';
import { redisCli, startRedis, type RedisServer } from '../helpers/redis.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function forwardTo(
  upstreamPort: number,
  forwarder = new Forwarder(),
): Promise<{ forwarder: Forwarder; port: number }> {
  const started = await forwarder.start({
    host: '127.0.0.1',
    port: 0,
    upstream: { host: '127.0.0.1', port: upstreamPort },
  });
  if (!started.ok) throw new Error(started.message);
  cleanups.push(() => forwarder.stop());
  return { forwarder, port: started.port };
}

async function plain(onConnection: (socket: net.Socket) => void): Promise<PlainServer> {
  const server = await PlainServer.start(onConnection);
  cleanups.push(() => server.close());
  return server;
}

function nextClose(forwarder: Forwarder): Promise<ForwarderEvents['close']> {
  return new Promise((resolve) => forwarder.once('close', resolve));
}

describe('Forwarder', () => {
  it('relays a megabyte each way byte for byte, in order', async () => {
    const upstream = await plain((socket) => socket.pipe(socket));
    const { port } = await forwardTo(upstream.port);
    const payload = randomBytes(1024 * 1024);
    const client = await RawClient.connect(port);
    client.write(payload);
    await client.waitFor(() => client.bytes.length >= payload.length, 20_000);
    expect(client.bytes.equals(payload)).toBe(true);
    client.destroy();
  });

  it('passes a half-close through, and closes the client once the reply after it is delivered', async () => {
    const upstream = await plain((socket) => {
      let got = '';
      socket.on('data', (c: Buffer) => (got += c.toString()));
      // Answers only once the client's FIN has come through.
      socket.on('end', () => socket.end(`got ${got.length} bytes\n`));
    });
    const { forwarder, port } = await forwardTo(upstream.port);
    const closed = nextClose(forwarder);
    const client = await RawClient.connect(port);
    client.end('hello\nworld\n');
    expect(await client.waitClosed()).toBe('got 12 bytes\n');
    const event = await closed;
    expect(event.reason).toBe('client-closed');
    expect(event.bytesIn).toBe(12);
    expect(event.bytesOut).toBe(13);
  });

  it('closes the client after the upstream closes, with every byte delivered first', async () => {
    const big = randomBytes(512 * 1024);
    const upstream = await plain((socket) => socket.end(big));
    const { forwarder, port } = await forwardTo(upstream.port);
    const closed = nextClose(forwarder);
    const client = await RawClient.connect(port, '127.0.0.1', { allowHalfOpen: false });
    await client.waitClosed();
    expect(client.bytes.equals(big)).toBe(true);
    expect((await closed).reason).toBe('upstream-closed');
  });

  it('closes the client of an unreachable upstream, and says why', async () => {
    const { forwarder, port } = await forwardTo(await closedPort());
    const closed = nextClose(forwarder);
    const client = await RawClient.connect(port);
    client.write('anyone there?\n');
    expect(await client.waitClosed()).toBe('');
    client.end();
    const event = await closed;
    expect(event.reason).toBe('unreachable');
    expect(event.message).toMatch(/cannot reach upstream 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });

  it('reports what passed both ways as framed data events', async () => {
    const upstream = await plain((socket) => socket.on('data', () => socket.write('+OK\r\nsecond line\n')));
    const { forwarder, port } = await forwardTo(upstream.port);
    const seen: string[] = [];
    forwarder.on('data', (e) => seen.push(...e.frames.map((f) => `${e.direction}: ${f.toString()}`)));
    const client = await RawClient.connect(port);
    client.write('SET a 1\r\n');
    await client.waitFor('second line\n');
    expect(seen).toEqual(['client: SET a 1', 'upstream: +OK', 'upstream: second line']);
    client.destroy();
  });

  it('stops at once: every connection closed, the port refused, a restart on it works', async () => {
    const upstream = await plain(() => undefined); // silent upstream
    const { forwarder, port } = await forwardTo(upstream.port);
    const clients = await Promise.all([1, 2, 3].map(() => RawClient.connect(port)));
    await new Promise<void>((resolve) => {
      const check = (): void => (forwarder.activeConnections === 3 ? resolve() : void setTimeout(check, 5));
      check();
    });
    const report = await forwarder.stop();
    expect(report.closed).toBe(3);
    await Promise.all(clients.map((c) => c.waitClosed()));
    expect(await isRefused(port)).toBe(true);
    const again = await forwarder.start({
      host: '127.0.0.1',
      port,
      upstream: { host: '127.0.0.1', port: upstream.port },
    });
    expect(again.ok).toBe(true);
  });

  it('refuses a second start and an invalid port with a clear message', async () => {
    const upstream = await plain(() => undefined);
    const { forwarder } = await forwardTo(upstream.port);
    const second = await forwarder.start({
      host: '127.0.0.1',
      port: 0,
      upstream: { host: '127.0.0.1', port: 1 },
    });
    expect(second).toMatchObject({ ok: false, code: 'EBUSY' });
    const bad = await new Forwarder().start({
      host: '127.0.0.1',
      port: 70000,
      upstream: { host: 'x', port: 1 },
    });
    expect(bad).toMatchObject({ ok: false, code: 'EINVAL' });
  });

  it('stops reading the upstream while the client reads nothing', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    // The upstream writes 64 MiB regardless, a chunk per turn: what the
    // relay does not read piles up at the upstream (loopback's kernel
    // buffers, autotuned, can hold a few MiB on each side).
    const upstream = await plain((socket) => {
      let left = 1024;
      const pump = (): void => {
        if (left-- <= 0 || socket.destroyed) return;
        socket.write(chunk);
        setImmediate(pump);
      };
      pump();
    });
    const { forwarder, port } = await forwardTo(upstream.port);
    let relayed = 0;
    forwarder.on('chunk', (e) => (relayed += e.direction === 'upstream' ? e.bytes.length : 0));
    const client = await RawClient.connect(port);
    client.socket.pause();
    await eventually(
      () => (upstream.sockets[0]?.writableLength ?? 0) > 24 * 1024 * 1024,
      25_000,
      'the upstream to back up',
    );
    expect(relayed).toBeLessThan(24 * 1024 * 1024);
    client.destroy();
  }, 30_000);
});

describe('Forwarder with redis-server as the upstream', () => {
  let redis: RedisServer;
  afterEach(async () => redis.stop());

  it('serves redis-cli and raw RESP through the relay', async () => {
    redis = await startRedis();
    const { port } = await forwardTo(redis.port);
    expect((await redisCli(port, ['SET', 'greeting', 'hello'])).trim()).toBe('OK');
    expect((await redisCli(port, ['GET', 'greeting'])).trim()).toBe('hello');
    const client = await RawClient.connect(port);
    client.write('*1\r\n$4\r\nPING\r\nPING\r\n');
    expect(await client.waitFor('+PONG\r\n+PONG\r\n')).toBe('+PONG\r\n+PONG\r\n');
    client.destroy();
  });
});

describe('parseHostPort', () => {
  it('reads HOST:PORT and [v6]:PORT and explains what is wrong', () => {
    expect(parseHostPort('127.0.0.1:6379')).toEqual({ host: '127.0.0.1', port: 6379 });
    expect(parseHostPort('[::1]:80')).toEqual({ host: '::1', port: 80 });
    expect(parseHostPort('localhost')).toMatch(/not HOST:PORT/);
    expect(parseHostPort('a:99999')).toMatch(/no valid port/);
  });
});

describe('lineDisplayFramer', () => {
  it('cuts LF lines, drops one CR, and shows an endless line in bounded pieces', () => {
    const framer = lineDisplayFramer(4);
    expect(framer.push(Buffer.from('ab\r\ncd')).map(String)).toEqual(['ab']);
    expect(framer.push(Buffer.from('efgh\nx')).map(String)).toEqual(['cdef', 'gh']);
    expect(framer.end().map(String)).toEqual(['x']);
    expect(framer.push(Buffer.from('y\r')).map(String)).toEqual([]);
    expect(framer.push(Buffer.from('\nz')).map(String)).toEqual(['y']);
  });

  it('hands a line repeated in one read out as the same view, and a line that differs as its own', () => {
    const framer = lineDisplayFramer();
    const frames = framer.push(Buffer.from('PING\r\nPING\r\nPINGS\nPONG\nPONG\n'));
    expect(frames.map(String)).toEqual(['PING', 'PING', 'PINGS', 'PONG', 'PONG']);
    expect(frames[1]).toBe(frames[0]);
    expect(frames[4]).toBe(frames[3]);
    expect(frames[3]).not.toBe(frames[0]);
    const long = 'x'.repeat(100);
    expect(framer.push(Buffer.from(`${long}\n${long}\n`)).map(String)).toEqual([long, long]);
  });
});
