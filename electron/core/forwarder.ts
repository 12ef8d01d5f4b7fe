/**
 * A listener in forward mode (docs/forwarding.md): every accepted connection
 * opens one to the upstream, and bytes pass both ways unchanged and in
 * order, through the toxics that act on each direction.
 *
 * Half-closes pass through; when one side has closed, the other is closed
 * once what was sent to it is delivered. An upstream that cannot be reached
 * closes the client's connection, and the close event says why. Like the
 * line server, it never imports electron and reports only through events.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import type { Toxic } from '../shared/protocol/toxics.js';
import { formatAddress } from '../shared/protocol/address.js';
import { checkListenAddress, describeListenError, type StartFailure } from './start-errors.js';
import { ToxicPipe, type PipeSink } from './toxics/index.js';
import type { ConnectionInfo, ListenFactory, TransportListener } from './transport.js';
import { TypedEmitter } from './typed-emitter.js';

/** Which way bytes went: `client` sent them, or the `upstream` did. */
export type Direction = 'client' | 'upstream';

export type ForwardCloseReason =
  | 'client-closed' // the client closed first and everything was delivered
  | 'upstream-closed'
  | 'unreachable' // the upstream could not be reached
  | 'client-reset'
  | 'upstream-reset'
  | 'toxic' // a toxic (timeout, limit_data, reset_peer) closed it
  | 'idle' // a UDP remote was silent for the idle timeout (udp-forwarder.ts)
  | 'stop'
  | 'error';

export interface ForwarderEvents {
  listening: { at: number; conn: 0; host: string; port: number; upstream: string };
  /** `tls`: the version and cipher agreed with the client, on a TLS listener. */
  open: { at: number; conn: number; remoteAddress: string; remotePort: number } & ConnectionInfo;
  /** The upstream accepted this connection's link. */
  connected: { at: number; conn: number; upstream: string };
  /** Bytes as they arrived, before any toxic; for recorders. */
  chunk: { at: number; conn: number; direction: Direction; bytes: Buffer };
  /**
   * The frames of the listener's framing (lines, by default) one read
   * completed, for the log: one event per read, not per frame, so pipelined
   * traffic costs one event for many lines. Never empty. A short line
   * repeated within one read is the same Buffer again (see lineDisplayFramer).
   */
  data: { at: number; conn: number; direction: Direction; frames: Buffer[] };
  close: {
    at: number;
    conn: number;
    reason: ForwardCloseReason;
    /** Bytes from the client, and to it. */
    bytesIn: number;
    bytesOut: number;
    durationMs: number;
    message?: string;
  };
  error: { at: number; conn: number; message: string };
  stopped: { at: number; conn: 0; closed: number; durationMs: number };
}

/**
 * Cuts one direction's bytes into frames for display. The framing of a
 * `--commands` table plugs in here; by default, LF lines.
 */
export interface DisplayFramer {
  /** Frames completed by these bytes. */
  push(chunk: Buffer): Buffer[];
  /** At the end of the stream: what is left, as a last frame. */
  end(): Buffer[];
  /** The connection is gone: stop any timer. */
  close?(): void;
}
/**
 * Makes a side's framer. `later` takes frames completed outside a push
 * (the `raw` framing's pause ends a request when no byte comes).
 */
export type DisplayFramerFactory = (later: (frames: Buffer[]) => void) => DisplayFramer;

/** A display frame longer than this is shown in pieces of this size. */
export const MAX_DISPLAY_FRAME = 4096;

const EMPTY = Buffer.alloc(0);

