/**
 * Collects items and hands them on in batches, at most one batch per
 * interval, whatever the rate they arrive at.
 *
 * A timer runs only while something waits: an idle app wakes no one.
 */
export class Batcher<T> {
  #items: T[] = [];
  #timer: NodeJS.Timeout | null = null;
  #lastFlush = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly deliver: (items: T[]) => void,
  ) {}

  push(item: T): void {
    this.#items.push(item);
    if (this.#timer) return;
    const wait = Math.max(0, this.#lastFlush + this.intervalMs - Date.now());
    this.#timer = setTimeout(() => this.flush(), wait);
  }

  /** Delivers what waits now (for shutdown, or a window that asks). */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#items.length === 0) return;
    const items = this.#items;
    this.#items = [];
    this.#lastFlush = Date.now();
    this.deliver(items);
  }

  get pending(): number {
    return this.#items.length;
  }
}
