/**
 * The line protocol over UDP (docs/listeners.md).
 *
 * Each datagram is framed on its own by the table's framing, as input that
 * ends with it (with LF lines, a last line without its LF counts, as at a
 * TCP client's EOF), and every request is answered with the
 * command table, in datagrams sent back to the address and port it came
 * from. Each remote address and port is one "connection": opened by its
 * first datagram, closed by the idle timeout, a closing reply (QUIT, a
 * closing rule, one-shot mode) or Stop. The events are the line server's,
 * so the log, the stats and the command line show a UDP listener like any
 * other.
 */
import type dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import {
  CLASSIC_TABLE,
  START_STATE,
  compileTable,
  type CommandTable,
  type CompiledTable,
  type Reply,
} from './command-table.js';
import {
  createFramer,
  framingConfigOf,
  isLineFraming,
  requestText,
  type Frame,
  type FramingConfig,
} from './framing/index.js';
import type { CloseReason, ServerEvents, StartResult, StopReport } from './server.js';
import { checkListenAddress } from './start-errors.js';
import { bindUdp } from './udp-bind.js';
import { TypedEmitter } from './typed-emitter.js';
import { DEFAULT_SETTINGS, type ServerSettings } from '../shared/protocol/settings.js';

export interface UdpListenerEvents extends ServerEvents {
  /** A datagram thrown away unread: larger than the limit. */
  dropped: {
    at: number;
    conn: number;
    remoteAddress: string;
    remotePort: number;
    bytes: number;
    reason: 'too-large';
  };
}

/**
 * The server settings, read for UDP: `maxConnections` is the number of
 * remotes served at once, `maxPerRemote` the share of them one address
 * may take (each source port is a remote), `maxLineBytes` the longest line
 * in a datagram. `lineTimeoutSec` has no meaning here: a datagram's lines
 * arrive whole.
 */
export interface UdpSettings extends ServerSettings {
  /** The largest datagram read; a larger one is dropped with an event. */
  maxDatagramBytes: number;
}

/** The largest payload of one IPv4 UDP datagram. */
export const MAX_UDP_PAYLOAD = 65_507;
export const DEFAULT_UDP_SETTINGS: Readonly<UdpSettings> = Object.freeze({
  ...DEFAULT_SETTINGS,
  maxDatagramBytes: 16_384,
});
/** Replies handed to the kernel and not yet sent, past which further replies are dropped. */
export const MAX_PENDING_SENDS = 4096;
/** Delayed replies waiting for one remote, past which its lines are not answered. */
export const MAX_QUEUED_REPLIES = 1000;

const ERR_LINE_TOO_LONG = Buffer.from('ERR line too long\r\n');
const ERR_BUSY = Buffer.from('ERR server busy\r\n');
const ERR_PER_REMOTE = Buffer.from('ERR too many connections from your address\r\n');

interface Remote {
  readonly id: number;
  readonly key: string;
  readonly address: string;
  readonly port: number;
  readonly openedAt: number;
  /** The table's conversation state (`start` at the first datagram). */
  state: string;
  bytesIn: number;
  bytesOut: number;
  lastActive: number;
  /** Replies waiting behind a delayed one, so replies go out in the order their lines came. */
  queue: Reply[] | null;
  queueTimer: NodeJS.Timeout | null;
  /** A closing reply was chosen: the lines after it are not answered. */
  done: boolean;
}

export class UdpListener extends TypedEmitter<UdpListenerEvents> {
  #table: CompiledTable;
  /** The table's framing, for the framer each datagram gets. */
  #framing: FramingConfig;
  #config: UdpSettings = { ...DEFAULT_UDP_SETTINGS };
  #socket: dgram.Socket | null = null;
  #address: { host: string; port: number } | null = null;
  #state: 'stopped' | 'starting' | 'running' = 'stopped';
  readonly #remotes = new Map<string, Remote>();
  /** Remotes served per address, for the per-address share (only while max per remote is set). */
  readonly #perAddress = new Map<string, number>();
  #nextId = 1;
  #pendingSends = 0;
  #idleSweep: NodeJS.Timeout | null = null;

  constructor(table: CommandTable = CLASSIC_TABLE) {
    super();
    this.#table = compileTable(table);
    this.#framing = framingConfigOf(this.#table.framing);
  }

  get state(): 'stopped' | 'starting' | 'running' {
    return this.#state;
  }

  get address(): { host: string; port: number } | null {
    return this.#address;
  }

  /** Remotes being served now. */
  get activeConnections(): number {
    return this.#remotes.size;
  }

  setTable(table: CommandTable): void {
    this.#table = compileTable(table);
    this.#framing = framingConfigOf(this.#table.framing);
  }

