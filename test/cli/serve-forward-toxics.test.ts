/**
 * Every toxic (docs/forwarding.md, "Faults"), set with Toxiproxy's own Node
 * client on a real `npm run serve -- --forward … --api 0` process in front of
 * a real redis-server, and seen by redis-cli or a raw RESP client: each one
 * does what Toxiproxy documents, and removing it brings redis back unchanged.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Toxiproxy, type Proxy } from 'toxiproxy-node-client';
import { RawClient } from '../helpers/net.js';
import { startServe, type CliProcess } from '../helpers/process.js';
import { redisCli, startRedis, type RedisServer } from '../helpers/redis.js';

let redis: RedisServer;
let cli: CliProcess;
let port = 0;
let proxy: Proxy;

/** A value redis keeps under `big`: its GET reply is `$N\r\n` + N bytes + `\r\n`. */
const BIG = 'x'.repeat(200_000);
const BIG_REPLY_BYTES = `$${BIG.length}\r\n`.length + BIG.length + 2;

beforeAll(async () => {
  redis = await startRedis();
  // Straight to redis: the toxics below act on the way through Switchboard only.
  expect((await redisCli(redis.port, ['-x', 'SET', 'big'], BIG)).trim()).toBe('OK');
  expect((await redisCli(redis.port, ['SET', 'small', 'y'.repeat(100)])).trim()).toBe('OK');
  const started = await startServe(['--forward', `127.0.0.1:${redis.port}`, '--api', '0']);
  cli = started.cli;
  port = started.port;
  const api = await cli.waitForLine(/^api on (http:\/\/127\.0\.0\.1:\d+)$/);
  proxy = await new Toxiproxy(api[1] ?? '').get('default');
});
afterAll(async () => {
  cli.send('quit\n');
  await cli.exited;
  await redis.stop();
});

/** Adds a toxic for one case; the case removes it and checks redis is plain again. */
async function withToxic(
  type: string,
  attributes: Record<string, number>,
  run: () => Promise<void>,
  stream: 'upstream' | 'downstream' = 'downstream',
): Promise<void> {
  const toxic = await proxy.addToxic({ name: type, type: type as never, stream, toxicity: 1, attributes });
  try {
    await run();
  } finally {
    await toxic.remove();
  }
  expect((await redisCli(port, ['PING'])).trim()).toBe('PONG');
}

/** One RESP command on a fresh connection: every chunk as it came, and when the answer or the close came. */
async function command(line: string, until: (text: string) => boolean) {
  const client = await RawClient.connect(port);
  const chunks: number[] = [];
  client.socket.on('data', (chunk: Buffer) => chunks.push(chunk.length));
  const reset = new Promise<string>((resolve) =>
    client.socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? '')),
  );
  const t0 = performance.now();
  client.write(`${line}\r\n`);
  await client.waitFor((text) => until(text) || client.isClosed, 10_000);
  const answeredMs = performance.now() - t0;
  return { client, chunks, reset, answeredMs, t0 };
}

describe('each toxic through serve --forward to redis-server, set with toxiproxy-node-client', () => {
  it('latency: redis-cli PING takes the latency longer, and the answer is still PONG', async () => {
    await withToxic('latency', { latency: 300, jitter: 0 }, async () => {
      const t0 = performance.now();
      expect((await redisCli(port, ['PING'])).trim()).toBe('PONG');
      expect(performance.now() - t0).toBeGreaterThanOrEqual(295);
    });
  });

  it('bandwidth: a 200 kB GET comes at the rate, within 10%, whole', async () => {
    await withToxic('bandwidth', { rate: 100 }, async () => {
      const { client, answeredMs } = await command('GET big', (t) => t.length >= BIG_REPLY_BYTES);
      expect(client.bytes.length).toBe(BIG_REPLY_BYTES);
      expect(client.text.endsWith(`${BIG}\r\n`)).toBe(true);
      // 100 KB/s is 100 bytes a millisecond (Toxiproxy's KB is 1000 bytes).
      const expectedMs = BIG_REPLY_BYTES / 100;
      expect(answeredMs).toBeGreaterThanOrEqual(expectedMs * 0.9);
      expect(answeredMs).toBeLessThanOrEqual(expectedMs * 1.1 + 100);
      client.destroy();
    });
  });

  it('slicer: the GET answer comes in slices of the asked size, spaced by the delay', async () => {
    await withToxic('slicer', { average_size: 10, size_variation: 0, delay: 5000 }, async () => {
      const reply = `$100\r\n${'y'.repeat(100)}\r\n`;
      const { client, chunks, answeredMs } = await command('GET small', (t) => t.length >= reply.length);
      expect(client.text).toBe(reply);
      // 108 bytes in slices of 10, 5 ms apart: eleven writes over some 50 ms. A busy
      // client may read two slices at once, but none is larger than the slices it read.
      expect(chunks.length).toBeGreaterThanOrEqual(6);
      expect(chunks.filter((n) => n <= 10).length).toBeGreaterThanOrEqual(chunks.length / 2);
      expect(answeredMs).toBeGreaterThanOrEqual(45);
      client.destroy();
    });
  });

  it('limit_data: the client gets exactly the bytes allowed of the GET answer, then the close', async () => {
    await withToxic('limit_data', { bytes: 50 }, async () => {
      const { client } = await command('GET big', () => false);
      await client.waitClosed();
      expect(client.bytes.length).toBe(50);
      expect(client.text).toBe(`$200000\r\n${'x'.repeat(41)}`);
    });
  });

  it('timeout: nothing comes back, and the connection closes after the timeout', async () => {
    await withToxic('timeout', { timeout: 300 }, async () => {
      const { client, answeredMs } = await command('PING', () => false);
      expect(client.isClosed).toBe(true);
      expect(client.bytes.length).toBe(0);
      expect(answeredMs).toBeGreaterThanOrEqual(295);
    });
  });

  it('timeout 0 upstream: what the client sends is dropped, the connection stays open; removed, bytes flow again', async () => {
    const client = await RawClient.connect(port);
    const toxic = await proxy.addToxic({
      name: 'drop',
      type: 'timeout',
      stream: 'upstream',
      toxicity: 1,
      attributes: { timeout: 0 },
    });
    client.write('SET dropped 1\r\n');
    // That nothing arrives can only be seen by waiting: long enough for redis to have answered many times over.
    await sleep(300);
    expect((await redisCli(redis.port, ['EXISTS', 'dropped'])).trim()).toBe('0');
    expect(client.isClosed).toBe(false);
    expect(client.bytes.length).toBe(0);
    await toxic.remove();
    client.write('SET dropped 2\r\n');
    await client.waitFor('+OK\r\n');
    expect((await redisCli(redis.port, ['GET', 'dropped'])).trim()).toBe('2');
    client.destroy();
  });

  it('reset_peer: the client gets ECONNRESET the timeout after it sent data', async () => {
    await withToxic('reset_peer', { timeout: 200 }, async () => {
      const { reset, t0, client } = await command('PING', () => false);
      expect(await reset).toBe('ECONNRESET');
      expect(performance.now() - t0).toBeGreaterThanOrEqual(195);
      client.destroy();
    });
  });

  it('slow_close: QUIT is answered at once, and the close comes the delay later', async () => {
    await withToxic('slow_close', { delay: 400 }, async () => {
      const { client, t0, answeredMs } = await command('QUIT', (t) => t.includes('+OK\r\n'));
      expect(client.text).toBe('+OK\r\n');
      expect(answeredMs).toBeLessThan(400);
      await client.waitClosed();
      expect(performance.now() - t0).toBeGreaterThanOrEqual(395);
    });
  });
});
