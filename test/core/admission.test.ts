import { afterEach, describe, expect, it } from 'vitest';
import { Admission } from '../../electron/core/admission.js';

const admissions: Admission[] = [];
afterEach(() => {
  for (const a of admissions.splice(0)) a.close();
});

function admission(limit: number | null = null, open: number | null = 10): Admission {
  const a = new Admission({ limit: () => limit, open: () => open }, 50, () => undefined);
  admissions.push(a);
  return a;
}

describe('Admission', () => {
  it('admits up to max connections, then says busy', () => {
    const a = admission();
    a.open(2, 0);
    expect(a.admit('10.0.0.1', 0)).toBeNull();
    expect(a.admit('10.0.0.1', 1)).toBeNull();
    expect(a.admit('10.0.0.2', 2)).toBe('busy');
  });

  it('holds each address to its share, and frees a place when one of its connections closes', () => {
    const a = admission();
    a.open(100, 2);
    expect(a.admit('10.0.0.1', 0)).toBeNull();
    expect(a.admit('10.0.0.1', 1)).toBeNull();
    expect(a.admit('10.0.0.1', 2)).toBe('per-remote');
    expect(a.admit('10.0.0.2', 2)).toBeNull();
    a.release('10.0.0.1');
    expect(a.admit('10.0.0.1', 2)).toBeNull();
  });

  it('lowers the limit to what the descriptors allow', () => {
    const a = admission(200, 136);
    // 200 descriptors, 136 open, 64 kept free: none left, but one connection is always allowed.
    expect(a.open(1000, 0).limit).toBe(1);
    expect(a.admit('10.0.0.1', 0)).toBeNull();
    expect(a.admit('10.0.0.1', 1)).toBe('busy');
  });

  it('turns everyone away once out of descriptors, says so once, and admits again when one closes', () => {
    const a = admission();
    a.open(100, 0);
    expect(a.outOfDescriptors()).toBe(true);
    expect(a.outOfDescriptors()).toBe(false);
    expect(a.admit('10.0.0.1', 5)).toBe('busy');
    a.release('10.0.0.9');
    expect(a.admit('10.0.0.1', 5)).toBeNull();
  });
});
