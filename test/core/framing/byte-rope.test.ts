import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteRope } from '../../../electron/core/framing/byte-rope.js';

describe('ByteRope', () => {
  it('holds exactly what was appended, through any appends and takes, in little more memory than that', () => {
    const op = fc.oneof(
      { weight: 4, arbitrary: fc.record({ append: fc.uint8Array({ maxLength: 300 }) }) },
      { weight: 1, arbitrary: fc.record({ first: fc.nat({ max: 400 }) }) },
      { weight: 1, arbitrary: fc.constant('all' as const) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const rope = new ByteRope();
        let model = Buffer.alloc(0);
        for (const o of ops) {
          if (o === 'all') {
            expect(rope.takeAll().equals(model)).toBe(true);
            model = Buffer.alloc(0);
          } else if ('first' in o) {
            const n = Math.min(o.first, model.length);
            expect(rope.takeFirst(o.first).equals(model.subarray(0, n))).toBe(true);
            model = model.subarray(n);
          } else {
            rope.append(Buffer.from(o.append));
            model = Buffer.concat([model, o.append]);
          }
          expect(rope.length).toBe(model.length);
          expect(rope.lastByte()).toBe(model.length > 0 ? model[model.length - 1] : -1);
          expect(rope.copyAll().equals(model)).toBe(true);
          // Spare room is at most the doubling tail's: about the bytes held, never more than 64 KiB.
          expect(rope.retainedBytes).toBeLessThanOrEqual(2 * model.length + 64 * 1024);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps no reference to the buffers appended', () => {
    const rope = new ByteRope();
    const chunk = Buffer.from('abc');
    rope.append(chunk);
    chunk.fill(0x78);
    expect(rope.takeAll().toString()).toBe('abc');
  });
});