/** LF lines (one CR before the LF dropped), as the default `lf` framing cuts them. */
export function lineDisplayFramer(maxBytes = MAX_DISPLAY_FRAME): DisplayFramer {
  let held: Buffer[] = [];
  let heldLength = 0;
  const take = (piece: Buffer): Buffer => {
    const whole = held.length === 0 ? piece : Buffer.concat([...held, piece]);
    held = [];
    heldLength = 0;
    return whole;
  };
  /** Holds `piece`, handing out a frame each time the held bytes reach the limit. */
  const hold = (piece: Buffer, frames: Buffer[]): void => {
    let rest = piece;
    while (heldLength + rest.length > maxBytes) {
      const room = maxBytes - heldLength;
      frames.push(take(rest.subarray(0, room)));
      rest = rest.subarray(room);
    }
    if (rest.length > 0) {
      held.push(Buffer.from(rest));
      heldLength += rest.length;
    }
  };
  return {
    push(chunk) {
      const frames: Buffer[] = [];
      let prev: Buffer | null = null;
      let start = 0;
      for (let lf = chunk.indexOf(0x0a); lf !== -1; lf = chunk.indexOf(0x0a, start)) {
        let end = lf;
        if (end > start && chunk[end - 1] === 0x0d) end--;
        else if (end === start && held.at(-1)?.at(-1) === 0x0d) {
          // The CR of a CR LF came in the chunk before.
          const last = held.pop() ?? Buffer.alloc(0);
          held.push(last.subarray(0, last.length - 1));
          heldLength--;
        }
        // Nearly always: a whole line inside one chunk, handed out as a view;
        // pipelined traffic repeats a line, and a repeat is the same view again.
        if (heldLength === 0 && end - start <= maxBytes) {
          if (prev !== null && sameBytes(chunk, start, end, prev)) frames.push(prev);
          else frames.push((prev = chunk.subarray(start, end)));
        } else {
          hold(chunk.subarray(start, end), frames);
          frames.push(take(EMPTY));
        }
        start = lf + 1;
      }
      if (start < chunk.length) hold(chunk.subarray(start), frames);
      return frames;
    },
    end() {
      return heldLength > 0 ? [take(EMPTY)] : [];
    },
  };
}

/** Lines up to this long are compared with the one before them (see lineDisplayFramer). */
const REPEAT_COMPARE_BYTES = 64;

/** Whether `chunk[start, end)` holds the bytes of `frame` (a short one). */
function sameBytes(chunk: Buffer, start: number, end: number, frame: Buffer): boolean {
  const n = end - start;
  if (n !== frame.length || n > REPEAT_COMPARE_BYTES) return false;
  for (let i = 0; i < n; i++) if (chunk[start + i] !== frame[i]) return false;
  return true;
}

export interface HostPort {
  host: string;
  port: number;
}

