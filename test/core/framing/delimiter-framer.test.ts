import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createFramer,
  type FramingConfig,
  type OverLimitPolicy,
} from '../../../electron/core/framing/index.js';
import { checkFramingProperties, frameStream, latin1, type Outcome, type SeenFrame } from './harness.js';

/** The delimited framings, as docs/framing.md states them, over the whole stream at once. */
function model(framing: FramingConfig, max: number, policy: OverLimitPolicy, stream: string): Outcome {
  const term =
    { lf: '\n', crlf: '\r\n', cr: '\r', nul: '\0' }[framing as string] ??
    (framing as { delimiter: string }).delimiter;
  const dropCr = framing === 'lf';
  const skipLf = framing === 'cr';
  const frames: SeenFrame[] = [];
  const over = (): boolean => {
    if (policy === 'stop') frames.push({ request: '', raw: '', overLimit: true });
    return policy === 'stop';
  };
  let pos = 0;
  let lfMayFollow = false;
  for (;;) {
    const lead = lfMayFollow && stream[pos] === '\n' ? 1 : 0;
    if (pos < stream.length) lfMayFollow = false;
    const at = stream.indexOf(term, pos + lead);
    let termStart = at < 0 ? stream.length : at;
    if (dropCr && at > pos + lead && stream[at - 1] === '\r') termStart = at - 1;
    const body = termStart - pos - lead;
    if (at < 0 && body <= 0) break;
    if (body > max) {
      if (over()) break;
      const raw = stream.slice(pos, pos + lead + max);
      frames.push({ request: raw.slice(lead), raw, overLimit: true });
      pos += lead + max;
      continue;
    }
    const end = at < 0 ? stream.length : at + term.length;
    frames.push({
      request: stream.slice(pos + lead, termStart),
      raw: stream.slice(pos, end),
      overLimit: false,
    });
    pos = end;
    if (at < 0) break;
    lfMayFollow = skipLf;
  }
  return { frames, dropped: '' };
}

const terminatorBytes = [0x0a, 0x0d, 0x00, 0x61, 0x62];
const streamBytes = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...terminatorBytes) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) },
    ),
    { maxLength: 120 },
  )
  .map((bytes) => Buffer.from(bytes));
const delimiters = fc
  .array(fc.constantFrom(...terminatorBytes), { minLength: 1, maxLength: 4 })
  .map((bytes) => ({ delimiter: latin1(String.fromCharCode(...bytes)).toString('latin1') }));
const framings = fc.oneof(fc.constantFrom<FramingConfig>('lf', 'crlf', 'cr', 'nul'), delimiters);
const limits = fc.integer({ min: 1, max: 10 });
/** Between reads a delimited framer holds at most the limit, a terminator begun, and cr's LF. */
const bound = (framing: FramingConfig, max: number): number =>
  max + 1 + (typeof framing === 'object' && 'delimiter' in framing ? framing.delimiter.length : 2);

