/**
 * The bytes of a partial frame, kept so that holding them costs each byte
 * one copy however many pieces it arrives in.
 *
 * Appending never re-copies what is held (the cost the old framer paid on
 * every chunk); small appends go into a tail that grows by doubling up to a
 * fixed size, so a request that trickles in a byte at a time neither makes
 * one object per byte nor copies its bytes more than about twice.
 */
import { EMPTY } from './framer.js';

const TAIL_START = 64;
/** The pieces of every empty rope: an idle connection's rope allocates nothing. Never written to. */
const NO_PIECES: Buffer[] = Object.freeze([]) as unknown as Buffer[];
const TAIL_MAX = 64 * 1024;

export class ByteRope {
  /** Full pieces, each owned by the rope (never a view into a caller's chunk). */
  #pieces: Buffer[] = NO_PIECES;
  #tail: Buffer = EMPTY;
  #tailUsed = 0;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  /** Copies `bytes` in; the rope keeps no reference to them. */
  append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.#length += bytes.length;
    let from = 0;
    while (from < bytes.length) {
      const room = this.#tail.length - this.#tailUsed;
      if (room === 0) {
        this.#grow(bytes.length - from);
        continue;
      }
      const n = Math.min(room, bytes.length - from);
      bytes.copy(this.#tail, this.#tailUsed, from, from + n);
      this.#tailUsed += n;
      from += n;
    }
  }

  /** The last byte held, or -1. */
  lastByte(): number {
    if (this.#tailUsed > 0) return this.#tail[this.#tailUsed - 1] ?? -1;
    const last = this.#pieces.at(-1);
    return last ? (last[last.length - 1] ?? -1) : -1;
  }

  /** Everything held followed by `extra`, in one buffer; the rope is empty after. */
  takeAll(extra: Buffer = EMPTY): Buffer {
    const parts = this.#parts();
    if (extra.length > 0) parts.push(extra);
    const total = this.#length + extra.length;
    this.clear();
    if (parts.length === 1 && parts[0]) return parts[0];
    return Buffer.concat(parts, total);
  }

  /** A copy of everything held; the rope keeps it. */
  copyAll(): Buffer {
    return Buffer.concat(this.#parts(), this.#length);
  }

  /** The first `n` bytes (at most what is held), in one buffer; the rest stays. */
  takeFirst(n: number): Buffer {
    if (n >= this.#length) return this.takeAll();
    const parts = this.#parts();
    const out = Buffer.allocUnsafe(n);
    let at = 0;
    let i = 0;
    for (; at < n; i++) {
      const part = parts[i] as Buffer;
      const k = Math.min(part.length, n - at);
      part.copy(out, at, 0, k);
      at += k;
      if (k < part.length) {
        parts[i] = part.subarray(k);
        break;
      }
    }
    // What is left: views into pieces the rope owns, so nothing outside is held.
    this.#pieces = parts.slice(i);
    this.#tail = EMPTY;
    this.#tailUsed = 0;
    this.#length -= n;
    return out;
  }

  clear(): void {
    this.#pieces = NO_PIECES;
    this.#tail = EMPTY;
    this.#tailUsed = 0;
    this.#length = 0;
  }

  /** Bytes of memory the rope holds, spare room included (for tests of its bounds). */
  get retainedBytes(): number {
    let total = this.#tail.length;
    for (const piece of this.#pieces) total += piece.length;
    return total;
  }

  #parts(): Buffer[] {
    const parts = this.#pieces.slice();
    if (this.#tailUsed > 0) parts.push(this.#tail.subarray(0, this.#tailUsed));
    return parts;
  }

  /** Seals a full tail and starts a bigger one (doubling, up to TAIL_MAX). */
  #grow(wanted: number): void {
    if (this.#tailUsed > 0) {
      if (this.#pieces === NO_PIECES) this.#pieces = [];
      this.#pieces.push(this.#tail.subarray(0, this.#tailUsed));
    }
    const size = Math.min(TAIL_MAX, Math.max(TAIL_START, this.#tail.length * 2, wanted));
    this.#tail = Buffer.allocUnsafe(size);
    this.#tailUsed = 0;
  }
}
