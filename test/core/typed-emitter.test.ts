import { describe, expect, it } from 'vitest';
import { TypedEmitter } from '../../electron/core/typed-emitter.js';

interface Events {
  tick: { n: number };
  done: { why: string };
}

class Ticker extends TypedEmitter<Events> {
  fire<K extends keyof Events>(event: K, payload: Events[K]): void {
    this.emit(event, payload);
  }
  listening(event: keyof Events): boolean {
    return this.hasListeners(event);
  }
}

describe('TypedEmitter', () => {
  it('delivers each payload to every listener of its event only', () => {
    const t = new Ticker();
    const a: number[] = [];
    const b: number[] = [];
    const done: string[] = [];
    t.on('tick', (p) => a.push(p.n));
    t.on('tick', (p) => b.push(p.n * 10));
    t.on('done', (p) => done.push(p.why));
    t.fire('tick', { n: 1 });
    t.fire('tick', { n: 2 });
    expect(a).toEqual([1, 2]);
    expect(b).toEqual([10, 20]);
    expect(done).toEqual([]);
  });

  it('on returns a function that unsubscribes that listener only', () => {
    const t = new Ticker();
    const a: number[] = [];
    const b: number[] = [];
    const offA = t.on('tick', (p) => a.push(p.n));
    t.on('tick', (p) => b.push(p.n));
    t.fire('tick', { n: 1 });
    offA();
    offA(); // twice is harmless
    t.fire('tick', { n: 2 });
    expect(a).toEqual([1]);
    expect(b).toEqual([1, 2]);
  });

  it('once delivers exactly one payload', () => {
    const t = new Ticker();
    const got: number[] = [];
    t.once('tick', (p) => got.push(p.n));
    t.fire('tick', { n: 1 });
    t.fire('tick', { n: 2 });
    expect(got).toEqual([1]);
    expect(t.listening('tick')).toBe(false);
  });

  it('hasListeners tells whether anyone listens', () => {
    const t = new Ticker();
    expect(t.listening('done')).toBe(false);
    const off = t.on('done', () => undefined);
    expect(t.listening('done')).toBe(true);
    expect(t.listening('tick')).toBe(false);
    off();
    expect(t.listening('done')).toBe(false);
  });

  it('takes more than 10 listeners on one event without a leak warning', async () => {
    const t = new Ticker();
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w);
    };
    process.on('warning', onWarning);
    let count = 0;
    for (let i = 0; i < 40; i++) t.on('tick', () => count++);
    t.fire('tick', { n: 0 });
    // Node emits the warning on a later tick.
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    expect(count).toBe(40);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });
});
