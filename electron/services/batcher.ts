/**
 * Collects items and hands them on in batches, at most one batch per
 * interval, whatever the rate they arrive at; with a {@link Pacer}, in
 * turns shared with other batchers.
 *
 * A timer runs only while something waits: an idle app wakes no one.
 */
export class Batcher<T> {
  #items: T[] = [];
  #timer: NodeJS.Timeout | null = null;
  #lastFlush = 0;
  /** Set while the batch waits for its turn with the pacer. */
  #waitingTurn = false;

  /**
   * @param pacer shared by the batchers that feed one window, so that all of
   *   them together send at most one batch per the pacer's interval.
   */
  constructor(
    private readonly intervalMs: number,
    private readonly deliver: (items: T[]) => void,
    private readonly pacer: Pacer | null = null,
  ) {}

  push(item: T): void {
    this.#items.push(item);
    if (this.#timer || this.#waitingTurn) return;
    const wait = Math.max(0, this.#lastFlush + this.intervalMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (!this.pacer) {
        this.flush();
        return;
      }
      this.#waitingTurn = true;
      this.pacer.request(this.#turn);
    }, wait);
  }

  /** Delivers what waits now (for shutdown, or a window that asks). */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#waitingTurn) {
      this.#waitingTurn = false;
      this.pacer?.cancel(this.#turn);
    }
    if (this.#items.length === 0) return;
    const items = this.#items;
    this.#items = [];
    this.#lastFlush = Date.now();
    this.pacer?.delivered();
    this.deliver(items);
  }

  get pending(): number {
    return this.#items.length;
  }

  /** The pacer's go: delivers, and tells whether there was anything to deliver. */
  readonly #turn = (): boolean => {
    this.#waitingTurn = false;
    if (this.#items.length === 0) return false;
    this.flush();
    return true;
  };
}

/**
 * One message budget for several batchers: hands out turns, at most one
 * per interval, first come first served. A window fed by a log batcher, a
 * stats batcher and others then gets at most 1000 / interval messages a
 * second in all, however busy every one of them is; each batcher's own
 * interval still bounds how often it takes a turn.
 */
export class Pacer {
  readonly #waiting: (() => boolean)[] = [];
  #timer: NodeJS.Timeout | null = null;
  #last = 0;

  constructor(private readonly intervalMs: number) {}

  /** Asks for a turn; `turn` runs when it comes and returns false if it had nothing to send. */
  request(turn: () => boolean): void {
    if (!this.#waiting.includes(turn)) this.#waiting.push(turn);
    this.#schedule();
  }

  cancel(turn: () => boolean): void {
    const i = this.#waiting.indexOf(turn);
    if (i !== -1) this.#waiting.splice(i, 1);
  }

  /** A batcher delivered (in its turn, or flushed out of turn): the next turn is an interval away. */
  delivered(): void {
    this.#last = Date.now();
  }

  #schedule(): void {
    if (this.#timer || this.#waiting.length === 0) return;
    const wait = Math.max(0, this.#last + this.intervalMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      // A turn that finds nothing to send (flushed meanwhile) passes it on.
      for (let turn = this.#waiting.shift(); turn; turn = this.#waiting.shift()) if (turn()) break;
      this.#schedule();
    }, wait);
  }
}
