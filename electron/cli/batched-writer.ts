/**
 * Collects output lines and writes them once per turn of the event loop, so
 * that a flood of events costs one write call per turn rather than one per
 * event.
 */
import type { Writable } from 'node:stream';

export class BatchedWriter {
  #pending: string[] = [];
  #scheduled = false;

  constructor(private readonly out: Writable) {}

  line(text: string): void {
    this.#pending.push(text);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.#scheduled = false;
    if (this.#pending.length === 0) return;
    const text = this.#pending.join('\n') + '\n';
    this.#pending = [];
    this.out.write(text);
  }

  /** Writes what is pending and resolves once the stream has taken it. */
  close(): Promise<void> {
    this.flush();
    return new Promise((resolve) => this.out.write('', () => resolve()));
  }
}
