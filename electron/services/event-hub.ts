/**
 * Fans events out to every window that listens: the desktop window, or
 * each browser tab in browser mode.
 */
import type { EventChannel, EventMap, EventSink } from '../shared/ipc/ipc-contract.js';

export class EventHub {
  readonly #sinks = new Set<EventSink>();

  subscribe(sink: EventSink): () => void {
    this.#sinks.add(sink);
    return () => this.#sinks.delete(sink);
  }

  publish<K extends EventChannel>(channel: K, payload: EventMap[K]): void {
    for (const sink of this.#sinks) {
      try {
        sink(channel, payload);
      } catch {
        // A window that went away mid-send must not stop the others.
      }
    }
  }
}
