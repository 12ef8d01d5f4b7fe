/**
 * A TCP client for line protocols: connects to any host and port, sends
 * bytes, and reports every line that comes back as it arrives.
 *
 * What comes back is cut by the same framers the server reads with (any
 * framing of docs/framing.md; `lf` by default), so a mock's replies are seen
 * as its clients see them. The built-in test client uses it; it lives in the
 * core because it is plain Node and knows nothing of windows.
 */
import net from 'node:net';
import { createFramer, isLineFraming, type Framer, type FramingConfig } from './framing/index.js';
import { TypedEmitter } from './typed-emitter.js';

export interface LineClientEvents {
  /**
   * One line (or frame) received: its text without the line end (UTF-8 for
   * line framings, latin1 for the others, one character per byte), and its
   * raw bytes as they came, line end included.
   */
  line: { text: string; raw: Buffer };
  /**
   * After each chunk from the socket, once its frames are out: the bytes
   * held back because their line (or frame) has not ended yet (a prompt, a
   * late line end), so they can be shown as they arrived.
   */
  received: { pending: Buffer };
  /** The connection closed; `byPeer` when the other side closed it. */
  close: { byPeer: boolean; error?: string };
}

export interface LineClientOptions {
  /** How what comes back is cut into lines or frames; default `lf`. */
  framing?: FramingConfig;
}

const CONNECT_TIMEOUT_MS = 5000;
/** A reply line longer than this is shown in parts rather than held forever. */
const MAX_LINE_BYTES = 64 * 1024;

export class LineClient extends TypedEmitter<LineClientEvents> {
  #socket: net.Socket | null = null;
  #framer: Framer | null = null;
  /** How frames read as text: UTF-8 for line framings, latin1 (one character per byte) for the others. */
  #encoding: 'utf8' | 'latin1' = 'utf8';
  #closingOnPurpose = false;
  /** The stream's last bytes that may still be unframed: at least the framer's `buffered` bytes. */
  #tail: Buffer = Buffer.alloc(0);

  constructor(readonly options: LineClientOptions = {}) {
    super();
  }

  /**
   * Connects; rejects with a readable message naming host and port.
   * `options.framing` overrides the client's framing for this connection.
   */
  connect(host: string, port: number, options: LineClientOptions = {}): Promise<void> {
    const framing = options.framing ?? this.options.framing ?? 'lf';
    // A framing that cannot be used is refused before anything connects.
    let framer: Framer;
    try {
      framer = createFramer(framing, MAX_LINE_BYTES, { overLimit: 'split', onReady: () => this.#drain() });
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const where = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port, noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        framer.close();
        reject(new Error(`could not connect to ${where}: no answer within ${CONNECT_TIMEOUT_MS / 1000} s`));
      }, CONNECT_TIMEOUT_MS);
      socket.once('connect', () => {
        clearTimeout(timer);
        this.#attach(socket, framer, isLineFraming(framing) ? 'utf8' : 'latin1');
        resolve();
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (this.#socket !== socket) framer.close();
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

  #attach(socket: net.Socket, framer: Framer, encoding: 'utf8' | 'latin1'): void {
    this.#socket = socket;
    this.#framer = framer;
    this.#encoding = encoding;
    this.#closingOnPurpose = false;
    this.#tail = Buffer.alloc(0);
    let error: string | undefined;
    socket.on('data', (chunk: Buffer) => {
      framer.push(chunk);
      this.#drain();
      this.emit('received', { pending: this.#pending(chunk, framer.buffered) });
    });
    socket.on('error', (e) => (error = e.message));
    socket.on('close', () => {
      // What the server sent last counts, even without its line end.
      framer.end();
      this.#drain();
      // A partial frame the framing drops (fixed, lengthField) is still shown: it did arrive.
      if (framer.droppedAtEnd.length > 0) this.#emitFrame(framer.droppedAtEnd, framer.droppedAtEnd);
      framer.close();
      this.#framer = null;
      this.#socket = null;
      this.emit('close', { byPeer: !this.#closingOnPurpose, ...(error ? { error } : {}) });
    });
  }

  /**
   * The unframed bytes: the last `buffered` bytes of the stream, which all
   * lie in the previous tail and this chunk (frames laid end to end are the
   * stream). Copied, so a few bytes never pin a whole socket read.
   */
  #pending(chunk: Buffer, buffered: number): Buffer {
    if (buffered === 0) {
      this.#tail = Buffer.alloc(0);
    } else if (buffered <= chunk.length) {
      this.#tail = Buffer.from(chunk.subarray(chunk.length - buffered));
    } else {
      const joined = Buffer.concat([this.#tail, chunk]);
      this.#tail = Buffer.from(joined.subarray(Math.max(0, joined.length - buffered)));
    }
    return this.#tail;
  }

  /** Hands out every frame the framer has; a line longer than the limit comes in limit-sized parts. */
  #drain(): void {
    const framer = this.#framer;
    if (!framer) return;
    for (let frame = framer.next(); frame; frame = framer.next()) this.#emitFrame(frame.request, frame.raw);
  }

  #emitFrame(request: Buffer, raw: Buffer): void {
    // Copied: a listener may keep the bytes, and they must not pin a whole socket read.
    this.emit('line', { text: request.toString(this.#encoding), raw: Buffer.from(raw) });
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
