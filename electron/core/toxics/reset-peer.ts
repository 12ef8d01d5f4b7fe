/**
 * `reset_peer`: the first bytes to arrive start a `timeout` ms wait (0: none),
 * after which the connection is reset (TCP RST, "connection reset by peer").
 * Bytes from then on are dropped, as in Toxiproxy.
 */
import type { ToxicAttributes } from '../../shared/protocol/toxics.js';
import type { Handover, StageOutput, ToxicStage } from './stage.js';

type Attributes = ToxicAttributes['reset_peer'];

export class ResetPeerStage implements ToxicStage<Attributes> {
  #timer: NodeJS.Timeout | null = null;
  #triggered = false;

  constructor(
    private readonly out: StageOutput,
    private attributes: Attributes,
  ) {}

  #trigger(): void {
    if (this.#triggered) return;
    this.#triggered = true;
    const ms = this.attributes.timeout;
    const why = `reset_peer toxic: reset after ${ms} ms`;
    if (ms <= 0) this.out.reset(why);
    else this.#timer = setTimeout(() => this.out.reset(why), ms);
  }

  write(): void {
    this.#trigger();
  }

  end(): void {
    this.#trigger();
  }

  update(attributes: Attributes): void {
    this.attributes = attributes;
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