/** `HOST:PORT` (`[v6]:PORT` for IPv6) as host and port, or a message saying what is wrong. */
export function parseHostPort(text: string): HostPort | string {
  const m = /^(?:\[([^\]]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text.trim());
  const host = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  if (!m || !host) return `"${text}" is not HOST:PORT (for example 127.0.0.1:6379)`;
  if (!Number.isInteger(port) || port > 65535) return `"${text}" has no valid port (0 to 65535)`;
  return { host, port };
}

export interface ForwarderConfig {
  host: string;
  port: number;
  upstream: HostPort;
  /** How long a connect to the upstream may take before the client is closed. */
  connectTimeoutMs?: number;
  /** Reach the upstream over TLS (docs/listeners.md): checking its certificate, or not. */
  upstreamTls?: UpstreamTls;
}

export interface UpstreamTls {
  /** Check the upstream's certificate and name; off accepts any certificate. */
  verify: boolean;
  /** PEM certificates to trust instead of the system's. */
  ca?: string;
  /** The name to ask for (SNI) and check; by default the upstream's host when it is a name. */
  servername?: string;
}

export type ForwardStartResult = { ok: true; host: string; port: number } | StartFailure;

/** Bytes waiting for one side (unwritten or held by toxics) past which the other side is not read. */
export const FORWARD_BACKLOG = 256 * 1024;
/** How long a side that has been closed towards may take to close its own end before it is cut. */
export const FORWARD_CLOSE_GRACE_MS = 2000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

interface Side {
  readonly socket: net.Socket;
  /** Its peer half-closed towards us (or went away): nothing more will be read. */
  ended: boolean;
  closed: boolean;
  /** Reading paused because the other side's backlog is full. */
  paused: boolean;
  framer: DisplayFramer | null;
}

interface Link {
  readonly id: number;
  readonly client: Side;
  readonly upstream: Side;
  /** Bytes to the upstream, and to the client. */
  readonly toUpstream: ToxicPipe;
  readonly toClient: ToxicPipe;
  readonly openedAt: number;
  connected: boolean;
  bytesIn: number;
  bytesOut: number;
  reason: ForwardCloseReason | null;
  message: string | undefined;
  /** A toxic or an unreachable upstream is closing it: reading only drops bytes now. */
  closing: boolean;
  connectTimer: NodeJS.Timeout | null;
  graceTimer: NodeJS.Timeout | null;
}

export type ForwarderState = 'stopped' | 'starting' | 'running' | 'stopping';

export class Forwarder extends TypedEmitter<ForwarderEvents> {
  #state: ForwarderState = 'stopped';
  #server: net.Server | null = null;
  #config: ForwarderConfig | null = null;
  #address: HostPort | null = null;
  readonly #links = new Map<number, Link>();
  #nextId = 1;
  #toxics: readonly Toxic[] = [];
  #framerFactory: DisplayFramerFactory;
  #stopping: Promise<{ closed: number; durationMs: number }> | null = null;
  #whenAllClosed: (() => void) | null = null;
  /** How clients connect when not plain TCP (a TLS listener); its pending sockets, while running. */
  readonly #transport: ListenFactory | null;
  #listener: TransportListener | null = null;

  constructor(
    options: { framer?: DisplayFramerFactory; toxics?: readonly Toxic[]; transport?: ListenFactory } = {},
  ) {
    super();
    this.#framerFactory = options.framer ?? (() => lineDisplayFramer());
    this.#toxics = options.toxics ?? [];
    this.#transport = options.transport ?? null;
  }

  get state(): ForwarderState {
    return this.#state;
  }

  get address(): HostPort | null {
    return this.#address;
  }

  get upstream(): HostPort | null {
    return this.#config?.upstream ?? null;
  }

  get activeConnections(): number {
    return this.#links.size;
  }

  get toxics(): readonly Toxic[] {
    return this.#toxics;
  }

  /** The toxics acting on each open connection (by name), for the window and the tests. */
  activeToxics(conn: number): { upstream: string[]; downstream: string[] } | null {
    const link = this.#links.get(conn);
    return link ? { upstream: link.toUpstream.active, downstream: link.toClient.active } : null;
  }

  /** Replaces the toxics; open connections take them at once. */
  setToxics(toxics: readonly Toxic[]): void {
    this.#toxics = [...toxics];
    for (const link of this.#links.values()) this.#applyToxics(link);
  }

  async start(config: ForwarderConfig): Promise<ForwardStartResult> {
    if (this.#stopping) await this.#stopping;
    if (this.#state !== 'stopped') {
      return { ok: false, code: 'EBUSY', message: 'the forwarder is already running' };
    }
    const invalid = checkListenAddress(config.host, config.port);
    if (invalid) return invalid;
    this.#state = 'starting';
    let listener: TransportListener | null = null;
    let server: net.Server;
    if (this.#transport) {
      listener = this.#transport((socket, info) => {
        // Read once the upstream answers, as a plain TCP listener's sockets arrive paused.
        socket.pause();
        this.#accept(socket, info);
      });
      server = listener.server;
    } else {
      server = net.createServer({ allowHalfOpen: true, noDelay: true, pauseOnConnect: true });
      server.on('connection', (socket) => this.#accept(socket, {}));
    }
    return new Promise((resolve) => {
      const onError = (error: Error): void => {
        server.close();
        this.#state = 'stopped';
        resolve(describeListenError(error, config.host, config.port));
      };
      server.once('error', onError);
      server.listen({ host: config.host, port: config.port, backlog: 511 }, () => {
        server.off('error', onError);
        server.on('error', (error) =>
          this.emit('error', { at: Date.now(), conn: 0, message: error.message }),
        );
        this.#listener = listener;
        const port = (server.address() as net.AddressInfo).port;
        this.#server = server;
        this.#config = config;
        this.#address = { host: config.host, port };
        this.#state = 'running';
        const upstream = formatAddress(config.upstream.host, config.upstream.port);
        this.emit('listening', { at: Date.now(), conn: 0, host: config.host, port, upstream });
        resolve({ ok: true, host: config.host, port });
      });
    });
  }

  /** Closes the listener and every connection at once; resolves when all are closed. */
  stop(): Promise<{ closed: number; durationMs: number }> {
    this.#stopping ??= this.#stop().finally(() => {
      this.#stopping = null;
    });
    return this.#stopping;
  }

  async #stop(): Promise<{ closed: number; durationMs: number }> {
    const server = this.#server;
    if (!server) return { closed: 0, durationMs: 0 };
    const t0 = performance.now();
    this.#state = 'stopping';
    const closed = this.#links.size;
    const listenerClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    this.#listener?.destroyPending();
    this.#listener = null;
    const linksClosed = new Promise<void>((resolve) => {
      this.#whenAllClosed = resolve;
      this.#checkAllClosed();
    });
    for (const link of this.#links.values()) {
      link.reason ??= 'stop';
      link.client.socket.destroy();
      link.upstream.socket.destroy();
    }
    await Promise.all([listenerClosed, linksClosed]);
    this.#server = null;
    this.#address = null;
    this.#state = 'stopped';
    const report = { closed, durationMs: performance.now() - t0 };
    this.emit('stopped', { at: Date.now(), conn: 0, ...report });
    return report;
  }

  protected override listenerFailed(event: keyof ForwarderEvents, error: unknown): void {
    if (event === 'error') return;
    const message = error instanceof Error ? error.message : String(error);
    this.emit('error', { at: Date.now(), conn: 0, message: `a listener of "${event}" failed: ${message}` });
  }

  #accept(clientSocket: net.Socket, info: ConnectionInfo): void {
    const config = this.#config;
    if (this.#state !== 'running' || !config) {
      clientSocket.destroy();
      return;
    }
    const id = this.#nextId++;
    const upstreamSocket = connectUpstream(config);
    // The client socket arrives paused (pauseOnConnect): it is read once the upstream answers.
    const side = (socket: net.Socket, paused: boolean): Side => ({
      socket,
      ended: false,
      closed: false,
      paused,
      framer: null,
    });
    const link: Link = {
      id,
      client: side(clientSocket, true),
      upstream: side(upstreamSocket, false),
      toUpstream: new ToxicPipe(this.#sink(() => link, 'upstream')),
      toClient: new ToxicPipe(this.#sink(() => link, 'client')),
      openedAt: performance.now(),
      connected: false,
      bytesIn: 0,
      bytesOut: 0,
      reason: null,
      message: undefined,
      closing: false,
      connectTimer: null,
      graceTimer: null,
    };
    this.#links.set(id, link);
    this.#applyToxics(link);
    this.emit('open', {
      at: Date.now(),
      conn: id,
      remoteAddress: clientSocket.remoteAddress ?? '',
      remotePort: clientSocket.remotePort ?? 0,
      ...info,
    });

    const upstreamName = formatAddress(config.upstream.host, config.upstream.port);
    link.connectTimer = setTimeout(() => {
      const ms = config.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
      this.#unreachable(link, `cannot reach upstream ${upstreamName}: no answer within ${ms} ms`);
    }, config.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    upstreamSocket.once(config.upstreamTls ? 'secureConnect' : 'connect', () => {
      if (link.connectTimer) clearTimeout(link.connectTimer);
      link.connectTimer = null;
      link.connected = true;
      this.emit('connected', { at: Date.now(), conn: id, upstream: upstreamName });
      this.#balance(link);
    });

    clientSocket.on('data', (chunk: Buffer) => {
      link.bytesIn += chunk.length;
      this.#observe(link, 'client', chunk);
      link.toUpstream.write(chunk);
      this.#balance(link);
    });
    upstreamSocket.on('data', (chunk: Buffer) => {
      this.#observe(link, 'upstream', chunk);
      link.toClient.write(chunk);
      this.#balance(link);
    });
    clientSocket.on('end', () => this.#ended(link, link.client));
    upstreamSocket.on('end', () => this.#ended(link, link.upstream));
    clientSocket.on('drain', () => this.#balance(link));
    upstreamSocket.on('drain', () => this.#balance(link));
    clientSocket.on('error', (error: NodeJS.ErrnoException) => {
      link.reason ??= isReset(error) ? 'client-reset' : 'error';
      link.message ??= `client: ${error.message}`;
    });
    upstreamSocket.on('error', (error: NodeJS.ErrnoException) => {
      if (!link.connected) {
        this.#unreachable(link, `cannot reach upstream ${upstreamName}: ${error.message}`);
        return;
      }
      link.reason ??= isReset(error) ? 'upstream-reset' : 'error';
      link.message ??= `upstream: ${error.message}`;
    });
    clientSocket.on('close', () => this.#closed(link, link.client));
    upstreamSocket.on('close', () => this.#closed(link, link.upstream));
  }

  #applyToxics(link: Link): void {
    link.toUpstream.set(this.#toxics.filter((t) => t.stream === 'upstream'));
    link.toClient.set(this.#toxics.filter((t) => t.stream === 'downstream'));
  }

  /** Where a direction's pipe delivers: the socket towards `to`. */
  #sink(getLink: () => Link, to: Direction): PipeSink {
    return {
      write: (chunk) => {
        const link = getLink();
        const side = to === 'client' ? link.client : link.upstream;
        if (side.socket.destroyed || side.socket.writableEnded) return;
        if (to === 'client') link.bytesOut += chunk.length;
        side.socket.write(chunk);
      },
      end: () => {
        const link = getLink();
        const side = to === 'client' ? link.client : link.upstream;
        if (!side.socket.destroyed) side.socket.end();
        this.#closeWhenDelivered(link);
      },
      close: (why) => this.#finish(getLink(), 'toxic', why),
      reset: (why) => {
        const link = getLink();
        link.reason ??= 'toxic';
        link.message ??= why;
        for (const side of [link.client, link.upstream]) {
          if (!side.socket.destroyed) side.socket.resetAndDestroy();
        }
      },
      released: () => this.#balance(getLink()),
    };
  }

  #observe(link: Link, direction: Direction, chunk: Buffer): void {
    const chunks = this.hasListeners('chunk');
    const data = this.hasListeners('data');
    if (!chunks && !data) return;
    const at = Date.now();
    if (chunks) this.emit('chunk', { at, conn: link.id, direction, bytes: chunk });
    if (!data) return;
    const side = direction === 'client' ? link.client : link.upstream;
    side.framer ??= this.#framerFactory((later) => {
      if (later.length > 0) this.emit('data', { at: Date.now(), conn: link.id, direction, frames: later });
    });
    const frames = side.framer.push(chunk);
    if (frames.length > 0) this.emit('data', { at, conn: link.id, direction, frames });
  }

  /** `from` half-closed towards us: pass its end on, after what it sent. */
  #ended(link: Link, from: Side): void {
    if (from.ended) return;
    from.ended = true;
    const direction: Direction = from === link.client ? 'client' : 'upstream';
    if (from.framer && this.hasListeners('data')) {
      const frames = from.framer.end();
      if (frames.length > 0) this.emit('data', { at: Date.now(), conn: link.id, direction, frames });
    }
    if (from === link.client) {
      link.reason ??= 'client-closed';
      link.toUpstream.end();
    } else {
      link.reason ??= 'upstream-closed';
      link.toClient.end();
    }
  }

  /** Pauses a side whose bytes the other cannot take yet; resumes it when they can. */
  #balance(link: Link): void {
    if (link.closing) return;
    // Called for every read: no closure, and no toxic to ask when a direction has none.
    const toUpstream =
      link.upstream.socket.writableLength + (link.toUpstream.empty ? 0 : link.toUpstream.heldBytes);
    const toClient = link.client.socket.writableLength + (link.toClient.empty ? 0 : link.toClient.heldBytes);
    hold(link.client, !link.connected || toUpstream >= FORWARD_BACKLOG);
    hold(link.upstream, !link.connected || toClient >= FORWARD_BACKLOG);
  }

  /**
   * One side is gone and the other has been sent its end: once those bytes
   * are flushed, the other has a moment to close its own end, then it is cut.
   */
  #closeWhenDelivered(link: Link): void {
    if (link.graceTimer || link.closing) return;
    const waiting = link.client.closed ? link.upstream : link.upstream.closed ? link.client : null;
    if (!waiting?.socket.writableEnded || waiting.closed) return;
    const cut = (): void => {
      link.graceTimer = setTimeout(() => waiting.socket.destroy(), FORWARD_CLOSE_GRACE_MS);
      link.graceTimer.unref();
    };
    if (waiting.socket.writableFinished) cut();
    else waiting.socket.once('finish', cut);
  }

  /** A toxic closed the connection: what was passed on is delivered, then both sides close. */
  #finish(link: Link, reason: ForwardCloseReason, message: string): void {
    if (link.closing) return;
    link.closing = true;
    link.reason = reason;
    link.message = message;
    link.toUpstream.dispose();
    link.toClient.dispose();
    for (const side of [link.client, link.upstream]) {
      if (!side.socket.destroyed) side.socket.end();
      // Read and drop, so the peer's FIN is seen and the socket closes on its own.
      side.socket.resume();
    }
    if (link.graceTimer) clearTimeout(link.graceTimer);
    link.graceTimer = setTimeout(() => {
      link.client.socket.destroy();
      link.upstream.socket.destroy();
    }, FORWARD_CLOSE_GRACE_MS);
    link.graceTimer.unref();
  }

  #unreachable(link: Link, message: string): void {
    if (link.connected || link.closing) return;
    link.closing = true;
    link.reason = 'unreachable';
    link.message = message;
    if (link.connectTimer) clearTimeout(link.connectTimer);
    link.connectTimer = null;
    link.upstream.socket.destroy();
    // Read and drop what the client sent, so the close is a FIN, not a reset.
    link.client.socket.on('end', () => link.client.socket.destroy());
    link.client.socket.resume();
    link.client.socket.end();
    link.graceTimer = setTimeout(() => link.client.socket.destroy(), FORWARD_CLOSE_GRACE_MS);
    link.graceTimer.unref();
  }

  #closed(link: Link, side: Side): void {
    side.closed = true;
    // It went away without a half-close: pass the end on after what it sent.
    this.#ended(link, side);
    const other = side === link.client ? link.upstream : link.client;
    if (!other.closed) {
      if (link.reason === 'stop') other.socket.destroy();
      else this.#closeWhenDelivered(link);
      return;
    }
    if (link.graceTimer) clearTimeout(link.graceTimer);
    if (link.connectTimer) clearTimeout(link.connectTimer);
    link.toUpstream.dispose();
    link.toClient.dispose();
    link.client.framer?.close?.();
    link.upstream.framer?.close?.();
    this.#links.delete(link.id);
    this.emit('close', {
      at: Date.now(),
      conn: link.id,
      reason: link.reason ?? 'error',
      bytesIn: link.bytesIn,
      bytesOut: link.bytesOut,
      durationMs: performance.now() - link.openedAt,
      ...(link.message ? { message: link.message } : {}),
    });
    this.#checkAllClosed();
  }

  #checkAllClosed(): void {
    if (this.#whenAllClosed && this.#links.size === 0) {
      this.#whenAllClosed();
      this.#whenAllClosed = null;
    }
  }
}

