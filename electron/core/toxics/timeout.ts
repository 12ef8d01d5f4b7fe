/**
 * `timeout`: no bytes get through; the connection is closed `timeout` ms
 * after the toxic took hold of it, or never with 0 (bytes are dropped until
 * the toxic is removed).
 */
import type { ToxicAttributes } from '../../shared/protocol/toxics.js';
import type { Handover, StageOutput, ToxicStage } from './stage.js';

type Attributes = ToxicAttributes['timeout'];

export class TimeoutStage implements ToxicStage<Attributes> {
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly out: StageOutput,
    private attributes: Attributes,
  ) {
    this.#arm();
  }

  #arm(): void {
    this.dispose();
    const ms = this.attributes.timeout;
    if (ms > 0) {
      this.#timer = setTimeout(() => this.out.close(`timeout toxic: closed after ${ms} ms`), ms);
    }
  }

  write(): void {
    // Dropped on the ground, as Toxiproxy does.
  }

  end(): void {
    this.out.end();
  }

  /** A new timeout counts from now. */
  update(attributes: Attributes): void {
    this.attributes = attributes;
    this.#arm();
  }

  readonly heldBytes = 0;

  remove(): Handover {
    this.dispose();
    return { chunks: [], ended: false };
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
