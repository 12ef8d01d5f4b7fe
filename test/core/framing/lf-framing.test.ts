/**
 * The `lf` framing (README's protocol section): a line ends at LF, one CR
 * before it dropped; linear in the bytes it sees and holding at most a line.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createFramer, type Framer } from '../../../electron/core/framing/index.js';

/**
 * The `lf` framer seen through the pull API the server used before it took
 * frames: a line (without its line end), null when none is complete, or
 * LINE_TOO_LONG from the first line over the limit on; `takeRest` ends the
 * input and gives the final fragment.
 */
const LINE_TOO_LONG = Symbol('line too long');

class LineFramer {
  #framer: Framer;
  #tooLong = false;

  constructor(readonly maxLineBytes: number) {
    this.#framer = createFramer('lf', maxLineBytes);
  }

  push(chunk: Buffer): void {
    this.#framer.push(chunk);
  }

  next(): Buffer | null | typeof LINE_TOO_LONG {
    if (this.#tooLong) return LINE_TOO_LONG;
    const frame = this.#framer.next();
    if (frame === null) return null;
    if (frame.overLimit) {
      this.#tooLong = true;
      return LINE_TOO_LONG;
    }
    return frame.request;
  }

  /** Ends the input: the final fragment, null, or LINE_TOO_LONG; then starts a new stream. */
  takeRest(): Buffer | null | typeof LINE_TOO_LONG {
    const tooLong = this.#tooLong;
    this.#framer.end();
    const frame = tooLong ? null : this.#framer.next();
    this.#framer = createFramer('lf', this.maxLineBytes);
    this.#tooLong = false;
    if (tooLong || frame?.overLimit) return LINE_TOO_LONG;
    return frame ? frame.request : null;
  }

  get buffered(): number {
    return this.#tooLong ? 0 : this.#framer.buffered;
  }
}

/** A full garbage collection, after the current job (WeakRefs created in it stay alive until it ends). */
async function collectGarbage(): Promise<void> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc();
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc();
}

type Framed = string | null | typeof LINE_TOO_LONG;

/** Takes out every line `next` gives, as text, up to and including the first null or LINE_TOO_LONG. */
function drain(framer: LineFramer): Framed[] {
  const out: Framed[] = [];
  for (;;) {
    const line = framer.next();
    if (line === null || line === LINE_TOO_LONG) {
      out.push(line);
      return out;
    }
    out.push(line.toString('utf8'));
  }
}

function framerWith(max: number, ...chunks: string[]): LineFramer {
  const framer = new LineFramer(max);
  for (const chunk of chunks) framer.push(Buffer.from(chunk, 'utf8'));
  return framer;
}

describe('line ends', () => {
  it('ends a line at LF', () => {
    expect(drain(framerWith(100, 'SONG\nQUOTE\n'))).toEqual(['SONG', 'QUOTE', null]);
  });

  it('drops the CR of a CRLF', () => {
    expect(drain(framerWith(100, 'SONG\r\nQUOTE\r\n'))).toEqual(['SONG', 'QUOTE', null]);
  });

  it('drops only one CR before the LF', () => {
    expect(drain(framerWith(100, 'SONG\r\r\n'))).toEqual(['SONG\r', null]);
  });

  it('keeps a CR that is not just before an LF', () => {
    expect(drain(framerWith(100, 'a\rb\n\r\n'))).toEqual(['a\rb', '', null]);
  });

  it('gives empty lines for bare line ends', () => {
    expect(drain(framerWith(100, '\n\r\n\n'))).toEqual(['', '', '', null]);
  });
});