/** Pauses `from` (its bytes cannot be taken yet), or resumes it. */
function hold(from: Side, pause: boolean): void {
  if (pause === from.paused || from.socket.destroyed) return;
  from.paused = pause;
  if (pause) from.socket.pause();
  else from.socket.resume();
}

/** The link to the upstream: plain TCP, or TLS when the config asks for it. */
function connectUpstream(config: ForwarderConfig): net.Socket {
  const { host, port } = config.upstream;
  const upstreamTls = config.upstreamTls;
  if (!upstreamTls) return net.connect({ host, port, allowHalfOpen: true, noDelay: true });
  const servername = upstreamTls.servername ?? (net.isIP(host) === 0 ? host : undefined);
  // Node's tls.connect takes allowHalfOpen (half-closes pass through), though its types leave it out.
  const options: tls.ConnectionOptions & { allowHalfOpen: boolean } = {
    host,
    port,
    allowHalfOpen: true,
    rejectUnauthorized: upstreamTls.verify,
    ...(upstreamTls.ca ? { ca: upstreamTls.ca } : {}),
    ...(servername ? { servername } : {}),
  };
  const socket = tls.connect(options);
  socket.setNoDelay(true);
  return socket;
}

function isReset(error: NodeJS.ErrnoException): boolean {
  return error.code === 'ECONNRESET' || error.code === 'EPIPE';
}
