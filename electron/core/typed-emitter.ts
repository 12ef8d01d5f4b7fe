import { EventEmitter } from 'node:events';

/**
 * An EventEmitter whose event names and payloads come from one map.
 *
 * Each event carries exactly one payload object, so listeners and emitters
 * agree on its type at compile time.
 */
export class TypedEmitter<Events extends object> {
  readonly #emitter = new EventEmitter();

  constructor() {
    // The log, the stats and the window all listen; none of them is a leak.
    this.#emitter.setMaxListeners(50);
  }

  on<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): () => void {
    this.#emitter.on(event, listener);
    return () => this.#emitter.off(event, listener);
  }

  once<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): void {
    this.#emitter.once(event, listener);
  }

  protected emit<K extends keyof Events & string>(event: K, payload: Events[K]): void {
    this.#emitter.emit(event, payload);
  }

  /** True when anyone listens, so hot paths can skip building payloads nobody reads. */
  protected hasListeners(event: keyof Events & string): boolean {
    return this.#emitter.listenerCount(event) > 0;
  }
}
