/**
 * The test client's input modes: hex and C-style escapes give exactly the
 * bytes they say, for any bytes; text is UTF-8; a mistake is named with its
 * column, and nothing is decoded from it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeInput,
  fitsHistory,
  HISTORY_ENTRY_MAX_BYTES,
} from '../../../electron/shared/ipc/client-input.js';

const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Any bytes written as escapes: printable ASCII as itself (but `\`), the rest as \xHH or a short escape. */
function asEscapes(bytes: Uint8Array): string {
  const short: Record<number, string> = { 0x0d: '\\r', 0x0a: '\\n', 0x09: '\\t', 0x5c: '\\\\', 0x00: '\\0' };
  return [...bytes]
    .map(
      (b) =>
        short[b] ??
        (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`),
    )
    .join('');
}

describe('hex', () => {
  it('gives back any bytes, however they are spaced or cased', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.constantFrom(' ', '', ', ', '  '),
        fc.boolean(),
        (bytes, sep, upper) => {
          let text = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(sep);
          if (upper) text = text.toUpperCase();
          const decoded = decodeInput(text, 'hex');
          expect(decoded.ok && hexOf(decoded.bytes)).toBe(hexOf(bytes));
        },
      ),
    );
  });

  it('takes 0x prefixes', () => {
    const decoded = decodeInput('0x41 0X42,0x0d', 'hex');
    expect(decoded.ok && hexOf(decoded.bytes)).toBe('41420d');
  });
});

describe('escapes', () => {
  it('give back any bytes written as escapes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const decoded = decodeInput(asEscapes(bytes), 'escapes');
        expect(decoded.ok && hexOf(decoded.bytes)).toBe(hexOf(bytes));
      }),
    );
  });

  it('send other text as UTF-8', () => {
    const decoded = decodeInput('é€\\x41', 'escapes');
    expect(decoded.ok && hexOf(decoded.bytes)).toBe('c3a9e282ac41');
  });
});

it('text is the line as UTF-8, backslashes and all', () => {
  const decoded = decodeInput('a\\x41 41', 'text');
  expect(decoded.ok && Buffer.from(decoded.bytes).toString('utf8')).toBe('a\\x41 41');
});

it.each([
  ['hex', 'zz', 'hex: "z" at column 1 is not a hex digit'],
  ['hex', '414', 'hex: the digit at column 3 has no pair (write bytes as two digits, such as 0A)'],
  ['hex', '41\x1b', 'hex: "\\x1B" at column 3 is not a hex digit'],
  [
    'escapes',
    'ok\\e',
    'escapes: "\\e" is not an escape (column 3; use \\xHH, \\r, \\n, \\t, \\0, or \\\\ for a backslash)',
  ],
  [
    'escapes',
    '\\xZ1',
    'escapes: \\x needs two hex digits (column 1; use \\xHH, \\r, \\n, \\t, \\0, or \\\\ for a backslash)',
  ],
  ['text', 'a\nb', 'send one line at a time'],
] as const)('%s %j is refused: %s', (mode, input, error) => {
  expect(decodeInput(input, mode)).toEqual({ ok: false, error });
});

it(`the history keeps commands of up to ${HISTORY_ENTRY_MAX_BYTES} bytes of UTF-8`, () => {
  expect(fitsHistory('x'.repeat(HISTORY_ENTRY_MAX_BYTES))).toBe(true);
  expect(fitsHistory('x'.repeat(HISTORY_ENTRY_MAX_BYTES + 1))).toBe(false);
  // 3 bytes each: 1,365 make 4,095 bytes, 1,366 make 4,098.
  expect(fitsHistory('€'.repeat(1365))).toBe(true);
  expect(fitsHistory('€'.repeat(1366))).toBe(false);
});