  /** Binds the socket. A failure comes back as data, never thrown. */
  async start(config: Partial<UdpSettings> = {}): Promise<StartResult> {
    if (this.#state !== 'stopped') {
      const where = this.#address ? `${this.#address.host}:${this.#address.port}` : 'its port';
      return { ok: false, code: 'EBUSY', message: `the listener is already running on ${where}` };
    }
    const full: UdpSettings = { ...DEFAULT_UDP_SETTINGS, ...config };
    const invalid = checkListenAddress(full.host, full.port);
    if (invalid) return invalid;
    this.#state = 'starting';
    this.#config = full;
    const bound = await bindUdp(
      full.host,
      full.port,
      (data, rinfo) => this.#receive(data, rinfo),
      (error) => this.emit('error', { at: Date.now(), conn: 0, message: error.message }),
    );
    if (!bound.ok) {
      this.#state = 'stopped';
      return bound;
    }
    const { socket, port } = bound;
    this.#socket = socket;
    this.#address = { host: full.host, port };
    this.#state = 'running';
    this.emit('listening', { at: Date.now(), conn: 0, host: full.host, port });
    return { ok: true, host: full.host, port };
  }

  /** Closes the socket at once and every remote with it; reports how many remotes were served. */
  async stop(): Promise<StopReport> {
    const socket = this.#socket;
    if (!socket) return { closed: 0, durationMs: 0 };
    const t0 = performance.now();
    this.#socket = null;
    const closed = this.#remotes.size;
    for (const remote of [...this.#remotes.values()]) this.#close(remote, 'stop');
    this.#stopIdleSweep();
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    this.#address = null;
    this.#state = 'stopped';
    const report = { closed, durationMs: performance.now() - t0 };
    this.emit('stopped', { at: Date.now(), conn: 0, ...report });
    return report;
  }

  /** A listener of ours threw: report it; the listener goes on. */
  protected override listenerFailed(event: keyof UdpListenerEvents, error: unknown): void {
    if (event === 'error') return;
    const message = error instanceof Error ? error.message : String(error);
    this.emit('error', { at: Date.now(), conn: 0, message: `a listener of "${event}" failed: ${message}` });
  }

  #receive(data: Buffer, rinfo: dgram.RemoteInfo): void {
    if (this.#state !== 'running') return;
    const key = `${rinfo.address}|${rinfo.port}`;
    let remote = this.#remotes.get(key);
    if (data.length > this.#config.maxDatagramBytes) {
      this.emit('dropped', {
        at: Date.now(),
        conn: remote?.id ?? 0,
        remoteAddress: rinfo.address,
        remotePort: rinfo.port,
        bytes: data.length,
        reason: 'too-large',
      });
      return;
    }
    if (!remote) {
      const id = this.#nextId++;
      const held = this.#perAddress.get(rinfo.address) ?? 0;
      const perRemote = this.#config.maxPerRemote;
      const refusal =
        this.#remotes.size >= this.#config.maxConnections
          ? 'busy'
          : perRemote > 0 && held >= perRemote
            ? 'per-remote'
            : null;
      if (refusal) {
        this.#sendTo(rinfo.address, rinfo.port, refusal === 'busy' ? ERR_BUSY : ERR_PER_REMOTE);
        this.emit('rejected', {
          at: Date.now(),
          conn: id,
          remoteAddress: rinfo.address,
          remotePort: rinfo.port,
          reason: refusal,
        });
        return;
      }
      if (perRemote > 0) this.#perAddress.set(rinfo.address, held + 1);
      remote = {
        id,
        key,
        address: rinfo.address,
        port: rinfo.port,
        openedAt: performance.now(),
        state: START_STATE,
        bytesIn: 0,
        bytesOut: 0,
        lastActive: performance.now(),
        queue: null,
        queueTimer: null,
        done: false,
      };
      this.#remotes.set(key, remote);
      this.emit('open', { at: Date.now(), conn: id, remoteAddress: rinfo.address, remotePort: rinfo.port });
      this.#sweepIdle();
      // The table's greeting goes to a remote once, before the answer to its first datagram.
      const greeting = this.#table.greeting(remote);
      if (greeting) {
        this.#write(remote, greeting.bytes);
        this.emit('reply', { at: Date.now(), conn: id, bytes: greeting.bytes.length, text: greeting.text });
      }
    }
    remote.bytesIn += data.length;
    remote.lastActive = performance.now();
    try {
      this.#serveDatagram(remote, data);
    } catch (error) {
      // A fault in one remote's handling ends that remote only.
      const message = error instanceof Error ? error.message : String(error);
      this.emit('error', { at: Date.now(), conn: remote.id, message });
      this.#close(remote, 'error', message);
    }
  }

  #serveDatagram(remote: Remote, data: Buffer): void {
    const framing = this.#framing;
    // A datagram is all the input its requests have: framed alone, ended at once.
    const framer = createFramer(framing, this.#config.maxLineBytes);
    try {
      framer.push(data);
      framer.end();
      for (let frame = framer.next(); frame; frame = framer.next()) {
        if (remote.done || !this.#remotes.has(remote.key)) return; // the rest goes unanswered
        if (frame.overLimit) {
          this.#write(remote, ERR_LINE_TOO_LONG);
          this.#close(remote, 'line-too-long');
          return;
        }
        this.#answer(remote, frame);
      }
    } finally {
      framer.close();
    }
  }

  /** Answers one request as the line server does: the table sees the request's text (server.ts). */
  #answer(remote: Remote, frame: Frame): void {
    const line = requestText(frame, this.#framing);
    if (line === '' && isLineFraming(this.#framing)) return;
    const at = Date.now();
    this.emit('line', { at, conn: remote.id, line, bytes: frame.raw.length });
    const reply = this.#table.answer(line, remote);
    if (!reply) return;
    if (reply.nextState !== null) remote.state = reply.nextState;
    if (reply.kind === 'unknown') this.emit('unknown', { at, conn: remote.id, line });
    if (reply.close || this.#config.mode === 'one-shot') remote.done = true;
    if (remote.queue || reply.delayMs > 0) {
      const queue = (remote.queue ??= []);
      if (queue.length >= MAX_QUEUED_REPLIES) return; // a datagram client can't be paused: drop
      queue.push(reply);
      if (!remote.queueTimer) this.#runQueue(remote);
    } else {
      this.#send(remote, reply);
    }
  }

  #send(remote: Remote, reply: Reply): void {
    this.#write(remote, reply.bytes);
    this.emit('reply', { at: Date.now(), conn: remote.id, bytes: reply.bytes.length, text: reply.text });
    if (reply.close) this.#close(remote, reply.kind === 'quit' ? 'quit' : 'rule');
    else if (this.#config.mode === 'one-shot') this.#close(remote, 'one-shot');
  }

  /** Sends queued replies in order, waiting out each one's delay once. */
  #runQueue(remote: Remote, waited = false): void {
    const queue = remote.queue;
    while (queue && queue.length > 0 && this.#remotes.has(remote.key)) {
      const next = queue[0];
      if (!next) break;
      if (next.delayMs > 0 && !waited) {
        remote.queueTimer = setTimeout(() => {
          remote.queueTimer = null;
          this.#runQueue(remote, true);
        }, next.delayMs);
        return;
      }
      waited = false;
      queue.shift();
      this.#send(remote, next);
    }
    remote.queue = null;
  }

  #write(remote: Remote, bytes: Buffer): void {
    remote.bytesOut += bytes.length;
    remote.lastActive = performance.now();
    this.#sendTo(remote.address, remote.port, bytes, remote.id);
  }

  #sendTo(address: string, port: number, bytes: Buffer, conn = 0): void {
    const socket = this.#socket;
    // Past the cap the kernel is not keeping up: drop rather than queue without end.
    // An empty reply (`reply: []`) sends nothing, not an empty datagram.
    if (!socket || bytes.length === 0 || this.#pendingSends >= MAX_PENDING_SENDS) return;
    this.#pendingSends++;
    socket.send(bytes, port, address, (error) => {
      this.#pendingSends--;
      if (error)
        this.emit('error', {
          at: Date.now(),
          conn,
          message: `cannot send to ${address}:${port}: ${error.message}`,
        });
    });
  }

  #close(remote: Remote, reason: CloseReason, message?: string): void {
    if (this.#remotes.get(remote.key) !== remote) return;
    this.#remotes.delete(remote.key);
    const held = this.#perAddress.get(remote.address);
    if (held !== undefined) {
      if (held <= 1) this.#perAddress.delete(remote.address);
      else this.#perAddress.set(remote.address, held - 1);
    }
    if (remote.queueTimer) clearTimeout(remote.queueTimer);
    remote.queueTimer = null;
    remote.queue = null;
    remote.done = true;
    this.emit('close', {
      at: Date.now(),
      conn: remote.id,
      reason,
      bytesIn: remote.bytesIn,
      bytesOut: remote.bytesOut,
      durationMs: performance.now() - remote.openedAt,
      ...(message ? { message } : {}),
    });
    if (this.#remotes.size === 0) this.#stopIdleSweep();
  }

  /** One timer finds the idle remotes, a few times per idle timeout, while any are served. */
  #sweepIdle(): void {
    const idleMs = this.#config.idleTimeoutSec * 1000;
    if (this.#idleSweep || idleMs <= 0 || this.#remotes.size === 0) return;
    const sweepMs = Math.min(1000, Math.max(5, idleMs / 8));
    this.#idleSweep = setInterval(() => {
      const now = performance.now();
      for (const remote of [...this.#remotes.values()]) {
        if (now - remote.lastActive >= idleMs && !remote.queueTimer) this.#close(remote, 'idle');
      }
    }, sweepMs);
    this.#idleSweep.unref();
  }

  #stopIdleSweep(): void {
    if (this.#idleSweep) clearInterval(this.#idleSweep);
    this.#idleSweep = null;
  }
}
