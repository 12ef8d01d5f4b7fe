/**
 * A TLS listener for the line server (docs/listeners.md).
 *
 * A plain TCP listener accepts the connections and looks at the first byte
 * each client sends: a TLS handshake starts with 0x16, so anything else is a
 * plain-TCP client talking to a TLS port, a common mistake that gets its own
 * event and a plain-text hint instead of OpenSSL's "wrong version number".
 * A real handshake is handed to a `tls.Server` that never listens itself;
 * once it is secure, the line server gets the TLS socket with the version
 * and cipher agreed, and serves it like any other connection.
 *
 * Handshakes are not connections yet: they are bounded in number and time
 * here, and Stop destroys the ones in progress.
 */
import net from 'node:net';
import tls from 'node:tls';
import { TypedEmitter } from './typed-emitter.js';
import type { ListenFactory, TransportListener } from './transport.js';

export interface TlsListenerEvents {
  /** A client that never became a connection: a failed or timed-out handshake, or plain TCP. */
  tlsClientError: {
    at: number;
    conn: 0;
    remoteAddress: string;
    remotePort: number;
    message: string;
    /** The client sent something other than a TLS handshake. */
    plainTcp: boolean;
  };
}

export interface TlsListenerOptions {
  /** PEM certificate (chain) and private key. */
  cert: string;
  key: string;
  /** Time a client has to send its first byte, and then to finish the handshake. */
  handshakeTimeoutMs?: number;
  /** Handshakes in progress at once; more are refused at once. */
  maxPendingHandshakes?: number;
}

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_PENDING_HANDSHAKES = 1000;
/** The first byte of every TLS record that starts a handshake. */
const TLS_HANDSHAKE = 0x16;
const PLAIN_TCP_HINT = Buffer.from('ERR this port speaks TLS: connect with a TLS client\r\n');
/** How long a plain-TCP client may take to read the hint before it is cut. */
const HINT_GRACE_MS = 2000;

interface Pending {
  readonly socket: net.Socket;
  timer: NodeJS.Timeout | null;
}

/** Why a handshake failed, in words that point at the likely cause. */
export function describeHandshakeError(error: Error): string {
  const code = 'code' in error ? String(error.code) : '';
  // OpenSSL's own reason ("tlsv1 alert unknown ca") reads better than its
  // message, which carries an error queue dump and a source file name.
  const why = 'reason' in error && typeof error.reason === 'string' ? error.reason : error.message;
  const base = `TLS handshake failed: ${why}`;
  if (code === 'ERR_TLS_HANDSHAKE_TIMEOUT') return 'TLS handshake not finished in time';
  if (/UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_UNKNOWN/.test(code)) {
    return `${base} (the client does not trust this certificate)`;
  }
  return base;
}

export class TlsListener extends TypedEmitter<TlsListenerEvents> {
  readonly #options: Required<TlsListenerOptions>;

  constructor(options: TlsListenerOptions) {
    super();
    this.#options = {
      handshakeTimeoutMs: DEFAULT_HANDSHAKE_TIMEOUT_MS,
      maxPendingHandshakes: DEFAULT_MAX_PENDING_HANDSHAKES,
      ...options,
    };
    // Bad PEM text is refused here, at once, not at the first client.
    tls.createSecureContext({ cert: options.cert, key: options.key });
  }

  /** The factory a line server takes to listen over TLS. */
  readonly factory: ListenFactory = (onSocket) => this.#listen(onSocket);

  /** A listener's events run in socket callbacks: a failing one must not crash the process. */
  protected override listenerFailed(): void {}

  #listen(onSocket: Parameters<ListenFactory>[0]): TransportListener {
    const { cert, key, handshakeTimeoutMs, maxPendingHandshakes } = this.#options;
    /** Sockets that are not connections yet, by the remote address and port they came from. */
    const pending = new Map<string, Pending>();
    const keyOf = (socket: net.Socket): string => `${socket.remoteAddress ?? ''}|${socket.remotePort ?? 0}`;
    const report = (socket: net.Socket, message: string, plainTcp = false): void => {
      this.emit('tlsClientError', {
        at: Date.now(),
        conn: 0,
        remoteAddress: socket.remoteAddress ?? '',
        remotePort: socket.remotePort ?? 0,
        message,
        plainTcp,
      });
    };

    const secure = tls.createServer({
      cert,
      key,
      allowHalfOpen: true,
      handshakeTimeout: handshakeTimeoutMs,
      minVersion: 'TLSv1.2',
    });
    secure.on('secureConnection', (socket: tls.TLSSocket) => {
      pending.delete(keyOf(socket));
      const cipher = socket.getCipher();
      onSocket(socket, {
        tls: { protocol: socket.getProtocol() ?? 'unknown', cipher: cipher.standardName || cipher.name },
      });
    });
    secure.on('tlsClientError', (error, socket) => {
      const held = pending.get(keyOf(socket));
      pending.delete(keyOf(socket));
      report(held?.socket ?? socket, describeHandshakeError(error));
      socket.destroy();
    });

    const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (raw) => {
      if (pending.size >= maxPendingHandshakes) {
        report(raw, `refused: ${maxPendingHandshakes} TLS handshakes already in progress`);
        raw.destroy();
        return;
      }
      const id = keyOf(raw);
      const entry: Pending = { socket: raw, timer: null };
      pending.set(id, entry);
      raw.on('error', () => undefined); // reported by the TLS socket, or nobody's concern before it
      raw.on('close', () => {
        if (entry.timer) clearTimeout(entry.timer);
        if (pending.get(id) === entry) pending.delete(id);
      });
      entry.timer = setTimeout(() => {
        pending.delete(id); // its place is free at once, not when the close is reported
        report(raw, `no TLS handshake within ${handshakeTimeoutMs / 1000} s`);
        raw.destroy();
      }, handshakeTimeoutMs);
      raw.once('data', (chunk: Buffer) => {
        if (entry.timer) clearTimeout(entry.timer);
        entry.timer = null;
        if (chunk[0] !== TLS_HANDSHAKE) {
          const first = (chunk[0] ?? 0).toString(16).padStart(2, '0');
          report(
            raw,
            `this client spoke plain TCP to a TLS port (first byte 0x${first}, not a TLS handshake)`,
            true,
          );
          raw.on('data', () => undefined); // read and drop, so its FIN is seen
          raw.end(PLAIN_TCP_HINT);
          entry.timer = setTimeout(() => raw.destroy(), HINT_GRACE_MS);
          return;
        }
        // Give the bytes back and let the TLS server take the socket from here.
        raw.pause();
        raw.unshift(chunk);
        secure.emit('connection', raw);
      });
    });
    return {
      server,
      destroyPending: () => {
        for (const { socket, timer } of pending.values()) {
          if (timer) clearTimeout(timer);
          socket.destroy();
        }
        pending.clear();
      },
    };
  }
}
