import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { rig, roundTrip, toxic } from './harness.js';

describe('limit_data toxic', () => {
  it('closes the connection after exactly the bytes allowed', async () => {
    const { connect, nextClose } = await rig(
      [toxic({ type: 'limit_data', attributes: { bytes: 1000 } })],
      (socket) => socket.write(Buffer.alloc(5000, 0x65)),
    );
    const closed = nextClose();
    const client = await connect();
    await client.waitClosed();
    expect(client.bytes.length).toBe(1000);
    expect(await closed).toMatchObject({
      reason: 'toxic',
      message: expect.stringMatching(/limit_data/) as unknown,
    });
  });
});

describe('reset_peer toxic', () => {
  it('resets the connection (ECONNRESET) the timeout after data came', async () => {
    const { connect } = await rig([toxic({ type: 'reset_peer', attributes: { timeout: 100 } })]);
    const client = await connect();
    const error = new Promise<NodeJS.ErrnoException>((resolve) => client.socket.once('error', resolve));
    const t0 = performance.now();
    client.write('ping\n');
    expect((await error).code).toBe('ECONNRESET');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(90);
  });
});

describe('timeout toxic', () => {
  it('lets nothing through and closes after the timeout', async () => {
    const { connect, nextClose } = await rig([toxic({ type: 'timeout', attributes: { timeout: 200 } })]);
    const closed = nextClose();
    const t0 = performance.now();
    const client = await connect();
    client.write('ping\n');
    await client.waitClosed();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
    expect(client.text).toBe('');
    expect((await closed).reason).toBe('toxic');
  });

  it('with 0, drops bytes and never closes until removed; then bytes flow again', async () => {
    const { forwarder, connect, upstream } = await rig([
      toxic({ type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } }),
    ]);
    const client = await connect();
    client.write('dropped\n');
    let relayed = 0;
    await new Promise<void>((resolve) =>
      forwarder.on('chunk', (e) => {
        relayed += e.bytes.length;
        if (relayed >= 8) resolve();
      }),
    );
    forwarder.setToxics([]);
    expect(await roundTrip(client, 'after\n')).toBeLessThan(2000);
    expect(client.text).toBe('after\n');
    expect(upstream.bytes().toString()).toBe('after\n');
    expect(client.isClosed).toBe(false);
  });
});

describe('slow_close toxic', () => {
  it('delays the close by the delay, after the bytes', async () => {
    const { connect } = await rig([toxic({ type: 'slow_close', attributes: { delay: 300 } })], (socket) =>
      socket.end('bye\n'),
    );
    const client = await connect();
    await client.waitFor('bye\n');
    const t0 = performance.now();
    await client.waitClosed();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(250);
  });
});
