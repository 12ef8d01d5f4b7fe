/** `slow_close`: bytes pass at once; the end of the stream (the close) waits `delay` ms. */
import { performance } from 'node:perf_hooks';
import type { ToxicAttributes } from '../../shared/protocol/toxics.js';
import type { Handover, StageOutput, ToxicStage } from './stage.js';
import { TimedQueue } from './timed-queue.js';

type Attributes = ToxicAttributes['slow_close'];

export class SlowCloseStage implements ToxicStage<Attributes> {
  readonly #queue: TimedQueue;

  constructor(
    private readonly out: StageOutput,
    private attributes: Attributes,
  ) {
    this.#queue = new TimedQueue(out);
  }

  write(chunk: Buffer): void {
    this.out.push(chunk);
  }

  end(): void {
    this.#queue.add(null, performance.now() + this.attributes.delay);
  }

  update(attributes: Attributes): void {
    this.attributes = attributes;
  }

  readonly heldBytes = 0;

  remove(): Handover {
    return this.#queue.takeAll();
  }

  dispose(): void {
    this.#queue.dispose();
  }
}
