import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createFramer,
  type FramingConfig,
  type OverLimitPolicy,
} from '../../../electron/core/framing/index.js';
import { countModel } from './count-model.js';
import { checkFramingProperties, fixedFraming, frameStream, latin1, policies } from './harness.js';

const streams = fc.uint8Array({ maxLength: 100 }).map((bytes) => Buffer.from(bytes));
const framings = fc.integer({ min: 1, max: 12 }).map(fixedFraming);
const limits = fc.integer({ min: 1, max: 10 });
const fixedOf = (framing: FramingConfig): number => (framing as { fixed: number }).fixed;

describe('{ fixed: N } (properties)', () => {
  it('cuts every N bytes however the stream is chunked, never throwing, holding less than a frame', () => {
    checkFramingProperties(framings, streams, limits, (_, max) => max, 1500);
  });

  it('agrees with a plain model', () => {
    fc.assert(
      fc.property(framings, streams, limits, policies, (framing, bytes, max, policy: OverLimitPolicy) => {
        const n = fixedOf(framing);
        expect(frameStream(framing, max, policy, [bytes])).toEqual(
          countModel(bytes.toString('latin1'), 0, () => n, max, policy),
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe('{ fixed: N }', () => {
  it('hands out each N bytes as one request, views into the chunk when it holds them', () => {
    const chunk = latin1('abcdefgh');
    const framer = createFramer(fixedFraming(4), 100);
    framer.push(chunk);
    const first = framer.next();
    expect(first?.request.toString()).toBe('abcd');
    expect(first?.request.buffer).toBe(chunk.buffer);
    expect(framer.next()?.request.toString()).toBe('efgh');
    expect(framer.next()).toBeNull();
  });

  it('drops a partial frame at the end of input and says which bytes it dropped', () => {
    const out = frameStream(fixedFraming(4), 100, 'stop', [latin1('abcdef')]);
    expect(out.frames.map((f) => f.request)).toEqual(['abcd']);
    expect(out.dropped).toBe('ef');
  });

  it('refuses at the first byte a frame length over the limit', () => {
    const framer = createFramer(fixedFraming(5000), 4096);
    framer.push(latin1('x'));
    expect(framer.next()?.overLimit).toBe(true);
    expect(framer.retainedBytes).toBe(0);
  });
});
