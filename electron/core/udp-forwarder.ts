/**
 * Forward mode over UDP (docs/listeners.md): each remote address and port
 * that sends a datagram gets its own socket towards the upstream, so the
 * upstream's answers go back to the remote they belong to. Datagrams pass
 * both ways unchanged, one for one.
 *
 * As for the UDP listener, each remote is one "connection": opened by its
 * first datagram, closed by the idle timeout or Stop. The events are the
 * TCP forwarder's, so the log and the API show it like any forwarder.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { formatAddress } from '../shared/protocol/address.js';
import {
  lineDisplayFramer,
  type DisplayFramerFactory,
  type Direction,
  type ForwardCloseReason,
  type ForwarderEvents,
  type ForwarderState,
  type ForwardStartResult,
  type HostPort,
} from './forwarder.js';
import { checkListenAddress } from './start-errors.js';
import { bindUdp } from './udp-bind.js';
import { TypedEmitter } from './typed-emitter.js';

export interface UdpForwarderConfig {
  host: string;
  port: number;
  upstream: HostPort;
  /** A remote silent this long is closed (its upstream socket too); 0 = never. */
  idleTimeoutSec: number;
  /** Remotes served at once; a datagram from one more is dropped and reported. */
  maxConnections: number;
  /** The largest datagram read; a larger one is dropped and reported. */
  maxDatagramBytes: number;
}

interface Remote {
  readonly id: number;
  readonly address: string;
  readonly port: number;
  readonly socket: dgram.Socket;
  readonly openedAt: number;
  connected: boolean;
  /** Datagrams from the remote waiting for the upstream socket to connect. */
  waiting: Buffer[];
  bytesIn: number;
  bytesOut: number;
  lastActive: number;
}

const MAX_WAITING = 64;

export class UdpForwarder extends TypedEmitter<ForwarderEvents> {
  #state: ForwarderState = 'stopped';
  #socket: dgram.Socket | null = null;
  #config: UdpForwarderConfig | null = null;
  #address: HostPort | null = null;
  readonly #remotes = new Map<string, Remote>();
  #nextId = 1;
  #sweep: NodeJS.Timeout | null = null;
  readonly #framerFactory: DisplayFramerFactory;

  constructor(options: { framer?: DisplayFramerFactory } = {}) {
    super();
    this.#framerFactory = options.framer ?? (() => lineDisplayFramer());
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
    return this.#remotes.size;
  }

  async start(config: UdpForwarderConfig): Promise<ForwardStartResult> {
    if (this.#state !== 'stopped') {
      return { ok: false, code: 'EBUSY', message: 'the forwarder is already running' };
    }
    const invalid = checkListenAddress(config.host, config.port);
    if (invalid) return invalid;
    this.#state = 'starting';
    const bound = await bindUdp(
      config.host,
      config.port,
      (msg, rinfo) => this.#fromRemote(msg, rinfo),
      (error) => this.emit('error', { at: Date.now(), conn: 0, message: error.message }),
    );
    if (!bound.ok) {
      this.#state = 'stopped';
      return bound;
    }
    const { socket, port } = bound;
    this.#socket = socket;
    this.#config = config;
    this.#address = { host: config.host, port };
    this.#state = 'running';
    if (config.idleTimeoutSec > 0) {
      const every = Math.min(1000, Math.max(50, (config.idleTimeoutSec * 1000) / 4));
      this.#sweep = setInterval(() => this.#sweepIdle(), every);
      this.#sweep.unref();
    }
    const upstream = formatAddress(config.upstream.host, config.upstream.port);
    this.emit('listening', { at: Date.now(), conn: 0, host: config.host, port, upstream });
    return { ok: true, host: config.host, port };
  }

