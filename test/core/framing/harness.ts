/**
 * What every framer's tests share: feeding a stream in given chunks, and
 * the properties every framing must have (any chunking of the same bytes
 * gives the same frames; no bytes, however hostile, make it throw; it holds
 * no more than the limit allows).
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import {
  createFramer,
  type Clock,
  type Framer,
  type FramingConfig,
  type OverLimitPolicy,
} from '../../../electron/core/framing/index.js';

/** A clock that never moves and whose timers never fire: within one test, no client ever pauses. */
export const stillClock: Clock = { now: () => 0, setTimeout: () => null, clearTimeout: () => undefined };

/** A frame as the tests compare it: bytes as latin1 text, one character per byte. */
export interface SeenFrame {
  request: string;
  raw: string;
  overLimit: boolean;
}

export interface Outcome {
  frames: SeenFrame[];
  /** What the end of input cut off (fixed and lengthField). */
  dropped: string;
}

export function seen(framer: Framer): SeenFrame[] {
  const out: SeenFrame[] = [];
  for (let frame = framer.next(); frame; frame = framer.next()) {
    out.push({
      request: frame.request.toString('latin1'),
      raw: frame.raw.toString('latin1'),
      overLimit: frame.overLimit,
    });
  }
  return out;
}

/**
 * Feeds the chunks as the server does (push, then next until null), then
 * ends the input. `bound` is the most the framer may hold between reads.
 */
export function frameChunks(framer: Framer, chunks: readonly Buffer[], bound?: number): Outcome {
  const frames: SeenFrame[] = [];
  for (const chunk of chunks) {
    framer.push(chunk);
    frames.push(...seen(framer));
    if (bound !== undefined) expect(framer.buffered).toBeLessThanOrEqual(bound);
  }
  framer.end();
  frames.push(...seen(framer));
  expect(framer.buffered).toBe(0);
  return { frames, dropped: framer.droppedAtEnd.toString('latin1') };
}

export function frameStream(
  config: FramingConfig,
  max: number,
  policy: OverLimitPolicy,
  chunks: readonly Buffer[],
  bound?: number,
): Outcome {
  return frameChunks(createFramer(config, max, { overLimit: policy, clock: stillClock }), chunks, bound);
}

/** Cuts `bytes` at the given sizes (empty chunks included); the rest goes in one last chunk. */
export function cut(bytes: Buffer, sizes: readonly number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let from = 0;
  for (const size of sizes) {
    chunks.push(bytes.subarray(from, from + size));
    from = Math.min(bytes.length, from + size);
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

export const cuts = fc.array(fc.integer({ min: 0, max: 24 }), { maxLength: 40 });
export const policies = fc.constantFrom<OverLimitPolicy>('stop', 'split');

export function latin1(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/**
 * The properties every framing has, checked on `bytes` (a stream biased
 * towards the framing's own terminators and header values).
 */
export function checkFramingProperties(
  config: fc.Arbitrary<FramingConfig>,
  bytes: fc.Arbitrary<Buffer>,
  limits: fc.Arbitrary<number>,
  /** The most a framer may hold between reads, for a limit. */
  bound: (config: FramingConfig, max: number) => number,
  runs = 1000,
): void {
  // Same frames, same raw bytes, same dropped tail, however the stream is cut.
  fc.assert(
    fc.property(config, bytes, cuts, limits, policies, (framing, stream, at, max, policy) => {
      const whole = frameStream(framing, max, policy, [stream]);
      expect(frameStream(framing, max, policy, cut(stream, at), bound(framing, max))).toEqual(whole);
      const single = [...stream].map((b) => Buffer.from([b]));
      expect(frameStream(framing, max, policy, single, bound(framing, max))).toEqual(whole);
      if (policy === 'split') {
        // Nothing is lost: laid end to end, the raw bytes and the dropped tail are the stream.
        // (cr's ignored LF at the very end belongs to no frame: no request follows it.)
        const text = stream.toString('latin1');
        const expected = framing === 'cr' && text.endsWith('\r\n') ? text.slice(0, -1) : text;
        expect(whole.frames.map((f) => f.raw).join('') + whole.dropped).toBe(expected);
        for (const f of whole.frames) expect(f.request.length).toBeLessThanOrEqual(max);
      } else {
        // An over-limit frame is the last one.
        expect(whole.frames.findIndex((f) => f.overLimit)).toBeOneOf([-1, whole.frames.length - 1]);
      }
    }),
    { numRuns: runs },
  );
  // Any bytes, any calls in any order: it never throws and never holds more than the bound.
  const op = fc.oneof(
    { weight: 5, arbitrary: fc.record({ push: fc.uint8Array({ maxLength: 64 }) }) },
    { weight: 4, arbitrary: fc.constant('next' as const) },
    { weight: 1, arbitrary: fc.constant('end' as const) },
    { weight: 1, arbitrary: fc.constant('close' as const) },
  );
  fc.assert(
    fc.property(config, fc.array(op, { maxLength: 60 }), limits, policies, (framing, ops, max, policy) => {
      const framer = createFramer(framing, max, { overLimit: policy, clock: stillClock });
      for (const o of ops) {
        if (o === 'next') {
          if (framer.next() === null) expect(framer.buffered).toBeLessThanOrEqual(bound(framing, max));
        } else if (o === 'end') {
          framer.end();
        } else if (o === 'close') {
          framer.close();
          expect(framer.buffered).toBe(0);
          expect(framer.next()).toBeNull();
        } else {
          framer.push(Buffer.from(o.push));
        }
      }
    }),
    { numRuns: runs },
  );
}

/** `{ fixed: n }`, built through its own type (as a FramingConfig literal, lint takes `fixed` for String#fixed). */
export function fixedFraming(n: number): FramingConfig {
  const config: { fixed: number } = { fixed: n };
  return config;
}
