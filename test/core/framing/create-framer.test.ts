import { describe, expect, it } from 'vitest';
import {
  createFramer,
  framingConfigOf,
  framingProblem,
  isLineFraming,
  requestText,
  type Frame,
  type FramingConfig,
} from '../../../electron/core/framing/index.js';
import { fixedFraming, frameStream, latin1 } from './harness.js';

const frame = (bytes: Buffer): Frame => ({ request: bytes, raw: bytes, overLimit: false });

describe('createFramer', () => {
  it.each<[FramingConfig, string, string[]]>([
    ['lf', 'a\r\nb\n', ['a', 'b']],
    ['crlf', 'a\nb\r\n', ['a\nb']],
    ['cr', 'a\r\nb\r', ['a', 'b']],
    ['nul', 'a\0b\0', ['a', 'b']],
    [{ delimiter: '||' }, 'a||b||', ['a', 'b']],
    [fixedFraming(2), 'aabb', ['aa', 'bb']],
    [{ lengthField: { offset: 0, bytes: 1, endian: 'big', adjust: 0 } }, '\x01a\x02bb', ['\x01a', '\x02bb']],
    [{ raw: { gapMs: 10 } }, 'a\nb', ['a\nb']],
  ])('builds the framer %j names', (config, stream, requests) => {
    expect(frameStream(config, 100, 'stop', [latin1(stream)]).frames.map((f) => f.request)).toEqual(requests);
  });

  it.each<[unknown, string]>([
    ['LF', 'framing: unknown framing "LF"'],
    [{ delimiter: '' }, 'framing.delimiter: must not be empty'],
    [
      { delimiter: 'a→' },
      'framing.delimiter: character 2 is above \\u00FF; write each byte as a \\u00XX escape',
    ],
    [{ delimiter: 'x'.repeat(65) }, 'framing.delimiter: longer than 64 bytes'],
    [fixedFraming(0), 'framing.fixed: 0 is not a whole number of bytes of at least 1'],
    [fixedFraming(1.5), 'framing.fixed: 1.5 is not a whole number of bytes of at least 1'],
    [
      { lengthField: { offset: -1, bytes: 2, endian: 'big', adjust: 0 } },
      'framing.lengthField.offset: -1 is not a whole number of bytes of at least 0',
    ],
    [
      { lengthField: { offset: 0, bytes: 3, endian: 'big', adjust: 0 } },
      'framing.lengthField.bytes: 3 is not 1, 2 or 4',
    ],
    [
      { lengthField: { offset: 0, bytes: 2, endian: 'middle', adjust: 0 } },
      'framing.lengthField.endian: "middle" is not "big" or "little"',
    ],
    [
      { lengthField: { offset: 0, bytes: 2, endian: 'big', adjust: 0.5 } },
      'framing.lengthField.adjust: 0.5 is not a whole number',
    ],
    [{ raw: { gapMs: -1 } }, 'framing.raw.gapMs: -1 is not a number of milliseconds of at least 0'],
    [{ raw: { gapMs: Number.NaN } }, 'framing.raw.gapMs: NaN is not a number of milliseconds of at least 0'],
    [{}, 'framing: not one of the framings'],
  ])('refuses %j with a message naming the field', (config, message) => {
    expect(framingProblem(config as FramingConfig)).toBe(message);
    expect(() => createFramer(config as FramingConfig, 100)).toThrow(message);
  });

  it('refuses a limit that is not a whole number of bytes', () => {
    expect(() => createFramer('lf', -1)).toThrow('the request limit -1 is not a whole number of bytes');
  });

  it('takes a table’s resolved framing as the framers do', () => {
    expect(framingConfigOf({ kind: 'cr' })).toBe('cr');
    expect(framingConfigOf({ kind: 'delimiter', delimiter: Uint8Array.of(0xff, 0x00) })).toEqual({
      delimiter: '\u00ff\u0000',
    });
    expect(framingConfigOf({ kind: 'fixed', size: 4 })).toEqual(fixedFraming(4));
    expect(framingConfigOf({ kind: 'lengthField', offset: 4, bytes: 2, endian: 'big', adjust: 0 })).toEqual({
      lengthField: { offset: 4, bytes: 2, endian: 'big', adjust: 0 },
    });
    expect(framingConfigOf({ kind: 'raw', gapMs: 5 })).toEqual({ raw: { gapMs: 5 } });
  });

  it('fills in a length field’s defaults: big endian, no adjustment', () => {
    const { frames } = frameStream({ lengthField: { offset: 0, bytes: 2 } }, 100, 'stop', [
      Buffer.from([0, 1, 0x61, 0, 0]),
    ]);
    expect(frames.map((f) => f.request.length)).toEqual([3, 2]);
  });

  it('a framing over the limit from the start (a header longer than the limit) refuses at the first byte', () => {
    const framer = createFramer({ lengthField: { offset: 10, bytes: 2, endian: 'big', adjust: 0 } }, 8);
    framer.push(latin1('x'));
    expect(framer.next()?.overLimit).toBe(true);
  });
});

describe('requestText', () => {
  it('line framings: UTF-8, spaces and tabs trimmed', () => {
    for (const config of ['lf', 'crlf', 'cr', 'nul'] as const) {
      expect(isLineFraming(config)).toBe(true);
      expect(requestText(frame(Buffer.from(' \tcafé 🎵 \t', 'utf8')), config)).toBe('café 🎵');
    }
  });

  it('other framings: latin1, one character per byte, untrimmed, nothing lost', () => {
    const bytes = Buffer.from([0x20, 0x00, 0xc3, 0xa9, 0xff, 0x09]);
    for (const config of [{ delimiter: '\0' }, fixedFraming(6), { raw: { gapMs: 1 } }] as FramingConfig[]) {
      expect(isLineFraming(config)).toBe(false);
      const text = requestText(frame(bytes), config);
      expect(text).toBe(' \u0000\u00c3\u00a9\u00ff\t');
      expect(Buffer.from(text, 'latin1').equals(bytes)).toBe(true);
    }
  });
});
