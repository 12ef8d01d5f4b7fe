/**
 * `bytes` rules' hex patterns as data (docs/command-tables.md): pairs of hex
 * digits, `??` for any one byte, `*` for any run of bytes (none included),
 * spaces ignored. A pattern is kept as the fixed-length segments between
 * its stars, which the engine places left to right without ever going back,
 * so matching costs at most the request's length times the pattern's.
 */

/** A byte to match, or ANY_BYTE for `??`. */
export const ANY_BYTE = -1;

export interface BytePattern {
  /** The segments between stars, in order; a pattern without `*` has one. */
  readonly segments: readonly (readonly number[])[];
  /** Bytes the segments name: the fewest a matching request has. */
  readonly size: number;
  /**
   * Matching work per request byte: each segment between stars is searched
   * for once, left to right, so the longest of them bounds the comparisons
   * per byte (the first and last are only compared where they must be).
   */
  readonly searchWeight: number;
}

const TOKEN = /\?\?|[0-9A-Fa-f]{2}|\*|\s+|[^]/g;

/** Parses a hex pattern, or says where it is wrong. */
export function parseBytePattern(pattern: string): BytePattern | string {
  const segments: number[][] = [[]];
  let size = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(pattern); m !== null; m = TOKEN.exec(pattern)) {
    const token = m[0];
    const current = segments[segments.length - 1] as number[];
    if (token === '*') {
      // `**` means what `*` means.
      if (current.length > 0 || segments.length === 1) segments.push([]);
    } else if (token === '??') {
      current.push(ANY_BYTE);
      size++;
    } else if (token.length === 2) {
      current.push(parseInt(token, 16));
      size++;
    } else if (!/^\s+$/.test(token)) {
      const at = m.index + 1;
      return token === '?'
        ? `lone ? at character ${at}: write ?? for any one byte`
        : /[0-9A-Fa-f]/.test(token)
          ? `odd hex digit ${token} at character ${at}: write each byte as two hex digits`
          : `${JSON.stringify(token)} at character ${at} is not a hex digit, ?? or *`;
    }
  }
  if (size === 0 && segments.length === 1) return 'bytes names no byte: write hex pairs, ?? or *';
  let longestMiddle = 0;
  for (let s = 1; s < segments.length - 1; s++)
    longestMiddle = Math.max(longestMiddle, segments[s]?.length ?? 0);
  return { segments, size, searchWeight: longestMiddle + 1 };
}

/** The length every matching request has, or null when a `*` lets it vary. */
export function fixedLength(pattern: BytePattern): number | null {
  return pattern.segments.length === 1 ? (pattern.segments[0]?.length ?? 0) : null;
}

/** The fewest bytes a matching request has. */
export function minimumLength(pattern: BytePattern): number {
  return pattern.size;
}
