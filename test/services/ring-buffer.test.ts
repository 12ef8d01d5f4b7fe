import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../electron/services/ring-buffer.js';

function filled(capacity: number, count: number): RingBuffer<number> {
  const ring = new RingBuffer<number>(capacity);
  for (let i = 1; i <= count; i++) ring.push(i);
  return ring;
}

describe('RingBuffer', () => {
  it('starts empty', () => {
    const ring = new RingBuffer<string>(3);
    expect(ring.size).toBe(0);
    expect(ring.toArray()).toEqual([]);
    expect(ring.capacity).toBe(3);
  });

  it('keeps everything, oldest first, while under capacity', () => {
    const ring = filled(5, 3);
    expect(ring.size).toBe(3);
    expect(ring.toArray()).toEqual([1, 2, 3]);
  });

  it('keeps exactly capacity items when full', () => {
    expect(filled(4, 4).toArray()).toEqual([1, 2, 3, 4]);
  });

  it('drops the oldest items past capacity, keeping the last ones in order', () => {
    const ring = filled(4, 11);
    expect(ring.size).toBe(4);
    expect(ring.toArray()).toEqual([8, 9, 10, 11]);
  });

  it('stays correct across many wraps', () => {
    const ring = filled(7, 1000);
    expect(ring.toArray()).toEqual([994, 995, 996, 997, 998, 999, 1000]);
  });

  it('with capacity 1 keeps only the last item', () => {
    expect(filled(1, 5).toArray()).toEqual([5]);
  });

  it('toArray returns a copy that later pushes do not change', () => {
    const ring = filled(3, 3);
    const before = ring.toArray();
    ring.push(4);
    expect(before).toEqual([1, 2, 3]);
    expect(ring.toArray()).toEqual([2, 3, 4]);
  });

  it('clear empties it, and it fills again from the start', () => {
    const ring = filled(3, 5);
    ring.clear();
    expect(ring.size).toBe(0);
    expect(ring.toArray()).toEqual([]);
    ring.push(42);
    ring.push(43);
    expect(ring.toArray()).toEqual([42, 43]);
  });

  it('keeps falsy items such as 0, empty strings and undefined as items', () => {
    const ring = new RingBuffer<number | string | undefined>(3);
    ring.push(0);
    ring.push('');
    ring.push(undefined);
    expect(ring.size).toBe(3);
    expect(ring.toArray()).toEqual([0, '', undefined]);
  });
});
