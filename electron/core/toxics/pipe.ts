/**
 * One direction of one connection: the toxics that act on it, in the order
 * they were added, between the socket that reads and the one that writes.
 *
 * The toxics can change while bytes flow: a new one joins at the end, a
 * removed one hands what it held to the stage after it, an updated one takes
 * its new attributes from now on. So a change applies at once to open
 * connections, and no byte is lost or reordered by it.
 */
import type { Toxic } from '../../shared/protocol/toxics.js';
import { makeStage } from './registry.js';
import type { StageOutput, ToxicStage } from './stage.js';

/** Where the last stage delivers, and what the pipe may ask of the connection. */
export interface PipeSink {
  write(chunk: Buffer): void;
  end(): void;
  close(why: string): void;
  reset(why: string): void;
  /** Held bytes were let go: the reading side may resume. */
  released(): void;
}

interface Node {
  toxic: Toxic;
  stage: ToxicStage;
  next: Node | null;
  removed: boolean;
}

export class ToxicPipe {
  #first: Node | null = null;
  /** Whether each toxic (by name) acts on this connection: its toxicity, rolled once per connection. */
  readonly #rolls = new Map<string, { toxicity: number; applies: boolean }>();

  constructor(private readonly sink: PipeSink) {}

  write(chunk: Buffer): void {
    if (this.#first) this.#first.stage.write(chunk);
    else this.sink.write(chunk);
  }

  end(): void {
    if (this.#first) this.#first.stage.end();
    else this.sink.end();
  }

  /** Bytes the toxics hold back, for backpressure. */
  get heldBytes(): number {
    let held = 0;
    for (let node = this.#first; node; node = node.next) held += node.stage.heldBytes;
    return held;
  }

  /** No toxic acts on this direction now. */
  get empty(): boolean {
    return this.#first === null;
  }

  /** Names of the toxics acting on this direction now. */
  get active(): string[] {
    const names: string[] = [];
    for (let node = this.#first; node; node = node.next) names.push(node.toxic.name);
    return names;
  }

  /** Makes `toxics` (this direction's, in order) the ones acting, changing only what differs. */
  set(toxics: readonly Toxic[]): void {
    const wanted = new Map<string, Toxic>();
    for (const toxic of toxics) if (this.#applies(toxic)) wanted.set(toxic.name, toxic);
    for (const name of this.#rolls.keys()) {
      if (!toxics.some((t) => t.name === name)) this.#rolls.delete(name);
    }

    let previous: Node | null = null;
    let node = this.#first;
    while (node) {
      const next: Node | null = node.next;
      const toxic = wanted.get(node.toxic.name);
      if (toxic && toxic.type === node.toxic.type) {
        if (toxic !== node.toxic) node.stage.update(toxic.attributes);
        node.toxic = toxic;
        wanted.delete(toxic.name);
        previous = node;
      } else {
        this.#unlink(node, previous);
      }
      node = next;
    }
    for (const toxic of wanted.values()) {
      const added = this.#node(toxic);
      if (previous) previous.next = added;
      else this.#first = added;
      previous = added;
    }
  }

  /** The connection is gone: every timer stops. */
  dispose(): void {
    for (let node = this.#first; node; node = node.next) {
      node.removed = true;
      node.stage.dispose();
    }
    this.#first = null;
  }

  #applies(toxic: Toxic): boolean {
    const roll = this.#rolls.get(toxic.name);
    if (roll && roll.toxicity === toxic.toxicity) return roll.applies;
    const applies = toxic.toxicity >= 1 || Math.random() < toxic.toxicity;
    this.#rolls.set(toxic.name, { toxicity: toxic.toxicity, applies });
    return applies;
  }

  #unlink(node: Node, previous: Node | null): void {
    node.removed = true;
    if (previous) previous.next = node.next;
    else this.#first = node.next;
    const { chunks, ended } = node.stage.remove();
    for (const chunk of chunks) this.#deliver(node.next, chunk);
    if (ended) this.#deliverEnd(node.next);
    if (chunks.length > 0) this.sink.released();
  }

  #deliver(to: Node | null, chunk: Buffer): void {
    if (to) to.stage.write(chunk);
    else this.sink.write(chunk);
  }

  #deliverEnd(to: Node | null): void {
    if (to) to.stage.end();
    else this.sink.end();
  }

  #node(toxic: Toxic): Node {
    const node: Node = { toxic, stage: undefined as unknown as ToxicStage, next: null, removed: false };
    const out: StageOutput = {
      push: (chunk) => {
        if (!node.removed) this.#deliver(node.next, chunk);
      },
      end: () => {
        if (!node.removed) this.#deliverEnd(node.next);
      },
      close: (why) => {
        if (!node.removed) this.sink.close(why);
      },
      reset: (why) => {
        if (!node.removed) this.sink.reset(why);
      },
      released: () => {
        if (!node.removed) this.sink.released();
      },
    };
    node.stage = makeStage(toxic, out);
    return node;
  }
}
