/**
 * Toxics on a mock listener's connections (docs/forwarding.md, "Faults"):
 * a transport that wraps another (TCP or TLS) and puts a {@link ToxicPipe}
 * on each direction of every socket it hands out, so the line server
 * answers through the toxics without knowing of them.
 *
 * `downstream` is what the server writes to the client (its replies and its
 * close); `upstream` is what the client sent, before the server reads it.
 * The toxics can change while connections are open; they take hold at once.
 *
 * The wrapping is done on the socket itself: its `write`, `end`, `emit`
 * (for `data` and `end`), `pause`, `resume`, `destroy` and `writableLength`
 * are replaced on that one object, once the listener has a toxic (sockets
 * open then are wrapped at once). With no toxic acting, each of them does
 * what the socket's own does, at the cost of one check.
 */
import type net from 'node:net';
import { Writable } from 'node:stream';
import type { Toxic } from '../shared/protocol/toxics.js';
import { ToxicPipe } from './toxics/index.js';
import type { ListenFactory, TransportListener } from './transport.js';

/** Bytes from the client that toxics may hold before the socket is no longer read. */
export const TOXIC_READ_BACKLOG = 256 * 1024;
/** How long a socket a toxic closed, or whose delayed close has gone out, may take to close its end. */
export const TOXIC_CLOSE_GRACE_MS = 2000;

interface Wrapped {
  readonly up: ToxicPipe;
  readonly down: ToxicPipe;
}

/**
 * Holds the toxics of one listener and applies them to every socket of
 * the transport it wraps.
 */
export class ToxicTransport {
  #toxics: readonly Toxic[] = [];
  /** The table's toxics as last set, to tell a table that brings new ones from one that keeps them. */
  #tableToxics = '[]';
  readonly #open = new Set<Wrapped>();
  /**
   * Open sockets not wrapped yet, with what their wrapping needs: a socket
   * is wrapped only once a toxic is set (the wrapping costs some 7 KB a
   * connection, and most listeners never get a toxic), and then for good.
   */
  readonly #plain = new Map<net.Socket, () => boolean>();

  constructor(
    private readonly inner: ListenFactory,
    tableToxics: readonly Toxic[] = [],
  ) {
    this.tableChanged(tableToxics);
  }

  get toxics(): readonly Toxic[] {
    return this.#toxics;
  }

