import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { rig, toxic } from './harness.js';

describe('bandwidth toxic', () => {
  it('holds a big transfer within 10% of the rate', async () => {
    const rate = 400; // KB/s
    const total = 800_000; // two seconds' worth
    const { connect } = await rig([toxic({ type: 'bandwidth', attributes: { rate } })], (socket) =>
      socket.end(Buffer.alloc(total, 0x62)),
    );
    const client = await connect();
    let first = 0;
    let firstBytes = 0;
    client.socket.once('data', (chunk: Buffer) => {
      first = performance.now();
      firstBytes = chunk.length;
    });
    await client.waitFor((t) => t.length >= total, 20_000);
    const seconds = (performance.now() - first) / 1000;
    // Measured from the first piece's arrival, so that piece does not count.
    const measured = (total - firstBytes) / 1000 / seconds;
    expect(measured).toBeGreaterThan(rate * 0.9);
    expect(measured).toBeLessThan(rate * 1.1);
  });

  it('lets everything through with rate 0, and applies upstream', async () => {
    const { connect, upstream } = await rig(
      [
        toxic({ type: 'bandwidth', attributes: { rate: 0 } }),
        toxic({ type: 'bandwidth', stream: 'upstream', attributes: { rate: 50 } }),
      ],
      () => undefined,
    );
    const client = await connect();
    const t0 = performance.now();
    client.write(Buffer.alloc(50_000, 0x63)); // a second's worth at 50 KB/s
    await upstream.waitForBytes(50_000, 0, 10_000);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(800);
  });
});
