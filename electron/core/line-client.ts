/**
 * A TCP client for line protocols: connects to any host and port, sends
 * bytes, and reports every line that comes back as it arrives.
 *
 * What comes back is cut by the same framers the server reads with (any
 * framing of docs/framing.md; `lf` by default), so a mock's replies are seen
 * as its clients see them. The built-in test client uses it; it lives in the
 * core because it is plain Node and knows nothing of windows.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
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
  /** How to reach the server (docs/listeners.md): a TCP stream (default), TLS, or UDP datagrams. */
  transport?: 'tcp' | 'tls' | 'udp';
  /** For TLS: check the server's certificate and name (default), or accept any. */
  tls?: ClientTlsOptions;
}

export interface ClientTlsOptions {
  verify: boolean;
  /** PEM certificates to trust instead of the system's. */
  ca?: string;
  /** The name to ask for (SNI) and check; by default the host when it is a name. */
  servername?: string;
}

/** The certificate a TLS server presented, as the test client shows it. */
export interface ServerCertificate {
  subject: string;
  issuer: string;
  /** ISO 8601. */
  validFrom: string;
  validTo: string;
  /** SHA-256, as colon-separated hex pairs. */
  fingerprint256: string;
  /** The TLS version and cipher agreed. */
  protocol: string;
  cipher: string;
  /** Whether the certificate was checked and trusted (false when checks were off). */
  verified: boolean;
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
  /** A UDP "connection": a socket connected to the server, one datagram per send. */
  #udp: dgram.Socket | null = null;
  #certificate: ServerCertificate | null = null;

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
    const transport = options.transport ?? this.options.transport ?? 'tcp';
    const encoding = isLineFraming(framing) ? 'utf8' : 'latin1';
    if (transport === 'udp') return this.#connectUdp(host, port, where, framing, encoding, framer);
    const tlsOptions = options.tls ?? this.options.tls ?? { verify: true };
    return new Promise((resolve, reject) => {
      const socket =
        transport === 'tls' ? connectTls(host, port, tlsOptions) : net.connect({ host, port, noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        framer.close();
        reject(new Error(`could not connect to ${where}: no answer within ${CONNECT_TIMEOUT_MS / 1000} s`));
      }, CONNECT_TIMEOUT_MS);
      socket.once(transport === 'tls' ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        this.#certificate =
          socket instanceof tls.TLSSocket ? describeCertificate(socket, tlsOptions.verify) : null;
        this.#attach(socket, framer, encoding);
        resolve();
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (this.#socket !== socket) framer.close();
        if (this.#socket === socket) return; // reported by #attach's handlers
        const why = transport === 'tls' ? describeTlsError(error) : describeConnectError(error);
        reject(new Error(`could not connect to ${where}: ${why}`));
      });
    });
  }

  get connected(): boolean {
    return this.#socket !== null || this.#udp !== null;
  }

  /** The certificate of the TLS server connected to; null over TCP and UDP. */
  get serverCertificate(): ServerCertificate | null {
    return this.#certificate;
  }

  send(data: string | Uint8Array): void {
    if (this.#udp) {
      this.#udp.send(data);
      return;
    }
    if (!this.#socket) throw new Error('not connected');
    this.#socket.write(data);
  }

  /** Closes on our side; resolves when the socket is gone. */
  close(): Promise<void> {
    const udp = this.#udp;
    if (udp) {
      this.#closingOnPurpose = true;
      return new Promise((resolve) => {
        udp.once('close', () => resolve());
        udp.close();
      });
    }
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
   * UDP: a socket connected to the server (so only its datagrams come in).
   * Each datagram that comes back is framed on its own, as input that ends
   * with it, as the UDP listener frames requests.
   */
  #connectUdp(
    host: string,
    port: number,
    where: string,
    framing: FramingConfig,
    encoding: 'utf8' | 'latin1',
    probe: Framer,
  ): Promise<void> {
    probe.close();
    const socket = dgram.createSocket({ type: net.isIPv6(host) ? 'udp6' : 'udp4' });
    return new Promise((resolve, reject) => {
      socket.once('error', (error: NodeJS.ErrnoException) => {
        socket.close();
        reject(new Error(`could not connect to ${where}: ${describeConnectError(error)}`));
      });
      socket.connect(port, host, () => {
        socket.removeAllListeners('error');
        this.#udp = socket;
        this.#certificate = null;
        this.#encoding = encoding;
        this.#closingOnPurpose = false;
        let error: string | undefined;
        socket.on('message', (datagram: Buffer) => {
          const framer = createFramer(framing, MAX_LINE_BYTES, { overLimit: 'split' });
          framer.push(datagram);
          framer.end();
          for (let frame = framer.next(); frame; frame = framer.next())
            this.#emitFrame(frame.request, frame.raw);
          if (framer.droppedAtEnd.length > 0) this.#emitFrame(framer.droppedAtEnd, framer.droppedAtEnd);
          framer.close();
          this.emit('received', { pending: Buffer.alloc(0) });
        });
        // An ICMP port unreachable: nothing listens there. The socket stays, as UDP has no connection to lose.
        socket.on('error', (e: NodeJS.ErrnoException) => {
          error = describeConnectError(e);
          void this.close();
        });
        socket.once('close', () => {
          this.#udp = null;
          this.emit('close', { byPeer: !this.#closingOnPurpose, ...(error ? { error } : {}) });
        });
        resolve();
      });
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

function connectTls(host: string, port: number, options: ClientTlsOptions): tls.TLSSocket {
  const servername = options.servername ?? (net.isIP(host) === 0 ? host : undefined);
  const socket = tls.connect({
    host,
    port,
    rejectUnauthorized: options.verify,
    ...(options.ca ? { ca: options.ca } : {}),
    ...(servername ? { servername } : {}),
  });
  socket.setNoDelay(true);
  return socket;
}

function describeCertificate(socket: tls.TLSSocket, verify: boolean): ServerCertificate | null {
  const peer = socket.getPeerCertificate();
  if (Object.keys(peer).length === 0) return null;
  const name = (fields: Record<string, string | string[] | undefined>): string =>
    Object.entries(fields)
      .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : (value ?? '')}`)
      .join(', ');
  const cipher = socket.getCipher();
  return {
    subject: name(peer.subject),
    issuer: name(peer.issuer),
    validFrom: new Date(peer.valid_from).toISOString(),
    validTo: new Date(peer.valid_to).toISOString(),
    fingerprint256: peer.fingerprint256,
    protocol: socket.getProtocol() ?? '',
    cipher: cipher.standardName || cipher.name,
    verified: verify && socket.authorized,
  };
}

/** A TLS failure in words, with what to do about an untrusted certificate. */
function describeTlsError(error: NodeJS.ErrnoException): string {
  const untrusted = [
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'CERT_HAS_EXPIRED',
    'ERR_TLS_CERT_ALTNAME_INVALID',
  ];
  if (error.code && untrusted.includes(error.code)) {
    return `the server's certificate is not trusted (${error.message}); turn certificate checks off to connect anyway`;
  }
  return describeConnectError(error);
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
