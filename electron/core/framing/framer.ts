/**
 * What every framer shares: the framing a table names, the frames a framer
 * hands out, and the one interface the server and the test client drive.
 *
 * The framings and their rules are described in docs/framing.md.
 */
import type { FramingField } from '../../shared/protocol/table-framing.js';

/**
 * How the byte stream is cut into requests: a command table's `"framing"`,
 * exactly as the table file writes it (the schema is the table's, in
 * electron/shared/protocol/table-framing.ts).
 */
export type FramingConfig = FramingField;

/** A length field with its defaults filled in (big endian, no adjustment). */
export interface LengthFieldConfig {
  /** Where the length field starts, in bytes from the start of the frame. */
  offset: number;
  bytes: 1 | 2 | 4;
  endian: 'big' | 'little';
  /** Added to the field's value: the frame is `offset + bytes + value + adjust` bytes long. */
  adjust: number;
}

export const DEFAULT_FRAMING: FramingConfig = 'lf';

/** One request cut out of the stream, or the news that one was too long. */
export interface Frame {
  /** The request: for line framings the line without its line end. */
  readonly request: Buffer;
  /**
   * The bytes of the stream this frame stands for, as they arrived: the
   * request with its terminator (and, for `cr`, an LF ignored before it).
   * Laid end to end, the frames' raw bytes are the stream (but for what
   * {@link Framer.droppedAtEnd} holds, and an LF `cr` ignores at the very
   * end).
   */
  readonly raw: Buffer;
  /**
   * The request was longer than the limit. With `overLimit: 'stop'` this is
   * the framer's last frame and carries no bytes; with `'split'` it is one
   * limit-sized part of the long request, and the parts add up to it.
   */
  readonly overLimit: boolean;
}

/**
 * Turns a byte stream into frames. Pull based, like the server's answer
 * loop: bytes go in with {@link push}, frames come out one at a time with
 * {@link next}, so a reader that has to pause leaves the rest unframed.
 */
export interface Framer {
  /** Adds bytes that arrived. The framer may keep views of `chunk` until {@link next} returns null. */
  push(chunk: Buffer): void;
  /** The next frame, or `null` when none is complete yet (or the framer is finished). */
  next(): Frame | null;
  /**
   * No more bytes will come (the peer half-closed). Frames still held,
   * including what the framing makes of a partial frame, come out of
   * {@link next}.
   */
  end(): void;
  /** Cancels any timer (the `raw` framing's gap); the framer hands out nothing more. */
  close(): void;
  /** Bytes held that are not yet handed out in frames. */
  readonly buffered: number;
  /**
   * After the end of input: the bytes of a partial frame the framing drops
   * (`fixed` and `lengthField`, whose partial frame cannot be a request);
   * empty otherwise.
   */
  readonly droppedAtEnd: Buffer;
  /** Bytes of memory the framer keeps alive, spare room and unframed chunks included. */
  readonly retainedBytes: number;
}

/** What a framer does once a request is over the limit. */
export type OverLimitPolicy =
  /** Hand out one over-limit frame and nothing more: the server answers with an error and closes. */
  | 'stop'
  /** Hand out the long request in limit-sized parts and go on: the test client shows them. */
  | 'split';

/** Time, injectable so that the `raw` framing's gap can be tested with fake timers. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface FramerOptions {
  /** Default `'stop'`. */
  overLimit?: OverLimitPolicy;
  /** Default: the system's monotonic clock and timers. */
  clock?: Clock;
  /**
   * Called when a frame becomes ready outside {@link Framer.push}: the
   * `raw` framing's gap elapsed. The reader then calls {@link Framer.next}.
   */
  onReady?: () => void;
}

export const EMPTY = Buffer.alloc(0);

/**
 * A frame lying in one buffer. Its views are made when first asked for:
 * the server reads only the request, and a view costs about as much as
 * finding the line end.
 */
export class SliceFrame implements Frame {
  #request: Buffer | null = null;
  #raw: Buffer | null = null;

  constructor(
    private readonly source: Buffer,
    private readonly rawStart: number,
    private readonly rawEnd: number,
    private readonly requestStart: number,
    private readonly requestEnd: number,
  ) {}

  get overLimit(): boolean {
    return false;
  }

  get request(): Buffer {
    return (this.#request ??= this.source.subarray(this.requestStart, this.requestEnd));
  }

  get raw(): Buffer {
    return (this.#raw ??= this.source.subarray(this.rawStart, this.rawEnd));
  }
}

/** The frame a `'stop'` framer ends with. */
export const OVER_LIMIT: Frame = Object.freeze({ request: EMPTY, raw: EMPTY, overLimit: true });
