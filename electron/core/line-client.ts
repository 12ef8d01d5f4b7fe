/**
 * A TCP client for line protocols: connects to any host and port, sends
 * bytes, and reports every line that comes back as it arrives.
 *
 * The built-in test client uses it; it lives in the core because it is
 * plain Node and knows nothing of windows.
 */
import net from 'node:net';
import { TypedEmitter } from './typed-emitter.js';

export interface LineClientEvents {
  /** One line received: its text without the line end, and its raw bytes with it. */
  line: { text: string; raw: Buffer };
  /**
   * After each chunk from the socket, once its lines are out: the bytes held
   * back because their line has not ended yet (a prompt, a late line end).
   */
  received: { pending: Buffer };
  /** The connection closed; `byPeer` when the other side closed it. */
  close: { byPeer: boolean; error?: string };
}

const CONNECT_TIMEOUT_MS = 5000;
/** A reply line longer than this is shown in parts rather than held forever. */
const MAX_LINE_BYTES = 64 * 1024;
const EMPTY = Buffer.alloc(0);

export class LineClient extends TypedEmitter<LineClientEvents> {
  #socket: net.Socket | null = null;
  #partial: Buffer = EMPTY;
  #closingOnPurpose = false;

  /** Connects; rejects with a readable message naming host and port. */
  connect(host: string, port: number): Promise<void> {
    const where = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port, noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`could not connect to ${where}: no answer within ${CONNECT_TIMEOUT_MS / 1000} s`));
      }, CONNECT_TIMEOUT_MS);
      socket.once('connect', () => {
        clearTimeout(timer);
        this.#attach(socket);
        resolve();
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (this.#socket === socket) return; // reported by #attach's handlers
        reject(new Error(`could not connect to ${where}: ${describeConnectError(error)}`));
      });
    });
  }

  get connected(): boolean {
    return this.#socket !== null;
  }

  send(data: string | Uint8Array): void {
    if (!this.#socket) throw new Error('not connected');
    this.#socket.write(data);
  }

  /** Closes on our side; resolves when the socket is gone. */
  close(): Promise<void> {
    const socket = this.#socket;
    if (!socket) return Promise.resolve();
    this.#closingOnPurpose = true;
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }

  #attach(socket: net.Socket): void {
    this.#socket = socket;
    this.#partial = EMPTY;
    this.#closingOnPurpose = false;
    let error: string | undefined;
    socket.on('data', (chunk: Buffer) => {
      this.#receive(chunk);
      this.emit('received', { pending: this.#partial });
    });
    socket.on('error', (e) => (error = e.message));
    socket.on('close', () => {
      if (this.#partial.length > 0) this.#emitLine(this.#partial, this.#partial.length);
      this.#partial = EMPTY;
      this.#socket = null;
      this.emit('close', { byPeer: !this.#closingOnPurpose, ...(error ? { error } : {}) });
    });
  }

  #receive(chunk: Buffer): void {
    let data = this.#partial.length > 0 ? Buffer.concat([this.#partial, chunk]) : chunk;
    let lf = data.indexOf(0x0a);
    while (lf !== -1) {
      const end = lf > 0 && data[lf - 1] === 0x0d ? lf - 1 : lf;
      if (end > MAX_LINE_BYTES) {
        // In parts, as if its end had not come yet: the same lines however the bytes arrived.
        this.#emitLine(data.subarray(0, MAX_LINE_BYTES), MAX_LINE_BYTES);
        data = data.subarray(MAX_LINE_BYTES);
        lf -= MAX_LINE_BYTES;
        continue;
      }
      this.#emitLine(data.subarray(0, lf + 1), end);
      data = data.subarray(lf + 1);
      lf = data.indexOf(0x0a);
    }
    // A trailing CR is held back: it may be the start of a CRLF.
    while (data.length - (data[data.length - 1] === 0x0d ? 1 : 0) > MAX_LINE_BYTES) {
      this.#emitLine(data.subarray(0, MAX_LINE_BYTES), MAX_LINE_BYTES);
      data = data.subarray(MAX_LINE_BYTES);
    }
    // Copied, so a small leftover does not hold a whole socket read.
    this.#partial = data.length > 0 ? Buffer.from(data) : EMPTY;
  }

  /** `raw` is the line as it came, line end included; its text ends at `textEnd`. */
  #emitLine(raw: Buffer, textEnd: number): void {
    this.emit('line', { text: raw.toString('utf8', 0, textEnd), raw: Buffer.from(raw) });
  }
}

function describeConnectError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is a server listening there?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      return error.message;
  }
}
