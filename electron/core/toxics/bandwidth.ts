/**
 * `bandwidth`: at most `rate` KB/s (1 KB = 1000 bytes, as in Toxiproxy) pass
 * through; 0 lets everything through. A big chunk goes out in pieces of a
 * tenth of a second's worth, so the rate holds over short spans too.
 */
import { performance } from 'node:perf_hooks';
import type { ToxicAttributes } from '../../shared/protocol/toxics.js';
import type { Handover, StageOutput, ToxicStage } from './stage.js';
import { TimedQueue } from './timed-queue.js';

type Attributes = ToxicAttributes['bandwidth'];

export class BandwidthStage implements ToxicStage<Attributes> {
  readonly #queue: TimedQueue;

  constructor(
    private readonly out: StageOutput,
    private attributes: Attributes,
  ) {
    this.#queue = new TimedQueue(out);
  }

  write(chunk: Buffer): void {
    const rate = this.attributes.rate; // KB/s is bytes per millisecond
    if (rate <= 0) {
      if (this.#queue.isEmpty) this.out.push(chunk);
      else this.#queue.add(chunk, performance.now());
      return;
    }
    const piece = rate * 100;
    let due = Math.max(performance.now(), this.#queue.lastDue);
    for (let offset = 0; offset < chunk.length; offset += piece) {
      const part = chunk.subarray(offset, offset + piece);
      due += part.length / rate;
      this.#queue.add(part, due);
    }
  }

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
