import { describe, expect, it } from 'vitest';
import { wireText } from '../../../renderer/src/lib/wire-text';

describe('wireText', () => {
  it('writes bidi and invisible format characters as \\u{XXXX}, so text cannot reorder or hide itself', () => {
    expect(wireText('\u202Eevil')).toBe('\\u{202E}evil');
    const every = [0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e];
    every.push(0x2066, 0x2067, 0x2068, 0x2069, 0xfeff);
    for (const code of every) {
      expect(wireText(`a${String.fromCharCode(code)}b`)).toBe(`a\\u{${code.toString(16).toUpperCase()}}b`);
    }
  });

  it('escapes control bytes as the protocol does, and leaves other text alone', () => {
    expect(wireText('x\x1b[2J\x00\x7f\ta é 日本')).toBe('x\\x1B[2J\\x00\\x7F\ta é 日本');
    expect(wireText('plain')).toBe('plain');
    // Neighbours of the ranges stay as they are.
    expect(wireText('\u200A\u2010\u2029\u206A')).toBe('\u200A\u2010\u2029\u206A');
  });

  it('is idempotent: text escaped once (in main, or here) is shown the same', () => {
    const once = wireText('\u202E\x1b\u2066x');
    expect(wireText(once)).toBe(once);
    // Many calls in a row: no state carried between them (a global RegExp's lastIndex).
    for (let i = 0; i < 5; i++) expect(wireText('\u200Bz')).toBe('\\u{200B}z');
  });
});
