import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createFramer,
  type FramingConfig,
  type LengthFieldConfig,
} from '../../../electron/core/framing/index.js';
import { countModel } from './count-model.js';
import { checkFramingProperties, frameStream, policies } from './harness.js';

const MODBUS: FramingConfig = { lengthField: { offset: 4, bytes: 2, endian: 'big', adjust: 0 } };

/** A Modbus TCP request: MBAP header (transaction, protocol 0, length, unit) and a PDU. */
function modbus(transaction: number, unit: number, pdu: number[]): Buffer {
  const frame = Buffer.alloc(7 + pdu.length);
  frame.writeUInt16BE(transaction, 0);
  frame.writeUInt16BE(0, 2);
  frame.writeUInt16BE(1 + pdu.length, 4);
  frame.writeUInt8(unit, 6);
  Buffer.from(pdu).copy(frame, 7);
  return frame;
}

const fields = fc.record({
  offset: fc.integer({ min: 0, max: 3 }),
  bytes: fc.constantFrom<1 | 2 | 4>(1, 2, 4),
  endian: fc.constantFrom<'big' | 'little'>('big', 'little'),
  adjust: fc.integer({ min: -6, max: 4 }),
});
const framings = fields.map((lengthField): FramingConfig => ({ lengthField }));
/** Mostly small length values, so frames complete; sometimes any byte, so lengths run over the limit. */
const streams = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 0, max: 6 }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
    ),
    {
      maxLength: 100,
    },
  )
  .map((bytes) => Buffer.from(bytes));
const limits = fc.integer({ min: 1, max: 16 });

function lengthAt(stream: Buffer, field: LengthFieldConfig): (pos: number) => number {
  const header = field.offset + field.bytes;
  return (pos) => {
    const value =
      field.endian === 'big'
        ? stream.readUIntBE(pos + field.offset, field.bytes)
        : stream.readUIntLE(pos + field.offset, field.bytes);
    return Math.max(header, header + value + field.adjust);
  };
}

describe('{ lengthField } (properties)', () => {
  it('cuts frames by their length field however the stream is chunked, never throwing, holding less than a frame', () => {
    checkFramingProperties(framings, streams, limits, (_, max) => max, 1500);
  });

  it('agrees with a plain model: offset + bytes + value + adjust, header included', () => {
    fc.assert(
      fc.property(fields, streams, limits, policies, (field, bytes, max, policy) => {
        const header = field.offset + field.bytes;
        expect(frameStream({ lengthField: field }, max, policy, [bytes])).toEqual(
          countModel(bytes.toString('latin1'), header, lengthAt(bytes, field), max, policy),
        );
      }),
      { numRuns: 3000 },
    );
  });
});

describe('{ lengthField }', () => {
  it('frames Modbus TCP requests (offset 4, 2 bytes, big endian, adjust 0), split anywhere', () => {
    const read = modbus(1, 0x11, [0x03, 0x00, 0x6b, 0x00, 0x03]);
    const write = modbus(2, 0x11, [0x06, 0x00, 0x01, 0x00, 0x03]);
    const stream = Buffer.concat([read, write]);
    for (let i = 0; i <= stream.length; i++) {
      const { frames } = frameStream(MODBUS, 260, 'stop', [stream.subarray(0, i), stream.subarray(i)]);
      expect(frames.map((f) => f.request)).toEqual([read.toString('latin1'), write.toString('latin1')]);
    }
  });

  it('reads little-endian fields and adds the adjustment', () => {
    // A 1-byte type, then a 4-byte little-endian length that counts the whole frame (adjust -5).
    const framing: FramingConfig = { lengthField: { offset: 1, bytes: 4, endian: 'little', adjust: -5 } };
    const frame = Buffer.from([0x07, 0x08, 0, 0, 0, 0xaa, 0xbb, 0xcc]);
    expect(frameStream(framing, 100, 'stop', [frame, frame]).frames.map((f) => f.request.length)).toEqual([
      8, 8,
    ]);
  });

  it('refuses a length over the limit as soon as the header is in, keeping none of the frame', () => {
    const framer = createFramer({ lengthField: { offset: 0, bytes: 4, endian: 'big', adjust: 0 } }, 4096);
    framer.push(Buffer.from([0xff, 0xff, 0xff]));
    expect(framer.next()).toBeNull();
    framer.push(Buffer.from([0xff]));
    const frame = framer.next();
    expect(frame?.overLimit).toBe(true);
    expect(frame?.request.length).toBe(0);
    expect(framer.retainedBytes).toBe(0);
    framer.push(Buffer.alloc(64 * 1024));
    expect(framer.next()).toBeNull();
    expect(framer.retainedBytes).toBe(0);
  });

  it('moves on past a length that says the frame is shorter than its header (a negative adjust)', () => {
    const framing: FramingConfig = { lengthField: { offset: 0, bytes: 1, endian: 'big', adjust: -10 } };
    expect(
      frameStream(framing, 100, 'stop', [Buffer.from([0, 1, 2])]).frames.map((f) => f.request.length),
    ).toEqual([1, 1, 1]);
  });

  it('drops a partial frame at the end of input', () => {
    const read = modbus(1, 0x11, [0x03, 0x00, 0x6b, 0x00, 0x03]);
    const out = frameStream(MODBUS, 260, 'stop', [read, read.subarray(0, 9)]);
    expect(out.frames).toHaveLength(1);
    expect(out.dropped).toBe(read.subarray(0, 9).toString('latin1'));
  });
});
