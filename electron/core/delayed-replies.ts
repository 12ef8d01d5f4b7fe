/**
 * The replies of one connection that wait behind a delayed one (a rule's
 * `delayMs`), so that replies always go out in the order their lines came
 * in. A connection has one only while something waits, which is rare.
 */

export interface DelayedReply {
  /** How long to wait before sending it; 0 sends it as soon as those before it are sent. */
  readonly delayMs: number;
}

export interface DelayedRepliesHooks<R> {
  /** Sends one reply whose turn has come. */
  send: (reply: R) => void;
  /** True once the connection is closing: nothing more is sent. */
  closing: () => boolean;
  /** Every reply has gone out. */
  drained: () => void;
}

export class DelayedReplies<R extends DelayedReply> {
  #queue: { reply: R; waited: boolean }[] = [];
  #timer: NodeJS.Timeout | null = null;

  constructor(private readonly hooks: DelayedRepliesHooks<R>) {}

  /** Replies still waiting. */
  get length(): number {
    return this.#queue.length;
  }

  /** Queues a reply behind the others; sends it now when nothing waits before it and it has no delay. */
  push(reply: R): void {
    this.#queue.push({ reply, waited: false });
    if (!this.#timer) this.#run();
  }

  /** Drops whatever waits: the connection is gone. */
  cancel(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#queue = [];
  }

  /** Sends queued replies in order, waiting out each one's delay. */
  #run(): void {
    const queue = this.#queue;
    while (queue.length > 0) {
      if (this.hooks.closing()) return;
      const next = queue[0];
      if (!next) break;
      if (next.reply.delayMs > 0 && !next.waited) {
        next.waited = true;
        this.#timer = setTimeout(() => {
          this.#timer = null;
          this.#run();
        }, next.reply.delayMs);
        return;
      }
      queue.shift();
      this.hooks.send(next.reply);
    }
    this.hooks.drained();
  }
}