describe('lines across pushes', () => {
  it('joins a line that arrives in several pushes', () => {
    const framer = new LineFramer(100);
    framer.push(Buffer.from('HA'));
    expect(framer.next()).toBeNull();
    framer.push(Buffer.from('IK'));
    expect(framer.next()).toBeNull();
    framer.push(Buffer.from('U\r'));
    expect(framer.next()).toBeNull();
    framer.push(Buffer.from('\nSO'));
    expect(drain(framer)).toEqual(['HAIKU', null]);
    expect(framer.buffered).toBe(2);
  });

  it('splits a CRLF across pushes and still drops the CR', () => {
    const framer = framerWith(100, 'SONG\r');
    expect(framer.next()).toBeNull();
    framer.push(Buffer.from('\n'));
    expect(drain(framer)).toEqual(['SONG', null]);
  });

  it('one byte at a time', () => {
    const framer = new LineFramer(100);
    const lines: Framed[] = [];
    for (const byte of Buffer.from('SONG\r\nQUOTE\n')) {
      framer.push(Buffer.from([byte]));
      for (let l = framer.next(); l !== null; l = framer.next()) {
        lines.push(l === LINE_TOO_LONG ? l : l.toString());
      }
    }
    expect(lines).toEqual(['SONG', 'QUOTE']);
  });

  it('keeps multi-byte UTF-8 split across pushes intact', () => {
    const bytes = Buffer.from('café 🎵\n', 'utf8');
    const framer = new LineFramer(100);
    framer.push(bytes.subarray(0, 4)); // "caf" + first byte of é
    expect(framer.next()).toBeNull();
    framer.push(bytes.subarray(4, 8)); // rest of é, space, first bytes of 🎵
    expect(framer.next()).toBeNull();
    framer.push(bytes.subarray(8));
    expect(drain(framer)).toEqual(['café 🎵', null]);
  });

  it('takes many lines out of one push, in order', () => {
    const input = Array.from({ length: 1000 }, (_, i) => `line ${i}\r\n`).join('');
    const lines = drain(framerWith(100, input));
    expect(lines).toHaveLength(1001);
    expect(lines[0]).toBe('line 0');
    expect(lines[999]).toBe('line 999');
    expect(lines[1000]).toBeNull();
  });
});

