/**
 * `limit_data`: the first `bytes` bytes pass; then the connection is closed.
 * The count survives an update, as in Toxiproxy, so raising the limit lets
 * more through on the same connection.
 */
import type { ToxicAttributes } from '../../shared/protocol/toxics.js';
import type { Handover, StageOutput, ToxicStage } from './stage.js';

type Attributes = ToxicAttributes['limit_data'];

export class LimitDataStage implements ToxicStage<Attributes> {
  #sent = 0;
  #closed = false;

  constructor(
    private readonly out: StageOutput,
    private attributes: Attributes,
  ) {}

  write(chunk: Buffer): void {
    if (this.#closed) return;
    const left = Math.max(0, this.attributes.bytes - this.#sent);
    const part = left < chunk.length ? chunk.subarray(0, left) : chunk;
    if (part.length > 0) {
      this.#sent += part.length;
      this.out.push(part);
    }
    if (this.#sent >= this.attributes.bytes) {
      this.#closed = true;
      this.out.close(`limit_data toxic: closed after ${this.#sent} bytes`);
    }
  }

  end(): void {
    this.out.end();
  }

  update(attributes: Attributes): void {
    this.attributes = attributes;
  }

  readonly heldBytes = 0;

  remove(): Handover {
    return { chunks: [], ended: false };
  }

  dispose(): void {
    // Nothing waits.
  }
}
