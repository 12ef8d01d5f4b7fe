/**
 * Forward mode over UDP (docs/listeners.md): datagrams both ways, one
 * upstream socket per remote, closed by the idle timeout or Stop.
 */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { ForwarderEvents } from '../../electron/core/forwarder.js';
import { UdpForwarder, type UdpForwarderConfig } from '../../electron/core/udp-forwarder.js';
import { UdpClient } from '../helpers/udp.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An upstream that answers each datagram with `<its source port>:<the datagram>`. */
async function upstream(): Promise<{ port: number; sources: Set<number> }> {
  const socket = dgram.createSocket('udp4');
  const sources = new Set<number>();
  socket.on('message', (msg, rinfo) => {
    sources.add(rinfo.port);
    socket.send(Buffer.concat([Buffer.from(`${rinfo.port}:`), msg]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return { port: socket.address().port, sources };
}

async function forward(
  upstreamPort: number,
  config: Partial<UdpForwarderConfig> = {},
): Promise<{ forwarder: UdpForwarder; port: number }> {
  const forwarder = new UdpForwarder();
  const started = await forwarder.start({
    host: '127.0.0.1',
    port: 0,
    upstream: { host: '127.0.0.1', port: upstreamPort },
    idleTimeoutSec: 0,
    maxConnections: 100,
    maxDatagramBytes: 16_384,
    ...config,
  });
  if (!started.ok) throw new Error(started.message);
  cleanups.push(() => forwarder.stop());
  return { forwarder, port: started.port };
}

async function client(port: number): Promise<UdpClient> {
  const c = await UdpClient.open(port);
  cleanups.push(() => c.close());
  return c;
}

function next<K extends keyof ForwarderEvents>(f: UdpForwarder, event: K): Promise<ForwarderEvents[K]> {
  return new Promise((resolve) => {
    const off = f.on(event, (e) => {
      off();
      resolve(e);
    });
  });
}

describe('UdpForwarder', () => {
  it('gives each remote its own upstream socket, so answers go back to their sender', async () => {
    const up = await upstream();
    const { forwarder, port } = await forward(up.port);
    const frames: string[] = [];
    forwarder.on('data', (e) => frames.push(`${e.conn} ${e.direction} ${e.frames.map(String).join('|')}`));
    const [a, b] = [await client(port), await client(port)];
    await a.send('one\n');
    await b.send('two\n');
    await a.send('three\n');
    const [gotA, gotB] = [await a.waitFor(2), await b.waitFor(1)];
    expect(up.sources.size).toBe(2);
    // Same source port for both of a's datagrams; b's different.
    const portA = gotA[0]?.split(':')[0];
    expect(gotA).toEqual([`${portA}:one\n`, `${portA}:three\n`]);
    expect(gotB).toHaveLength(1);
    expect(gotB[0]).toMatch(/^\d+:two\n$/);
    expect(gotB[0]?.split(':')[0]).not.toBe(portA);
    expect(forwarder.activeConnections).toBe(2);
    expect(frames).toContain('1 client one');
    expect(frames).toContain(`1 upstream ${portA}:one`);
  });

  it('closes a silent remote after the idle timeout, and Stop closes the rest', async () => {
    const up = await upstream();
    const { forwarder, port } = await forward(up.port, { idleTimeoutSec: 1 });
    const c = await client(port);
    const closed = next(forwarder, 'close');
    await c.send('hi\n');
    await c.waitFor(1);
    expect(await closed).toMatchObject({ conn: 1, reason: 'idle', bytesIn: 3 });
    expect(forwarder.activeConnections).toBe(0);
    await c.send('again\n');
    await c.waitFor(2);
    expect(forwarder.activeConnections).toBe(1);
    const stopClose = next(forwarder, 'close');
    expect((await forwarder.stop()).closed).toBe(1);
    expect(await stopClose).toMatchObject({ conn: 2, reason: 'stop' });
  });

  it('drops a datagram over the limit and says so', async () => {
    const up = await upstream();
    const { forwarder, port } = await forward(up.port, { maxDatagramBytes: 10 });
    const c = await client(port);
    const error = next(forwarder, 'error');
    await c.send('x'.repeat(11));
    expect((await error).message).toMatch(/dropped a datagram of 11 bytes .* \(the limit is 10\)/);
    expect(up.sources.size).toBe(0);
  });
});
