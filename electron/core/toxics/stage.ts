/**
 * One toxic acting on one direction of one connection: a small stage in a
 * pipe, as in Toxiproxy's toxics/ folder. Bytes come in through `write` and
 * `end`, and go on through the {@link StageOutput} it was made with.
 */

export interface StageOutput {
  /** Passes bytes on to the next stage (or the socket). */
  push(chunk: Buffer): void;
  /** Passes the end of the stream on (a half-close). */
  end(): void;
  /** Closes the whole connection, once what was passed on is delivered. */
  close(why: string): void;
  /** Resets the whole connection (TCP RST), dropping what is unsent. */
  reset(why: string): void;
  /** Bytes this stage held were let go (sent on or dropped): the pipe may read more. */
  released(): void;
}

/** What a stage still held when it was taken out of the pipe, in order. */
export interface Handover {
  chunks: Buffer[];
  /** The end of the stream had reached the stage and was not yet passed on. */
  ended: boolean;
}

export interface ToxicStage<A = unknown> {
  write(chunk: Buffer): void;
  end(): void;
  /** New attributes, applied from now on. */
  update(attributes: A): void;
  /** Bytes held, for backpressure. */
  readonly heldBytes: number;
  /** The toxic is removed: stop its timers and hand over what it held. */
  remove(): Handover;
  /** The connection is gone: stop its timers. */
  dispose(): void;
}