describe('delimited framings (properties)', () => {
  it('cut the stream as docs/framing.md says, however it is chunked, never throwing, holding about the limit', () => {
    checkFramingProperties(framings, streamBytes, limits, bound, 1500);
  });

  it('agree with a plain model of each framing over the whole stream', () => {
    fc.assert(
      fc.property(
        framings,
        streamBytes,
        limits,
        fc.constantFrom<OverLimitPolicy>('stop', 'split'),
        (framing, bytes, max, policy) => {
          expect(frameStream(framing, max, policy, [bytes])).toEqual(
            model(framing, max, policy, bytes.toString('latin1')),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });
});

/** The requests (as latin1) of a stream fed in the given chunks, then ended. */
function requests(framing: FramingConfig, ...chunks: string[]): string[] {
  return frameStream(framing, 100, 'stop', chunks.map(latin1)).frames.map((f) => f.request);
}

describe('crlf', () => {
  it('ends a line only at CR LF; a lone CR or LF is part of the line', () => {
    expect(requests('crlf', 'a\nb\rc\r\nd\r\n')).toEqual(['a\nb\rc', 'd']);
  });
  it('finds a CR LF split across chunks', () => {
    expect(requests('crlf', 'one\r', '\ntwo\r', 'x\r\n')).toEqual(['one', 'two\rx']);
  });
});

describe('cr', () => {
  it('ends a line at CR and ignores an LF just after it, even in the next chunk', () => {
    expect(requests('cr', 'AT\r\nATI\r', '\nATD123\r')).toEqual(['AT', 'ATI', 'ATD123']);
  });
  it('keeps an LF that does not follow a CR, and a second LF after a CR', () => {
    expect(requests('cr', 'a\nb\r\n\nc\r')).toEqual(['a\nb', '\nc']);
  });
  it('counts the ignored LF in the next frame’s raw bytes, so the raw bytes add up to the stream', () => {
    const { frames } = frameStream('cr', 100, 'stop', [latin1('AT\r'), latin1('\nOK\r\n')]);
    expect(frames.map((f) => f.raw)).toEqual(['AT\r', '\nOK\r']);
  });
  it('makes nothing of a lone ignored LF at the end of input', () => {
    expect(requests('cr', 'AT\r\n')).toEqual(['AT']);
  });
});

describe('nul', () => {
  it('ends a request at NUL, empty ones too, and keeps CR and LF', () => {
    expect(requests('nul', 'CONNECT\naccept-version:1.2\n\n\0\0SEND\r\n\0')).toEqual([
      'CONNECT\naccept-version:1.2\n\n',
      '',
      'SEND\r\n',
    ]);
  });
});

describe('{ delimiter }', () => {
  it('finds a delimiter split across chunks at every point', () => {
    const stream = 'one<END>two<END>';
    for (let i = 0; i <= stream.length; i++) {
      expect(requests({ delimiter: '<END>' }, stream.slice(0, i), stream.slice(i))).toEqual(['one', 'two']);
    }
  });
  it('finds a delimiter whose start repeats inside it (aab in aaab), one byte at a time', () => {
    expect(requests({ delimiter: 'aab' }, ...'xaaabyaab'.split(''))).toEqual(['xa', 'y']);
  });
  it('takes its bytes from \\u00XX escapes', () => {
    expect(requests({ delimiter: '\u00ff\u0000' }, 'a\u00ff', '\u0000b\u00ff\u0000')).toEqual(['a', 'b']);
  });
});

describe('the limit', () => {
  it('lets a request of exactly the limit end with a terminator that arrives later', () => {
    const framer = createFramer({ delimiter: '<END>' }, 4);
    framer.push(latin1('abcd<EN'));
    expect(framer.next()).toBeNull();
    framer.push(latin1('D>'));
    expect(framer.next()?.request.toString()).toBe('abcd');
  });
  it('knows a request is over the limit as soon as no terminator can start within it', () => {
    const framer = createFramer({ delimiter: '<END>' }, 4);
    framer.push(latin1('abcd<EX'));
    expect(framer.next()?.overLimit).toBe(true);
    expect(framer.buffered).toBe(0);
  });
  it('split: hands out a long request in parts of the limit and goes on', () => {
    expect(frameStream('crlf', 3, 'split', [latin1('abcdefg\r\nhi')]).frames).toEqual([
      { request: 'abc', raw: 'abc', overLimit: true },
      { request: 'def', raw: 'def', overLimit: true },
      { request: 'g', raw: 'g\r\n', overLimit: false },
      { request: 'hi', raw: 'hi', overLimit: false },
    ]);
  });
  it('counts a final fragment at end of input as a request, and refuses one over the limit', () => {
    expect(frameStream('nul', 3, 'stop', [latin1('ab\0cd')]).frames.map((f) => f.request)).toEqual([
      'ab',
      'cd',
    ]);
    expect(frameStream('nul', 3, 'stop', [latin1('ab\0cdef')]).frames.map((f) => f.overLimit)).toEqual([
      false,
      true,
    ]);
  });
});
