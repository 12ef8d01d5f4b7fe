/**
 * Cuts a stream at a terminator: the engine of every delimited framing
 * (`lf`, `crlf`, `cr`, `nul`, `{ delimiter }`), like Netty's
 * DelimiterBasedFrameDecoder.
 *
 * Linear: each byte is searched once (natively, with `indexOf`); a
 * terminator split across chunks is found by carrying how much of it the
 * held bytes already end with (the Knuth-Morris-Pratt state), so only the
 * first few bytes of a chunk are looked at one by one. Bounded: a request is
 * known to be over the limit as soon as no terminator can start within it,
 * and from then on its bytes are not kept.
 */
import { ByteRope } from './byte-rope.js';
import { EMPTY, OVER_LIMIT, SliceFrame, type Frame, type Framer, type OverLimitPolicy } from './framer.js';

/** The input queue of a framer that has been given nothing yet: idle connections allocate none. Never written to. */
const NO_INPUT: Buffer[] = Object.freeze([]) as unknown as Buffer[];
const LF = 0x0a;
const CR = 0x0d;

export interface DelimiterOptions {
  /** The terminator: one byte or more. */
  delimiter: Buffer;
  maxRequestBytes: number;
  overLimit: OverLimitPolicy;
  /** `lf`: one CR just before the terminator is part of the line end, not of the line. */
  dropCrBefore?: boolean;
  /** `cr`: an LF directly after a terminator is ignored (it belongs to the next frame's raw bytes). */
  skipLfAfter?: boolean;
}

export class DelimiterFramer implements Framer {
  /** What the framer is, shared by every framer of the same framing and limit. */
  readonly #spec: DelimiterSpec;

  /** Chunks pushed and not yet framed; the first one is read from #pos. */
  #input: Buffer[] = NO_INPUT;
  #inputBytes = 0;
  #pos = 0;
  /** Where in #input[0] the search for the next terminator goes on: the bytes before it are searched. */
  #scanFrom = 0;
  /** Bytes of the current frame that came before #input[0][#pos]. */
  readonly #rope = new ByteRope();
  /** Leading bytes of the current frame that are not request (the LF `cr` ignores). */
  #lead = 0;
  /** Trailing bytes seen that may be the start of a terminator. */
  #held = 0;
  /** The terminator found in #input[0]: its end (exclusive) and its length; -1 when none. */
  #termEnd = -1;
  #termLength = 0;
  /** `cr`: the frame just handed out ended at a CR, so an LF may follow to ignore. */
  #afterCr = false;
  #ended = false;
  #finished = false;

  constructor(options: DelimiterOptions) {
    if (options.delimiter.length === 0) throw new RangeError('the delimiter is empty');
    if (options.overLimit === 'split' && options.maxRequestBytes < 1) {
      throw new RangeError('split needs a limit of at least 1 byte');
    }
    this.#spec = specFor(options);
  }

  readonly droppedAtEnd = EMPTY;

  get buffered(): number {
    return this.#rope.length + this.#inputBytes - this.#pos;
  }

  get retainedBytes(): number {
    return this.#rope.retainedBytes + this.#inputBytes;
  }

