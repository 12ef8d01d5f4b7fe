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
    // Nobody listening: nothing to do (and Node's special "error" event
    // would otherwise throw when it has no listener).
    if (this.#emitter.listenerCount(event) === 0) return;
    try {
      this.#emitter.emit(event, payload);
    } catch (error) {
      this.listenerFailed(event, error);
    }
  }

  /**
   * A listener threw. By default the error goes on to the emitter's caller;
   * a class whose emits run where nobody could catch (socket callbacks,
   * timers) overrides this to report instead of crash.
   */
  protected listenerFailed(event: keyof Events & string, error: unknown): void {
    throw error;
  }

  /** True when anyone listens, so hot paths can skip building payloads nobody reads. */
  protected hasListeners(event: keyof Events & string): boolean {
    return this.#emitter.listenerCount(event) > 0;
  }
}