describe('max line length', () => {
  const max = 8;
  const exact = 'x'.repeat(max);
  const over = 'x'.repeat(max + 1);

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('accepts a terminated line of exactly the limit (%s)', (_, end) => {
    expect(drain(framerWith(max, exact + end))).toEqual([exact, null]);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('refuses a terminated line one byte over the limit (%s)', (_, end) => {
    expect(drain(framerWith(max, over + end))).toEqual([LINE_TOO_LONG]);
  });

  it('accepts exactly the limit split across pushes, with its CR arriving last', () => {
    const framer = framerWith(max, exact + '\r');
    expect(framer.next()).toBeNull(); // the CR may belong to CRLF
    framer.push(Buffer.from('\n'));
    expect(drain(framer)).toEqual([exact, null]);
  });

  it('accepts an unterminated fragment of exactly the limit at end of input', () => {
    const framer = framerWith(max, exact);
    expect(framer.next()).toBeNull();
    expect(framer.takeRest()?.toString()).toBe(exact);
  });

  it('refuses an unterminated partial line one byte over the limit as soon as it is seen', () => {
    expect(framerWith(max, over).next()).toBe(LINE_TOO_LONG);
  });

  it('refuses an unterminated partial line that grows over the limit across pushes', () => {
    const framer = framerWith(max, 'xxxx');
    expect(framer.next()).toBeNull();
    framer.push(Buffer.from('xxxx'));
    expect(framer.next()).toBeNull();
    framer.push(Buffer.from('x'));
    expect(framer.next()).toBe(LINE_TOO_LONG);
  });

  it('refuses a final fragment over the limit at end of input, even one ending in CR', () => {
    // Without a following LF the CR is part of the line, so this is max + 1 bytes.
    const framer = framerWith(max, exact + '\r');
    expect(framer.next()).toBeNull();
    expect(framer.takeRest()).toBe(LINE_TOO_LONG);
  });

  it('checks each line on its own: long and short lines in one push', () => {
    expect(drain(framerWith(max, `${exact}\nab\n${over}\n`))).toEqual([exact, 'ab', LINE_TOO_LONG]);
  });
});

describe('takeRest', () => {
  it('gives the unterminated fragment, then nothing', () => {
    const framer = framerWith(100, 'SONG\nQUO');
    expect(drain(framer)).toEqual(['SONG', null]);
    expect(framer.takeRest()?.toString()).toBe('QUO');
    expect(framer.takeRest()).toBeNull();
    expect(framer.buffered).toBe(0);
  });

  it('gives null when every line was complete', () => {
    const framer = framerWith(100, 'SONG\n');
    expect(drain(framer)).toEqual(['SONG', null]);
    expect(framer.takeRest()).toBeNull();
  });

  it('keeps a lone CR at the end of the fragment (there is no LF for it to precede)', () => {
    const framer = framerWith(100, 'SONG\r');
    expect(framer.next()).toBeNull();
    expect(framer.takeRest()?.toString()).toBe('SONG\r');
  });
});

describe('memory', () => {
  it('reports only the bytes of a waiting partial line as buffered', () => {
    const framer = framerWith(100, 'SONG\nQUOTE\nHAI');
    expect(framer.buffered).toBe(14);
    expect(drain(framer)).toEqual(['SONG', 'QUOTE', null]);
    expect(framer.buffered).toBe(3);
  });

  it('copies an idle partial line out of a large chunk instead of keeping the chunk', () => {
    const big = Buffer.alloc(1024 * 1024, 'SONG\n');
    const chunk = Buffer.concat([big.subarray(0, big.length - (big.length % 5)), Buffer.from('HAI')]);
    const framer = new LineFramer(4096);
    framer.push(chunk);
    const lines = drain(framer);
    expect(lines).toHaveLength(Math.floor(big.length / 5) + 1);
    expect(framer.buffered).toBe(3);
    const rest = framer.takeRest();
    if (!Buffer.isBuffer(rest)) throw new Error(`expected the fragment, got ${String(rest)}`);
    expect(rest.toString()).toBe('HAI');
    // The three bytes live in their own (or a pooled 8 KiB) allocation, not in the 1 MiB chunk.
    expect(rest.buffer).not.toBe(chunk.buffer);
    expect(rest.buffer.byteLength).toBeLessThanOrEqual(Buffer.poolSize);
  });

  it('does not keep a large chunk alive once its complete lines are taken out', async () => {
    const framer = new LineFramer(4096);
    let chunk: Buffer | null = Buffer.concat([Buffer.alloc(6 * 200_000, 'QUOTE\n'), Buffer.from('SO')]);
    const chunkMemory = new WeakRef(chunk.buffer);
    framer.push(chunk);
    chunk = null;
    expect(drain(framer).at(-1)).toBeNull();
    expect(framer.buffered).toBe(2);
    await collectGarbage();
    expect(chunkMemory.deref()).toBeUndefined();
    framer.push(Buffer.from('NG\n'));
    expect(drain(framer)).toEqual(['SONG', null]);
  });

  it('control: the check above sees a chunk that is still referenced', async () => {
    const framer = new LineFramer(4096);
    const chunk = Buffer.concat([Buffer.alloc(6 * 200_000, 'QUOTE\n'), Buffer.from('SO')]);
    const chunkMemory = new WeakRef(chunk.buffer);
    framer.push(chunk);
    drain(framer);
    await collectGarbage();
    expect(chunkMemory.deref()).toBe(chunk.buffer);
  });
});

describe('properties (fast-check)', () => {
  /** Bytes that make lines: line ends, blanks and letters, with any byte at all mixed in. */
  const byte = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(0x0a, 0x0d, 0x20, 0x09) },
    { weight: 5, arbitrary: fc.integer({ min: 0x41, max: 0x5a }) },
    { weight: 2, arbitrary: fc.integer({ min: 0x00, max: 0xff }) },
  );
  const limit = fc.integer({ min: 0, max: 12 });
  /**
   * Lines around the limit's length with every kind of end (LF, CRLF, a CR
   * too many, none), so that lines of exactly the limit, one over, and a
   * CR LF cut between its two bytes all come up often.
   */
  const line = fc
    .tuple(
      fc.array(
        byte.filter((b) => b !== 0x0a),
        { maxLength: 14 },
      ),
      fc.constantFrom([0x0a], [0x0d, 0x0a], [0x0d, 0x0d, 0x0a], [0x0d], []),
    )
    .map(([body, end]) => [...body, ...end]);
  const stream = fc.oneof(
    fc.array(line, { maxLength: 20 }).map((lines) => Buffer.from(lines.flat())),
    fc.array(byte, { maxLength: 400 }).map((bytes) => Buffer.from(bytes)),
  );
  /** Chunk sizes, in order; the rest of the stream goes in one last chunk. */
  const cuts = fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 40 });

  function cut(bytes: Buffer, sizes: readonly number[]): Buffer[] {
    const chunks: Buffer[] = [];
    let from = 0;
    for (const size of sizes) {
      chunks.push(bytes.subarray(from, from + size)); // empty chunks too: a push of nothing is legal
      from = Math.min(bytes.length, from + size);
    }
    chunks.push(bytes.subarray(from));
    return chunks;
  }

  interface Outcome {
    lines: string[];
    /** What the stream ended with: the final fragment (or null), or a line over the limit. */
    end: { fragment: string | null } | 'too long';
  }

  /**
   * Feeds the chunks as the server does (push, then next until null) and
   * checks after every cycle that the framer holds at most a line and its CR.
   */
  function frame(max: number, chunks: readonly Buffer[]): Outcome {
    const framer = new LineFramer(max);
    const lines: string[] = [];
    for (const chunk of chunks) {
      framer.push(chunk);
      for (;;) {
        const line = framer.next();
        if (line === LINE_TOO_LONG) return { lines, end: 'too long' };
        if (line === null) break;
        lines.push(line.toString('latin1'));
      }
      expect(framer.buffered).toBeLessThanOrEqual(max + 1);
    }
    const rest = framer.takeRest();
    expect(framer.buffered).toBe(0);
    return {
      lines,
      end: rest === LINE_TOO_LONG ? 'too long' : { fragment: rest === null ? null : rest.toString('latin1') },
    };
  }

  it('gives the same lines for any stream cut into any chunks as for the stream at once', () => {
    fc.assert(
      fc.property(stream, cuts, limit, (bytes, at, max) => {
        expect(frame(max, cut(bytes, at))).toEqual(frame(max, [bytes]));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same lines one byte at a time as at once', () => {
    fc.assert(
      fc.property(stream, limit, (bytes, max) => {
        const single = [...bytes].map((b) => Buffer.from([b]));
        expect(frame(max, single)).toEqual(frame(max, [bytes]));
      }),
      { numRuns: 500 },
    );
  });

  it('frames as the contract says: split at LF, drop one CR before it, refuse lines over the limit', () => {
    fc.assert(
      fc.property(stream, limit, (bytes, max) => {
        // A plain model of docs/protocol.md, over latin1 text (one char per byte).
        const parts = bytes.toString('latin1').split('\n');
        const tail = parts.pop() ?? '';
        const expected: Outcome = {
          lines: [],
          end: tail.length > max ? 'too long' : { fragment: tail === '' ? null : tail },
        };
        for (const raw of parts) {
          const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
          if (line.length > max) {
            expected.end = 'too long'; // the first line over the limit ends the stream
            break;
          }
          expected.lines.push(line);
        }
        expect(frame(max, [bytes])).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws, whatever is pushed and in whatever order it is asked for lines, and never holds more than a line', () => {
    const op = fc.oneof(
      fc.record({ push: fc.uint8Array({ maxLength: 64 }) }),
      fc.constant('next' as const),
      fc.constant('rest' as const),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 0, max: 4096 }), (ops, max) => {
        const framer = new LineFramer(max);
        for (const o of ops) {
          if (o === 'next') {
            if (framer.next() === null) expect(framer.buffered).toBeLessThanOrEqual(max + 1);
          } else if (o === 'rest') {
            framer.takeRest();
            expect(framer.buffered).toBe(0);
          } else {
            framer.push(Buffer.from(o.push));
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('a long line in many chunks (linear and bounded)', () => {
  const MIB = 1024 * 1024;
  const CHUNK = 64 * 1024;

  /** Bytes copied by Buffer.concat and Buffer#copy while `run` runs: the framer's whole copying cost. */
  function bytesCopiedBy(run: () => void): number {
    let copied = 0;
    const concat = Buffer.concat.bind(Buffer);
    const proto = Buffer.prototype as Buffer;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- the original, called below with the spied-on buffer as this
    const copy = proto.copy;
    const concatSpy = vi.spyOn(Buffer, 'concat').mockImplementation((list, total) => {
      const out = concat(list, total);
      copied += out.length;
      return out;
    });
    const copySpy = vi.spyOn(proto, 'copy').mockImplementation(function (
      this: Buffer,
      target: Uint8Array,
      targetStart?: number,
      start?: number,
      end?: number,
    ) {
      const n = copy.call(this, target, targetStart, start, end);
      copied += n;
      return n;
    });
    try {
      run();
    } finally {
      concatSpy.mockRestore();
      copySpy.mockRestore();
    }
    return copied;
  }

  it('takes a 16 MiB line in 64 KiB chunks copying each byte a bounded number of times, holding about the line', () => {
    const framer = createFramer('lf', 32 * MIB);
    const chunk = Buffer.alloc(CHUNK, 'x');
    let held = 0;
    let line: Buffer | undefined;
    const copied = bytesCopiedBy(() => {
      for (let sent = 0; sent < 16 * MIB; sent += CHUNK) {
        framer.push(chunk);
        expect(framer.next()).toBeNull();
        held = Math.max(held, framer.retainedBytes);
      }
      framer.push(Buffer.from('\r\n'));
      line = framer.next()?.request;
    });
    expect(line?.length).toBe(16 * MIB);
    expect(line?.every((b) => b === 0x78)).toBe(true);
    // Each byte once into the held pieces and once into the line; the old framer copied about 2 GiB here.
    expect(copied).toBeLessThanOrEqual(2 * 16 * MIB + CHUNK);
    expect(held).toBeLessThanOrEqual(16 * MIB + CHUNK);
    expect(framer.retainedBytes).toBe(0);
  });

  it('keeps nothing of a 16 MiB line over the limit: refused after the first chunk, the rest dropped', () => {
    const framer = new LineFramer(4096);
    const chunk = Buffer.alloc(CHUNK, 'x');
    framer.push(chunk);
    expect(framer.next()).toBe(LINE_TOO_LONG);
    for (let sent = CHUNK; sent < 16 * MIB; sent += CHUNK) framer.push(chunk);
    expect(framer.buffered).toBe(0);
    expect(framer.next()).toBe(LINE_TOO_LONG);
  });

  it('holds at most the limit and a chunk while a long line grows towards the limit', () => {
    const max = 1 * MIB;
    const framer = createFramer('lf', max);
    const chunk = Buffer.alloc(CHUNK, 'x');
    let held = 0;
    let frame = null;
    for (let sent = 0; frame === null && sent < 16 * MIB; sent += CHUNK) {
      framer.push(chunk);
      frame = framer.next();
      held = Math.max(held, framer.retainedBytes);
    }
    expect(frame?.overLimit).toBe(true);
    expect(held).toBeLessThanOrEqual(max + CHUNK);
    expect(framer.retainedBytes).toBe(0);
  });

  it('copies a line that trickles in a byte at a time about twice, not once per byte held', () => {
    const framer = createFramer('lf', MIB);
    const bytes = Buffer.alloc(256 * 1024, 'y');
    const copied = bytesCopiedBy(() => {
      for (let i = 0; i < bytes.length; i++) {
        framer.push(bytes.subarray(i, i + 1));
        framer.next();
      }
      framer.push(Buffer.from('\n'));
      expect(framer.next()?.request.length).toBe(bytes.length);
    });
    expect(copied).toBeLessThanOrEqual(3 * bytes.length);
  });
});
