import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { SlicerStage, sliceSizes } from '../../../electron/core/toxics/slicer.js';
import { rig, toxic } from './harness.js';

describe('slicer toxic', () => {
  it('cuts slices of the asked size, give or take the variation', () => {
    for (let i = 0; i < 50; i++) {
      const sizes = sliceSizes(10_000, 100, 20);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(10_000);
      for (const size of sizes.slice(0, -1)) {
        expect(size).toBeGreaterThanOrEqual(80);
        expect(size).toBeLessThanOrEqual(120);
      }
      const mean = 10_000 / sizes.length;
      expect(mean).toBeGreaterThan(85);
      expect(mean).toBeLessThan(115);
    }
    expect(sliceSizes(10, 3, 0)).toEqual([3, 3, 3, 1]);
    expect(sliceSizes(3, 0, 5)).toEqual([1, 1, 1]);
  });

  it('passes each slice on as its own write, in order', () => {
    const out: Buffer[] = [];
    const stage = new SlicerStage(
      {
        push: (c) => out.push(c),
        end: () => undefined,
        close: () => undefined,
        reset: () => undefined,
        released: () => undefined,
      },
      { average_size: 4, size_variation: 0, delay: 0 },
    );
    stage.write(Buffer.from('abcdefghij'));
    expect(out.map(String)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('spaces the slices by the delay through a real connection', async () => {
    const payload = Buffer.alloc(1000, 0x64);
    const { connect } = await rig(
      [toxic({ type: 'slicer', attributes: { average_size: 100, size_variation: 0, delay: 20_000 } })],
      (socket) => socket.write(payload),
    );
    const client = await connect();
    const t0 = performance.now();
    let reads = 0;
    client.socket.on('data', () => reads++);
    await client.waitFor((t) => t.length >= 1000, 10_000);
    // Ten slices, 20 ms apart: at least 180 ms, and more than one read.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(170);
    expect(reads).toBeGreaterThan(1);
    expect(client.bytes.equals(payload)).toBe(true);
  });
});
