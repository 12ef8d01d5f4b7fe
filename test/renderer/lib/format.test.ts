import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatClock,
  formatHostPort,
  formatMillis,
  messageOf,
} from '../../../renderer/src/lib/format';

describe('format', () => {
  it('writes local clock time and milliseconds', () => {
    const at = new Date(2025, 0, 2, 3, 4, 5, 67).getTime();
    expect(formatClock(at)).toBe('03:04:05');
    expect(formatMillis(at)).toBe('.067');
  });

  it('shortens byte counts', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(25 * 1024 * 1024)).toBe('25 MB');
  });

  it('brackets IPv6 hosts next to a port', () => {
    expect(formatHostPort('::1', 80)).toBe('[::1]:80');
    expect(formatHostPort('127.0.0.1', 80)).toBe('127.0.0.1:80');
  });

  it('reads a message from anything thrown', () => {
    expect(messageOf(new Error('boom'))).toBe('boom');
    expect(messageOf('plain')).toBe('plain');
    expect(messageOf(42)).toBe('unexpected error');
  });
});
