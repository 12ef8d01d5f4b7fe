/**
 * Sends a table's push entries (docs/command-tables.md) to every open
 * connection every N ms from its connect, with one timer per entry rather
 * than one per connection.
 *
 * Every connection of an entry has the same period, so the order in which
 * they fall due is the order they joined: a queue, oldest due first. The
 * one timer wakes for the head, sends to everyone due, and puts each back
 * at the tail with its next time. A connection that has gone is dropped
 * when it reaches the head; nothing is searched.
 */

interface Due<C> {
  readonly conn: C;
  at: number;
}

export class PushScheduler<C> {
  #queue: Due<C>[] = [];
  /** Index of the head in #queue: popping is moving it, compacting now and then. */
  #head = 0;
  #timer: NodeJS.Timeout | null = null;

  /**
   * `open(conn)` is false once a connection is closing: it gets nothing
   * more, and leaves the queue.
   */
  constructor(
    private readonly everyMs: number,
    private readonly send: (conn: C) => void,
    private readonly open: (conn: C) => boolean,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts pushing to `conn`, first `everyMs` from now. */
  add(conn: C): void {
    this.#queue.push({ conn, at: this.now() + this.everyMs });
    if (!this.#timer) this.#arm();
  }

  /** Stops every push at once (Stop, or a new table). */
  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#queue = [];
    this.#head = 0;
  }

  #arm(): void {
    const head = this.#queue[this.#head];
    if (!head) {
      this.#queue = [];
      this.#head = 0;
      return;
    }
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, head.at - this.now()));
    this.#timer.unref();
  }

  #fire(): void {
    this.#timer = null;
    const now = this.now();
    // Only those due now: the ones put back at the tail are due a period later.
    const end = this.#queue.length;
    while (this.#head < end) {
      const due = this.#queue[this.#head] as Due<C>;
      if (due.at > now) break;
      this.#head++;
      if (!this.open(due.conn)) continue;
      this.send(due.conn);
      // A timer that fired late does not make the next push come sooner than a period after this one.
      due.at = Math.max(due.at + this.everyMs, now + 1);
      if (this.open(due.conn)) this.#queue.push(due);
    }
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    this.#arm();
  }
}
