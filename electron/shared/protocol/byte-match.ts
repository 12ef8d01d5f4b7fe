/**
 * Matches a `bytes` rule's hex pattern (electron/shared/protocol/byte-pattern.ts)
 * against a whole raw request. The first segment must start the request and
 * the last end it; each segment between stars is placed at its leftmost fit
 * after the one before, never moved again. For stars and fixed-length
 * segments the leftmost fit is always right, so there is no backtracking:
 * the cost is at most the request's length times the pattern's size.
 */
import { ANY_BYTE, type BytePattern } from './byte-pattern.js';

export function matchBytes(pattern: BytePattern, request: Uint8Array): boolean {
  const { segments } = pattern;
  const first = segments[0] ?? [];
  if (segments.length === 1) return request.length === first.length && fitsAt(first, request, 0);
  const last = segments[segments.length - 1] ?? [];
  const end = request.length - last.length;
  if (end < first.length) return false;
  if (!fitsAt(first, request, 0) || !fitsAt(last, request, end)) return false;
  let pos = first.length;
  for (let s = 1; s < segments.length - 1; s++) {
    const segment = segments[s] ?? [];
    let at = pos;
    while (at + segment.length <= end && !fitsAt(segment, request, at)) at++;
    if (at + segment.length > end) return false;
    pos = at + segment.length;
  }
  return true;
}

function fitsAt(segment: readonly number[], request: Uint8Array, at: number): boolean {
  for (let i = 0; i < segment.length; i++) {
    const want = segment[i];
    if (want !== ANY_BYTE && request[at + i] !== want) return false;
  }
  return true;
}
