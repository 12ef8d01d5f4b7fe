/**
 * Shares each turn of the event loop among the connections that have work.
 *
 * Node accepts one new connection per turn, so short turns are what lets a
 * newcomer in at once while hundreds of clients pipeline thousands of
 * commands each. The work of a turn is counted three ways (reply bytes
 * written, request bytes framed, lines taken), because input that is never
 * answered (blank lines, a flood of them) costs time as well. A connection
 * that finds the budget spent waits for a coming turn, in order.
 */

/** What all connections together may do in one turn of the event loop. */
export interface TurnBudget {
  /** Reply bytes written. */
  readonly outputBytes: number;
  /** Request bytes framed, line ends included. */
  readonly inputBytes: number;
  /** Lines taken, blank ones included. */
  readonly lines: number;
}

export class TurnScheduler<T> {
  #output = 0;
  #input = 0;
  #lines = 0;
  #turnEnd: NodeJS.Immediate | null = null;
  /** Waiting for a coming turn, in the order they will be resumed. */
  #waiting: T[] = [];
  /** The members of {@link #waiting} not withdrawn since. */
  readonly #queued = new Set<T>();

  /**
   * @param budget what one turn may spend
   * @param resume called in a coming turn for each waiting item, in order, while the budget lasts
   */
  constructor(
    readonly budget: TurnBudget,
    private readonly resume: (item: T) => void,
  ) {}

  /** Reply bytes written in this turn. */
  spendOutput(bytes: number): void {
    this.#output += bytes;
    this.#endTurnSoon();
  }

  /** One line taken in this turn, `bytes` long with its line end. */
  spendLine(bytes: number): void {
    this.#lines++;
    this.#input += bytes;
    this.#endTurnSoon();
  }

  /** True when this turn's budget is spent: whoever has more to do waits. */
  get exhausted(): boolean {
    return (
      this.#output >= this.budget.outputBytes ||
      this.#input >= this.budget.inputBytes ||
      this.#lines >= this.budget.lines
    );
  }

  /** Queues `item` to be resumed in a coming turn, after those already waiting. */
  wait(item: T): void {
    if (this.#queued.has(item)) return;
    this.#queued.add(item);
    this.#waiting.push(item);
    this.#endTurnSoon();
  }

  /** Takes `item` out of the queue: it is closing, or was resumed for another reason. */
  withdraw(item: T): void {
    this.#queued.delete(item);
  }

  isWaiting(item: T): boolean {
    return this.#queued.has(item);
  }

  #endTurnSoon(): void {
    if (this.#turnEnd === null) this.#turnEnd = setImmediate(() => this.#nextTurn());
  }

  /** A new turn: resumes the waiting items in order, until the budget runs out again. */
  #nextTurn(): void {
    this.#turnEnd = null;
    this.#output = 0;
    this.#input = 0;
    this.#lines = 0;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const [i, item] of waiting.entries()) {
      if (!this.#queued.has(item)) continue;
      if (this.exhausted) {
        // Out of budget again: the rest go first in the next turn.
        this.#waiting = [...waiting.slice(i).filter((w) => this.#queued.has(w)), ...this.#waiting];
        this.#endTurnSoon();
        return;
      }
      this.#queued.delete(item);
      this.resume(item);
    }
  }
}