  /** Replaces the toxics; open connections take them at once. */
  setToxics(toxics: readonly Toxic[]): void {
    this.#toxics = [...toxics];
    if (this.#toxics.length > 0) {
      for (const [socket, stopping] of this.#plain) this.#wrap(socket, stopping);
      this.#plain.clear();
    }
    for (const wrapped of this.#open) this.#apply(wrapped);
  }

  /**
   * A table was loaded: its `"toxics"` become the listener's when they
   * differ from the last table's, so a table edit that leaves them alone
   * keeps the toxics set since (through the API or the window).
   */
  tableChanged(toxics: readonly Toxic[]): void {
    const key = JSON.stringify(toxics);
    if (key === this.#tableToxics) return;
    this.#tableToxics = key;
    this.setToxics(toxics);
  }

  /** The transport to give the line server. */
  readonly listen: ListenFactory = (onSocket) => {
    let stopping = false;
    const isStopping = (): boolean => stopping;
    const listener: TransportListener = this.inner((socket, info) => {
      if (this.#toxics.length > 0) this.#wrap(socket, isStopping);
      else {
        this.#plain.set(socket, isStopping);
        socket.once('close', () => this.#plain.delete(socket));
      }
      onSocket(socket, info);
    });
    return {
      server: listener.server,
      destroyPending: () => {
        // Stop is closing everything: a destroy is no longer held for a delayed close.
        stopping = true;
        listener.destroyPending();
      },
    };
  };

  #apply(wrapped: Wrapped): void {
    wrapped.up.set(this.#toxics.filter((t) => t.stream === 'upstream'));
    wrapped.down.set(this.#toxics.filter((t) => t.stream === 'downstream'));
  }

  #wrap(socket: net.Socket, stopping: () => boolean): void {
    const realWrite = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    const realEnd = socket.end.bind(socket) as (...args: unknown[]) => net.Socket;
    const realEmit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
    const realPause = socket.pause.bind(socket);
    const realResume = socket.resume.bind(socket);
    const realDestroy = socket.destroy.bind(socket);
    // The socket's own count, read through the prototype's getter (the instance's is replaced below).
    const length = (): number => Reflect.get(Writable.prototype, 'writableLength', socket);

    /** A toxic closed or reset the connection: nothing more goes out. */
    let cut = false;
    /** The server asked for the end while a toxic held bytes or the close itself. */
    let endAsked = false;
    let endSent = false;
    /** The server asked to destroy while the end was still held. */
    let destroyAsked = false;
    // A socket wrapped while open may be paused by the server already.
    let serverPaused = socket.isPaused();
    let toxicPaused = false;

    /** Says why to whoever listens for the socket's errors; a socket nobody serves (turned away) has none. */
    const tell = (error: Error): void => {
      if (socket.listenerCount('error') > 0) realEmit('error', error);
    };
    const closeSoon = (why: string): void => {
      if (cut) return;
      cut = true;
      // The server learns why from the socket's error, as from any other end.
      tell(Object.assign(new Error(why), { code: 'ETOXIC' }));
      if (!socket.destroyed) realEnd();
      // Read and drop, so the client's FIN is seen and the socket closes on its own.
      realResume();
      setTimeout(() => realDestroy(), TOXIC_CLOSE_GRACE_MS).unref();
    };
    const reset = (why: string): void => {
      if (cut) return;
      cut = true;
      tell(Object.assign(new Error(why), { code: 'ECONNRESET' }));
      if (!socket.destroyed) socket.resetAndDestroy();
    };

    const down: ToxicPipe = new ToxicPipe({
      write: (chunk) => {
        if (cut || socket.destroyed || socket.writableEnded) return;
        realWrite(chunk, () => {
          // Everything held has gone out: a server waiting for 'drain' reads again.
          if (down.heldBytes === 0 && length() === 0 && !socket.destroyed) realEmit('drain');
        });
      },
      end: () => {
        endSent = true;
        if (cut || socket.destroyed) return;
        realEnd();
        if (destroyAsked) setTimeout(() => realDestroy(), TOXIC_CLOSE_GRACE_MS).unref();
      },
      close: closeSoon,
      reset,
      released: () => undefined,
    });
    const up: ToxicPipe = new ToxicPipe({
      write: (chunk) => {
        if (cut) return;
        realEmit('data', chunk);
      },
      end: () => {
        if (!cut) realEmit('end');
      },
      close: closeSoon,
      reset,
      released: () => {
        if (toxicPaused && up.heldBytes < TOXIC_READ_BACKLOG) {
          toxicPaused = false;
          if (!serverPaused) realResume();
        }
      },
    });
    const wrapped: Wrapped = { up, down };

    const patched = socket as unknown as Patchable;
    patched.write = (...args: unknown[]): boolean => {
      if (cut) return false;
      if (down.empty && down.heldBytes === 0) return realWrite(...args);
      const [chunk, encoding] = args;
      down.write(toBuffer(chunk, encoding));
      return length() + down.heldBytes < socket.writableHighWaterMark;
    };
    patched.end = (...args: unknown[]): net.Socket => {
      if (cut) return socket;
      if (down.empty && down.heldBytes === 0) {
        endSent = true;
        return realEnd(...args);
      }
      const [chunk, encoding] = args;
      if (chunk !== undefined && typeof chunk !== 'function') down.write(toBuffer(chunk, encoding));
      endAsked = true;
      down.end();
      return socket;
    };
    patched.emit = (event: string | symbol, ...args: unknown[]): boolean => {
      if (event === 'data' && !cut && !up.empty) {
        up.write(args[0] as Buffer);
        if (up.heldBytes >= TOXIC_READ_BACKLOG && !toxicPaused) {
          toxicPaused = true;
          realPause();
        }
        return true;
      }
      if (event === 'end' && !up.empty) {
        up.end();
        return true;
      }
      return realEmit(event, ...args);
    };
    patched.pause = (): net.Socket => {
      serverPaused = true;
      return realPause();
    };
    patched.resume = (): net.Socket => {
      serverPaused = false;
      return toxicPaused ? socket : realResume();
    };
    patched.destroy = (error?: Error): net.Socket => {
      // The grace for a client to close is counted from the end actually sent (a slow_close).
      if (!error && endAsked && !endSent && !stopping() && !cut) {
        destroyAsked = true;
        return socket;
      }
      return realDestroy(error);
    };
    Object.defineProperty(socket, 'writableLength', {
      configurable: true,
      get: () => length() + down.heldBytes,
    });

    this.#open.add(wrapped);
    this.#apply(wrapped);
    socket.once('close', () => {
      this.#open.delete(wrapped);
      up.dispose();
      down.dispose();
    });
  }
}

/** The socket's methods the wrapping replaces, loosely typed to take every overload. */
interface Patchable {
  write: (...args: unknown[]) => boolean;
  end: (...args: unknown[]) => net.Socket;
  emit: (event: string | symbol, ...args: unknown[]) => boolean;
  pause: () => net.Socket;
  resume: () => net.Socket;
  destroy: (error?: Error) => net.Socket;
}

function toBuffer(chunk: unknown, encoding: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
}
