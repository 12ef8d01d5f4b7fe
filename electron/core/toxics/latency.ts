/** `latency`: every chunk waits `latency` ms, give or take up to `jitter` ms, from when it arrived. */
import { performance } from 'node:perf_hooks';
import type { ToxicAttributes } from '../../shared/protocol/toxics.js';
import type { Handover, StageOutput, ToxicStage } from './stage.js';
import { TimedQueue } from './timed-queue.js';

type Attributes = ToxicAttributes['latency'];

export class LatencyStage implements ToxicStage<Attributes> {
  readonly #queue: TimedQueue;

  constructor(
    out: StageOutput,
    private attributes: Attributes,
  ) {
    this.#queue = new TimedQueue(out);
  }

  #delay(): number {
    const { latency, jitter } = this.attributes;
    // As Toxiproxy: uniform in [latency - jitter, latency + jitter).
    const spread = jitter > 0 ? Math.floor(Math.random() * jitter * 2) - jitter : 0;
    return Math.max(0, latency + spread);
  }

  write(chunk: Buffer): void {
    this.#queue.add(chunk, performance.now() + this.#delay());
  }

  /** The end follows the last chunk at once, as in Toxiproxy. */
  end(): void {
    this.#queue.add(null, performance.now());
  }

  update(attributes: Attributes): void {
    this.attributes = attributes;
  }

  get heldBytes(): number {
    return this.#queue.heldBytes;
  }

  remove(): Handover {
    return this.#queue.takeAll();
  }

  dispose(): void {
    this.#queue.dispose();
  }
}
