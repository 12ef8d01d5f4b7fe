/**
 * `slicer`: every chunk is cut into slices of `average_size` bytes, give or
 * take up to `size_variation`, with `delay` µs between slices. The last slice
 * of a chunk is what is left.
 */
import { performance } from 'node:perf_hooks';
import type { ToxicAttributes } from '../../shared/protocol/toxics.js';
import type { Handover, StageOutput, ToxicStage } from './stage.js';
import { TimedQueue } from './timed-queue.js';

type Attributes = ToxicAttributes['slicer'];

/** The sizes one chunk of `length` bytes is cut into. */
export function sliceSizes(length: number, averageSize: number, sizeVariation: number): number[] {
  const sizes: number[] = [];
  // Toxiproxy's default average_size is 0: a slice is at least one byte.
  const average = Math.max(1, averageSize);
  const variation = Math.min(sizeVariation, average - 1);
  let left = length;
  while (left > 0) {
    const spread = variation > 0 ? Math.floor(Math.random() * (variation * 2 + 1)) - variation : 0;
    const size = Math.min(left, average + spread);
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

export class SlicerStage implements ToxicStage<Attributes> {
  readonly #queue: TimedQueue;
  /** When the slice after the last one queued may go (the delay follows every slice). */
  #nextDue = 0;

  constructor(
    out: StageOutput,
    private attributes: Attributes,
  ) {
    this.#queue = new TimedQueue(out);
  }

  write(chunk: Buffer): void {
    const { average_size, size_variation, delay } = this.attributes;
    const gap = delay / 1000;
    let due = Math.max(performance.now(), this.#queue.isEmpty ? 0 : this.#nextDue);
    let offset = 0;
    for (const size of sliceSizes(chunk.length, average_size, size_variation)) {
      this.#queue.add(chunk.subarray(offset, offset + size), due);
      offset += size;
      due += gap;
    }
    this.#nextDue = due;
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