  /** Closes the socket and every remote's upstream socket at once. */
  async stop(): Promise<{ closed: number; durationMs: number }> {
    const socket = this.#socket;
    if (!socket) return { closed: 0, durationMs: 0 };
    const t0 = performance.now();
    this.#state = 'stopping';
    if (this.#sweep) clearInterval(this.#sweep);
    this.#sweep = null;
    const closed = this.#remotes.size;
    for (const remote of [...this.#remotes.values()]) this.#close(remote, 'stop');
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    this.#socket = null;
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

  #fromRemote(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    const config = this.#config;
    if (this.#state !== 'running' || !config) return;
    const key = `${rinfo.address}|${rinfo.port}`;
    let remote = this.#remotes.get(key);
    const from = formatAddress(rinfo.address, rinfo.port);
    if (msg.length > config.maxDatagramBytes) {
      const message = `dropped a datagram of ${msg.length} bytes from ${from} (the limit is ${config.maxDatagramBytes})`;
      this.emit('error', { at: Date.now(), conn: remote?.id ?? 0, message });
      return;
    }
    if (!remote) {
      if (this.#remotes.size >= config.maxConnections) {
        const message = `dropped a datagram from ${from}: ${config.maxConnections} remotes are served already`;
        this.emit('error', { at: Date.now(), conn: 0, message });
        return;
      }
      remote = this.#open(key, rinfo, config);
    }
    remote.bytesIn += msg.length;
    remote.lastActive = performance.now();
    this.#observe(remote, 'client', msg);
    if (remote.connected) remote.socket.send(msg);
    else if (remote.waiting.length < MAX_WAITING) remote.waiting.push(msg);
  }

  #open(key: string, rinfo: dgram.RemoteInfo, config: UdpForwarderConfig): Remote {
    const { host, port } = config.upstream;
    const socket = dgram.createSocket({ type: net.isIPv6(host) ? 'udp6' : 'udp4' });
    const remote: Remote = {
      id: this.#nextId++,
      address: rinfo.address,
      port: rinfo.port,
      socket,
      openedAt: performance.now(),
      connected: false,
      waiting: [],
      bytesIn: 0,
      bytesOut: 0,
      lastActive: performance.now(),
    };
    this.#remotes.set(key, remote);
    this.emit('open', {
      at: Date.now(),
      conn: remote.id,
      remoteAddress: rinfo.address,
      remotePort: rinfo.port,
    });
    const upstream = formatAddress(host, port);
    socket.on('error', (error) => {
      // An ICMP port unreachable comes back as ECONNREFUSED on a connected socket.
      const message = `upstream ${upstream}: ${error.message}`;
      if (this.#remotes.get(key) === remote) this.#close(remote, 'unreachable', message);
    });
    socket.on('message', (msg) => {
      const listener = this.#socket;
      if (!listener || this.#remotes.get(key) !== remote) return;
      remote.bytesOut += msg.length;
      remote.lastActive = performance.now();
      this.#observe(remote, 'upstream', msg);
      listener.send(msg, remote.port, remote.address);
    });
    socket.connect(port, host, () => {
      if (this.#remotes.get(key) !== remote) return;
      remote.connected = true;
      this.emit('connected', { at: Date.now(), conn: remote.id, upstream });
      for (const waiting of remote.waiting.splice(0)) socket.send(waiting);
    });
    return remote;
  }

  #observe(remote: Remote, direction: Direction, msg: Buffer): void {
    const at = Date.now();
    if (this.hasListeners('chunk')) this.emit('chunk', { at, conn: remote.id, direction, bytes: msg });
    if (!this.hasListeners('data')) return;
    // Each datagram is framed on its own, as input that ends with it.
    const framer = this.#framerFactory(() => undefined);
    const frames = [...framer.push(msg), ...framer.end()];
    framer.close?.();
    if (frames.length > 0) this.emit('data', { at, conn: remote.id, direction, frames });
  }

  #sweepIdle(): void {
    const config = this.#config;
    if (!config) return;
    const limit = config.idleTimeoutSec * 1000;
    const now = performance.now();
    for (const remote of [...this.#remotes.values()]) {
      if (now - remote.lastActive >= limit) this.#close(remote, 'idle');
    }
  }

  #close(remote: Remote, reason: ForwardCloseReason, message?: string): void {
    const key = `${remote.address}|${remote.port}`;
    if (this.#remotes.get(key) !== remote) return;
    this.#remotes.delete(key);
    remote.socket.close();
    this.emit('close', {
      at: Date.now(),
      conn: remote.id,
      reason,
      bytesIn: remote.bytesIn,
      bytesOut: remote.bytesOut,
      durationMs: performance.now() - remote.openedAt,
      ...(message ? { message } : {}),
    });
  }
}
