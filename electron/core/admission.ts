/**
 * Who may connect: the connection limit (lowered where the process's file
 * descriptors cannot hold it), each remote address's share of it, and the
 * newcomers turned away, who may linger a moment to read why (docs/server-limits.md).
 */
import type net from 'node:net';
import {
  SpareDescriptor,
  connectionCapacity,
  countOpenDescriptors,
  readDescriptorLimit,
  type ConnectionCapacity,
} from './fd-limit.js';

/** `busy`: at max connections (or out of descriptors); `per-remote`: its address holds its share. */
export type RejectReason = 'busy' | 'per-remote';

/** Where the descriptor limit and count come from (fd-limit.ts); replaced in tests. */
export interface DescriptorSource {
  limit: () => number | null;
  open: () => number | null;
}

export const SYSTEM_DESCRIPTORS: DescriptorSource = {
  limit: readDescriptorLimit,
  open: countOpenDescriptors,
};

/**
 * Sockets turned away that may linger to say goodbye (up to the close
 * grace, so that the client reads its `ERR` line before the close); past
 * this many, the next ones are closed as soon as the message is written, so
 * that a connect flood cannot use up the descriptors.
 */
export const MAX_LINGERING_REJECTS = 32;

const ERR_BUSY = Buffer.from('ERR server busy\r\n');
const ERR_PER_REMOTE = Buffer.from('ERR too many connections from your address\r\n');

export class Admission {
  #capacity: ConnectionCapacity = { limit: 0 };
  #maxPerRemote = 0;
  /** Open connections by remote address (only while a share is set). */
  readonly #perRemote = new Map<string, number>();
  readonly #spare = new SpareDescriptor();
  /** Accept ran out of descriptors: newcomers are turned away until a connection closes. */
  #outOfDescriptors = false;
  #toldOutOfDescriptors = false;
  /** Sockets turned away, still saying goodbye. */
  readonly #lingering = new Set<net.Socket>();

  /**
   * @param lingered called when a socket turned away has closed
   */
  constructor(
    private readonly descriptors: DescriptorSource,
    private readonly closeGraceMs: number,
    private readonly lingered: () => void,
  ) {}

  /** At start: the limits of this run, and a spare descriptor held. */
  open(maxConnections: number, maxPerRemote: number): ConnectionCapacity {
    this.#spare.hold();
    this.#outOfDescriptors = false;
    this.#toldOutOfDescriptors = false;
    this.#maxPerRemote = maxPerRemote;
    this.#capacity = connectionCapacity(maxConnections, this.descriptors.limit(), this.descriptors.open());
    return this.#capacity;
  }

  /** At stop, once every socket is closed. */
  close(): void {
    this.#spare.release();
  }

  get capacity(): Readonly<ConnectionCapacity> {
    return this.#capacity;
  }

  /** Sockets turned away and not yet closed. */
  get lingering(): number {
    return this.#lingering.size;
  }

  /** `null` admits the newcomer (and counts it for its address); otherwise why it is turned away. */
  admit(remoteAddress: string, open: number): RejectReason | null {
    if (open >= this.#capacity.limit || this.#outOfDescriptors) return 'busy';
    if (this.#maxPerRemote > 0) {
      const held = this.#perRemote.get(remoteAddress) ?? 0;
      if (held >= this.#maxPerRemote) return 'per-remote';
      this.#perRemote.set(remoteAddress, held + 1);
    }
    return null;
  }

  /** An admitted connection from `remoteAddress` has closed. */
  release(remoteAddress: string): void {
    const held = this.#perRemote.get(remoteAddress);
    if (held !== undefined) {
      if (held <= 1) this.#perRemote.delete(remoteAddress);
      else this.#perRemote.set(remoteAddress, held - 1);
    }
    if (this.#outOfDescriptors) {
      // A descriptor is free again: take the spare back before serving newcomers again.
      this.#spare.hold();
      this.#outOfDescriptors = !this.#spare.held;
    }
  }

  /**
   * Accept ran out of descriptors: give the spare back, so that the next
   * newcomer can be accepted and told `ERR server busy`. True the first time
   * in a run, when it is worth telling.
   */
  outOfDescriptors(): boolean {
    this.#outOfDescriptors = true;
    this.#spare.release();
    if (this.#toldOutOfDescriptors) return false;
    this.#toldOutOfDescriptors = true;
    return true;
  }

  /** Tells the newcomer why, then closes it: once it has closed its side, or after the grace. */
  turnAway(socket: net.Socket, reason: RejectReason): void {
    this.#lingering.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      this.#lingering.delete(socket);
      this.lingered();
    });
    socket.on('data', () => undefined); // read and drop, so the client's FIN is seen
    const timer = setTimeout(() => socket.destroy(), this.closeGraceMs);
    socket.end(reason === 'busy' ? ERR_BUSY : ERR_PER_REMOTE);
    // Too many saying goodbye at once: this one closes as soon as its message is out.
    if (this.#lingering.size > MAX_LINGERING_REJECTS) socket.destroySoon();
  }

  /** Stop: every socket turned away closes now. */
  destroyLingering(): void {
    for (const socket of this.#lingering) socket.destroy();
  }
}