  push(chunk: Buffer): void {
    if (this.#finished || this.#ended || chunk.length === 0) return;
    if (this.#input === NO_INPUT) this.#input = [];
    this.#input.push(chunk);
    this.#inputBytes += chunk.length;
  }

  end(): void {
    this.#ended = true;
  }

  close(): void {
    this.#finish();
  }

  next(): Frame | null {
    const fast = this.#input[0];
    if (
      fast !== undefined &&
      this.#spec.oneByte &&
      this.#rope.length === 0 &&
      !this.#afterCr &&
      this.#termEnd < 0
    ) {
      // The common case, kept short: a whole line inside the chunk being read.
      const pos = this.#pos;
      const at = fast.indexOf(this.#spec.first, pos);
      if (at >= 0) {
        const end = this.#spec.dropCr && at > pos && fast[at - 1] === CR ? at - 1 : at;
        if (end - pos <= this.#spec.max) {
          this.#pos = this.#scanFrom = at + 1;
          this.#afterCr = this.#spec.skipLf;
          if (at + 1 === fast.length) this.#consumedTo(fast);
          return new SliceFrame(fast, pos, at + 1, pos, end);
        }
      }
    }
    for (;;) {
      if (this.#finished) return null;
      const chunk = this.#input[0];
      if (chunk === undefined) return this.#ended ? this.#finalFragment() : null;
      if (this.#afterCr && this.#pos < chunk.length) {
        this.#afterCr = false;
        if (chunk[this.#pos] === LF && this.#rope.length === 0) {
          this.#lead = 1;
          this.#scanFrom = this.#pos + 1;
        }
      }
      if (this.#termEnd < 0 && this.#scanFrom < chunk.length) this.#search(chunk);
      const inRope = this.#rope.length;
      if (this.#termEnd >= 0) {
        const termStart = inRope + (this.#termEnd - this.#pos) - this.#termLength;
        if (termStart - this.#lead <= this.#spec.max) return this.#frameTo(chunk, termStart);
        return this.#overLimit(chunk);
      }
      // No terminator in this chunk: is the request already known to be too long?
      if (inRope + chunk.length - this.#pos - this.#held - this.#lead > this.#spec.max)
        return this.#overLimit(chunk);
      this.#rope.append(chunk.subarray(this.#pos));
      this.#input.shift();
      this.#inputBytes -= chunk.length;
      this.#pos = 0;
      this.#scanFrom = 0;
    }
  }

  /** Looks for the next terminator in `chunk` from #scanFrom; sets #termEnd, or #held when there is none. */
  #search(chunk: Buffer): void {
    const d = this.#spec.delimiter.length;
    let from = this.#scanFrom;
    if (d === 1) {
      const at = chunk.indexOf(this.#spec.first, from);
      if (at >= 0) {
        this.#termEnd = at + 1;
        this.#termLength = this.#spec.dropCr && this.#byteBefore(chunk, at) === CR ? 2 : 1;
        this.#scanFrom = at + 1;
      } else {
        this.#held = this.#spec.dropCr && chunk[chunk.length - 1] === CR ? 1 : 0;
        this.#scanFrom = chunk.length;
      }
      return;
    }
    let k = this.#held;
    if (k > 0) {
      // A terminator begun in the bytes before this chunk ends within its first d - 1 bytes.
      const stop = Math.min(chunk.length, from + d - 1);
      for (let i = from; i < stop; i++) {
        k = this.#step(k, chunk[i] as number);
        if (k === d) {
          this.#termEnd = i + 1;
          this.#termLength = d;
          this.#held = 0;
          this.#scanFrom = i + 1;
          return;
        }
      }
      if (stop === chunk.length) {
        this.#held = k;
        this.#scanFrom = chunk.length;
        return;
      }
    }
    const at = chunk.indexOf(this.#spec.delimiter, from);
    if (at >= 0) {
      this.#termEnd = at + d;
      this.#termLength = d;
      this.#held = 0;
      this.#scanFrom = at + d;
      return;
    }
    // How much of a terminator the chunk ends with: only its last d - 1 bytes can say.
    if (chunk.length - from >= d - 1) {
      from = chunk.length - (d - 1);
      k = 0;
    } else if (this.#held === 0) {
      k = 0;
    } else {
      this.#held = k;
      this.#scanFrom = chunk.length;
      return;
    }
    for (let i = from; i < chunk.length; i++) k = this.#step(k, chunk[i] as number);
    this.#held = k;
    this.#scanFrom = chunk.length;
  }

  /** Knuth-Morris-Pratt: how much of the delimiter is matched after `byte`, given `k` matched before. */
  #step(k: number, byte: number): number {
    const delimiter = this.#spec.delimiter;
    while (k > 0 && delimiter[k] !== byte) k = this.#spec.fail[k - 1] as number;
    return delimiter[k] === byte ? k + 1 : 0;
  }

  #byteBefore(chunk: Buffer, at: number): number {
    if (at > this.#pos) return chunk[at - 1] as number;
    return this.#rope.length > this.#lead ? this.#rope.lastByte() : -1;
  }

  /** Hands out the frame ending at #termEnd, whose terminator starts at `termStart` (frame-relative). */
  #frameTo(chunk: Buffer, termStart: number): Frame {
    let frame: Frame;
    if (this.#rope.length === 0) {
      const pos = this.#pos;
      frame = new SliceFrame(chunk, pos, this.#termEnd, pos + this.#lead, pos + termStart);
    } else {
      const raw = this.#rope.takeAll(chunk.subarray(this.#pos, this.#termEnd));
      frame = new SliceFrame(raw, 0, raw.length, this.#lead, termStart);
    }
    this.#pos = this.#termEnd;
    this.#termEnd = -1;
    this.#lead = 0;
    this.#held = 0;
    this.#afterCr = this.#spec.skipLf;
    this.#consumedTo(chunk);
    return frame;
  }

  /** The current request is too long: stop, or hand out its first limit's worth of bytes. */
  #overLimit(chunk: Buffer | undefined): Frame {
    if (!this.#spec.split) {
      this.#finish();
      return OVER_LIMIT;
    }
    const want = this.#lead + this.#spec.max;
    const inRope = this.#rope.length;
    let raw: Buffer;
    if (inRope >= want) {
      raw = this.#rope.takeFirst(want);
    } else if (chunk) {
      const end = this.#pos + want - inRope;
      raw = this.#rope.takeAll(chunk.subarray(this.#pos, end));
      this.#pos = end;
      if (this.#scanFrom < end) this.#scanFrom = end;
      this.#consumedTo(chunk);
    } else {
      raw = this.#rope.takeAll();
    }
    const frame: Frame = { request: raw.subarray(this.#lead), raw, overLimit: true };
    this.#lead = 0;
    return frame;
  }

  /** At end of input: what is held is the last request (docs/protocol.md: a final fragment counts as a line). */
  #finalFragment(): Frame | null {
    const body = this.#rope.length - this.#lead;
    if (body <= 0) {
      this.#finish();
      return null;
    }
    if (body > this.#spec.max) {
      this.#held = 0;
      return this.#overLimit(undefined);
    }
    const raw = this.#rope.takeAll();
    this.#finish();
    return { request: raw.subarray(this.#lead), raw, overLimit: false };
  }

  /** Drops #input[0] once it is all framed, so a big chunk is not kept for its last few bytes. */
  #consumedTo(chunk: Buffer): void {
    if (this.#pos < chunk.length) return;
    this.#input.shift();
    this.#inputBytes -= chunk.length;
    this.#pos = 0;
    this.#scanFrom = 0;
  }

  #finish(): void {
    this.#finished = true;
    this.#input = NO_INPUT;
    this.#inputBytes = 0;
    this.#pos = 0;
    this.#rope.clear();
  }
}

interface DelimiterSpec {
  readonly delimiter: Buffer;
  readonly first: number;
  readonly oneByte: boolean;
  /** Knuth-Morris-Pratt failure function of the delimiter (used for delimiters of two bytes or more). */
  readonly fail: Int32Array;
  readonly max: number;
  readonly split: boolean;
  readonly dropCr: boolean;
  readonly skipLf: boolean;
}

/**
 * Each framing's settings, delimiter bytes and failure function, made once
 * and shared by every connection's framer, so that an idle connection costs
 * its framer's few fields of state, not its own copy of them. Bounded: a few
 * tables' framings at most.
 */
const specs = new Map<string, DelimiterSpec>();
const MAX_SPECS = 64;

function specFor(options: DelimiterOptions): DelimiterSpec {
  const { delimiter, maxRequestBytes: max } = options;
  const split = options.overLimit === 'split';
  const dropCr = options.dropCrBefore === true;
  const skipLf = options.skipLfAfter === true;
  const key = `${max} ${String(split)} ${String(dropCr)} ${String(skipLf)} ${delimiter.toString('latin1')}`;
  let spec = specs.get(key);
  if (!spec) {
    if (specs.size >= MAX_SPECS) specs.clear();
    const bytes = Buffer.from(delimiter);
    spec = {
      delimiter: bytes,
      first: bytes[0] as number,
      oneByte: bytes.length === 1,
      fail: failureFunction(bytes),
      max,
      split,
      dropCr,
      skipLf,
    };
    specs.set(key, spec);
  }
  return spec;
}

function failureFunction(pattern: Buffer): Int32Array {
  const fail = new Int32Array(pattern.length);
  let k = 0;
  for (let i = 1; i < pattern.length; i++) {
    while (k > 0 && pattern[i] !== pattern[k]) k = fail[k - 1] as number;
    if (pattern[i] === pattern[k]) k++;
    fail[i] = k;
  }
  return fail;
}
