import { describe, expect, it } from 'vitest';
import { rig, roundTrip, toxic } from './harness.js';

describe('latency toxic', () => {
  it('adds the latency asked for to a round trip', async () => {
    const { connect } = await rig([toxic({ type: 'latency', attributes: { latency: 200 } })]);
    const client = await connect();
    const rtt = await roundTrip(client, 'ping\n');
    expect(rtt).toBeGreaterThanOrEqual(190);
    expect(rtt).toBeLessThan(600);
  });

  it('adds it on the way up too, and both directions add up', async () => {
    const { connect } = await rig([
      toxic({ type: 'latency', stream: 'upstream', attributes: { latency: 150 } }),
      toxic({ type: 'latency', stream: 'downstream', attributes: { latency: 150 } }),
    ]);
    const rtt = await roundTrip(await connect(), 'ping\n');
    expect(rtt).toBeGreaterThanOrEqual(290);
    expect(rtt).toBeLessThan(800);
  });

  it('keeps jitter within latency ± jitter, and the bytes in order', async () => {
    const { connect } = await rig([toxic({ type: 'latency', attributes: { latency: 100, jitter: 50 } })]);
    const client = await connect();
    for (let i = 0; i < 5; i++) {
      const rtt = await roundTrip(client, `line ${i}\n`);
      expect(rtt).toBeGreaterThanOrEqual(45);
      expect(rtt).toBeLessThan(550);
    }
    expect(client.text).toBe('line 0\nline 1\nline 2\nline 3\nline 4\n');
  });

  it('applies at once to an open connection, and its removal lets held bytes go at once, in order', async () => {
    const { forwarder, connect } = await rig();
    const client = await connect();
    expect(await roundTrip(client, 'fast\n')).toBeLessThan(150);
    forwarder.setToxics([toxic({ type: 'latency', attributes: { latency: 300 } })]);
    expect(await roundTrip(client, 'slow\n')).toBeGreaterThanOrEqual(290);

    forwarder.setToxics([toxic({ type: 'latency', attributes: { latency: 60_000 } })]);
    let echoed = '';
    const held = new Promise<void>((resolve) =>
      forwarder.on('chunk', (e) => {
        if (e.direction === 'upstream') echoed += e.bytes.toString();
        if (echoed.endsWith('held 2\n')) resolve();
      }),
    );
    client.write('held 1\n');
    client.write('held 2\n');
    await held; // both echoes reached the relay: the toxic holds them now
    expect(client.text).toBe('fast\nslow\n');
    forwarder.setToxics([]);
    await client.waitFor('held 2\n', 2000);
    expect(client.text).toBe('fast\nslow\nheld 1\nheld 2\n');
  });

  it('applies to no connection with toxicity 0', async () => {
    const { forwarder, connect } = await rig([
      toxic({ type: 'latency', toxicity: 0, attributes: { latency: 5000 } }),
    ]);
    const client = await connect();
    expect(await roundTrip(client, 'ping\n')).toBeLessThan(2000);
    expect(forwarder.activeToxics(1)).toEqual({ upstream: [], downstream: [] });
  });
});
