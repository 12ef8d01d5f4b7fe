/** The fixed and length-field framings, as docs/framing.md states them, over the whole stream at once. */
import type { OverLimitPolicy } from '../../../electron/core/framing/index.js';
import type { Outcome, SeenFrame } from './harness.js';

/** `length` reads a frame's whole length from the stream at `pos` (its header is there). */
export function countModel(
  stream: string,
  headerLength: number,
  length: (pos: number) => number,
  max: number,
  policy: OverLimitPolicy,
): Outcome {
  const frames: SeenFrame[] = [];
  let pos = 0;
  const rest = (): Outcome => ({ frames, dropped: stream.slice(pos) });
  while (pos < stream.length) {
    let remaining = headerLength > max ? Infinity : -1;
    if (remaining < 0) {
      if (stream.length - pos < headerLength) return rest();
      const need = length(pos);
      if (need <= max) {
        if (stream.length - pos < need) return rest();
        const raw = stream.slice(pos, pos + need);
        frames.push({ request: raw, raw, overLimit: false });
        pos += need;
        continue;
      }
      remaining = need;
    }
    if (policy === 'stop') {
      frames.push({ request: '', raw: '', overLimit: true });
      return { frames, dropped: '' };
    }
    while (remaining > 0) {
      const part = Math.min(max, remaining);
      if (stream.length - pos < part) return rest();
      const raw = stream.slice(pos, pos + part);
      frames.push({ request: raw, raw, overLimit: true });
      pos += part;
      remaining -= part;
    }
  }
  return rest();
}
