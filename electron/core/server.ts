/**
 * The line-protocol server (docs/protocol.md, docs/server-limits.md) on plain Node sockets.
 *
 * It never imports electron. The desktop app, browser mode and the headless
 * command line all drive this class and learn what happens only through its
 * typed events.
 */
import type net from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  CLASSIC_TABLE,
  compileTable,
  type CommandTable,
  type CompiledTable,
  START_STATE,
  type Reply,
} from './command-table.js';
import {
  createFramer,
  framingConfigOf,
  isLineFraming,
  requestText,
  type Frame,
  type Framer,
  type FramingConfig,
} from './framing/index.js';
import { PushScheduler } from './push-scheduler.js';
import { checkListenAddress, describeListenError, type StartFailure } from './start-errors.js';
import { DEFAULT_SETTINGS, type ServerSettings } from '../shared/protocol/settings.js';
import {
  tcpTransport,
  type ConnectionInfo,
  type ListenFactory,
  type TransportListener,
} from './transport.js';
import { TypedEmitter } from './typed-emitter.js';
import { DelayedReplies } from './delayed-replies.js';
import { DEFAULT_MAX_SWEEP_MS, IdleSweeper, type Expiry, type Watched } from './idle-sweeper.js';
import { clearPauses, pauseReading, resumeReading, type Pausable } from './read-pauses.js';
import { TurnScheduler } from './turn-scheduler.js';
import { escapeControlChars } from '../shared/protocol/text.js';
import { Admission, SYSTEM_DESCRIPTORS, type DescriptorSource, type RejectReason } from './admission.js';
import type { ConnectionCapacity } from './fd-limit.js';
import { ToxicTransport } from './toxic-transport.js';
import type { Toxic } from '../shared/protocol/toxics.js';

/**
 * The server's settings are the app's (electron/shared/settings.ts): port 0
 * picks any free port, an idle timeout of 0 means never.
 */
export type ServerConfig = ServerSettings;
export type SessionMode = ServerSettings['mode'];
export const DEFAULT_CONFIG: Readonly<ServerConfig> = DEFAULT_SETTINGS;

export type CloseReason =
  | 'eof' // the client half-closed and every line was answered
  | 'quit'
  | 'one-shot'
  | 'rule' // a command table rule asked to close
  | 'line-too-long'
  | 'idle'
  | 'line-timeout' // a line begun longer ago than the line timeout was still unfinished
  | 'stop'
  | 'backpressure' // the client read too little of what it asked for
  | 'reset' // the client went away without a clean close
  | 'error'
  | 'closed-by-user'; // closeConnection(): the window (or a script) closed it

/** Timestamps are milliseconds since the epoch; `conn` 0 is the server itself. */
export interface ServerEvents {
  listening: { at: number; conn: 0; host: string; port: number };
  /** `tls`: the version and cipher agreed, on a TLS listener (docs/listeners.md). */
  open: { at: number; conn: number; remoteAddress: string; remotePort: number } & ConnectionInfo;
  /** `bytes` counts the line as it arrived: `SONG\r\n` is 6, a final `QUOTE` with no line end 5. */
  line: { at: number; conn: number; line: string; bytes: number };
  /** A line no rule of the table matched (it is answered by the unknown reply). */
  unknown: { at: number; conn: number; line: string };
  reply: { at: number; conn: number; bytes: number; text: string };
  close: {
    at: number;
    conn: number;
    reason: CloseReason;
    bytesIn: number;
    bytesOut: number;
    durationMs: number;
    message?: string;
  };
  rejected: {
    at: number;
    conn: number;
    remoteAddress: string;
    remotePort: number;
    /** `busy`: at max connections; `per-remote`: its address holds its share (max per remote). */
    reason: RejectReason;
  };
  error: { at: number; conn: number; message: string };
  stopped: { at: number; conn: 0; closed: number; durationMs: number };
  /**
   * Every line and reply of one connection from one read (or one timer), in
   * order, with one timestamp: one event per drain instead of one per line
   * and reply (docs/server-limits.md). Its arrays are reused: read them
   * while the event runs.
   */
  batch: ExchangeBatch;
}

/** Row kinds of an {@link ExchangeBatch}. */
export const LINE_ROW = 0;
export const REPLY_ROW = 1;

/**
 * Lines and replies as columns: row `i` (below `length`) is a line the
 * client sent (`kinds[i]` LINE_ROW: its trimmed text, its bytes as they
 * arrived, whether no rule matched it) or a reply (REPLY_ROW: its text and
 * bytes on the wire). Entries at and past `length` are stale.
 */
export interface ExchangeBatch {
  at: number;
  conn: number;
  length: number;
  readonly kinds: number[];
  readonly texts: string[];
  readonly bytes: number[];
  readonly unknown: boolean[];
}

export type { RejectReason };

export type StartResult = { ok: true; host: string; port: number } | StartFailure;

export interface StopReport {
  /** Connections open when Stop was asked for, all of them closed now. */
  closed: number;
  durationMs: number;
}

export type ServerState = 'stopped' | 'starting' | 'running' | 'stopping';

/** Output waiting for a client past which the server stops reading from it. */
export const SOFT_OUTPUT_CAP = 64 * 1024;
/** Output waiting for a client past which the connection is closed. */
export const HARD_OUTPUT_CAP = 1024 * 1024;
/**
 * Reply bytes all connections together may write in one turn of the event
 * loop; connections with more to answer wait for the next turn, in order
 * (see turn-scheduler.ts).
 */
export const TURN_OUTPUT_BUDGET = 256 * 1024;
/**
 * Request bytes and lines all connections together may frame in one turn:
 * input that gets no reply (a flood of blank lines) costs time too.
 */
export const TURN_INPUT_BUDGET = 256 * 1024;
export const TURN_LINE_BUDGET = 1024;
/** Delayed replies that may wait on one connection before the server stops reading from it. */
export const MAX_QUEUED_REPLIES = 1000;

/** The server's own timings: fixed in use, shorter in tests. */
export interface ServerTimings {
  /** How long a closing connection may take to say goodbye before it is cut. */
  closeGraceMs: number;
  /** The longest pause between two idle sweeps, whatever the timeouts. */
  maxSweepMs: number;
}

export const DEFAULT_TIMINGS: Readonly<ServerTimings> = Object.freeze({
  closeGraceMs: 2000,
  maxSweepMs: DEFAULT_MAX_SWEEP_MS,
});
/** How long a closing connection may take to say goodbye before it is cut. */
export const CLOSE_GRACE_MS = DEFAULT_TIMINGS.closeGraceMs;

const ERR_LINE_TOO_LONG = Buffer.from('ERR line too long\r\n');
const ERR_IDLE = Buffer.from('ERR idle timeout\r\n');
const ERR_LINE_TIMEOUT = Buffer.from('ERR line timeout\r\n');

interface Connection extends Pausable, Watched {
  readonly id: number;
  readonly socket: net.Socket;
  /** Its remote address, counted in the server's per-address share. */
  readonly remoteAddress: string;
  /** Cuts the client's bytes into requests by the table's framing (docs/framing.md). */
  readonly framer: Framer;
  readonly openedAt: number;
  bytesIn: number;
  bytesOut: number;
  /** Set once the connection is on its way out: no more lines are answered. */
  closeReason: CloseReason | null;
  closeMessage: string | undefined;
  /** The client half-closed. */
  eof: boolean;
  /** A reply that ends the conversation (QUIT, one-shot, a closing rule) is chosen: answer nothing more. */
  done: boolean;
  /** Replies waiting behind a delayed one; `null` when nothing waits, which is nearly always. */
  delayed: DelayedReplies<Reply> | null;
  /** Its state in the command table's conversation (docs/command-tables.md): `start` at connect. */
  state: string;
  graceTimer: NodeJS.Timeout | null;
}

/** The connection a socket serves, for the listeners all sockets share. */
const CONNECTION = Symbol('connection');
type ServedSocket = net.Socket & { [CONNECTION]?: Connection };

/** Read through a call, since answering a line may have started the close. */
function isClosing(conn: Connection): boolean {
  return conn.closeReason !== null;
}

export interface LineServerOptions {
  timings?: Partial<ServerTimings>;
  /** How clients connect: plain TCP by default, or TLS (tls-listener.ts). */
  transport?: ListenFactory;
  /** Where the descriptor limit and count come from (fd-limit.ts); replaced in tests. */
  descriptors?: DescriptorSource;
}

export class LineServer extends TypedEmitter<ServerEvents> {
  #state: ServerState = 'stopped';
  #config: ServerConfig = { ...DEFAULT_CONFIG };
  #table: CompiledTable;
  readonly #timings: ServerTimings;
  #server: net.Server | null = null;
  readonly #transport: ListenFactory;
  /** The toxics on every connection (toxic-transport.ts), wrapping the transport. */
  readonly #toxics: ToxicTransport;
  /** The transport's side of the running listener: the sockets it has not handed out yet. */
  #listener: TransportListener | null = null;
  readonly #connections = new Map<number, Connection>();
  /** Bytes read from and written to every connection since the server was made. */
  readonly #traffic = { bytesIn: 0, bytesOut: 0 };
  /** Who may connect, and the newcomers turned away (Stop closes them too). */
  readonly #admission: Admission;
  #nextId = 1;
  #starting: Promise<StartResult> | null = null;
  #stopping: Promise<StopReport> | null = null;
  #address: { host: string; port: number } | null = null;
  /** Set while Stop waits for the last socket to report its close. */
  #whenAllClosed: (() => void) | null = null;
  /** Closes the connections silent for too long, or slow to finish a line; it runs only while connections are open. */
  readonly #sweeper: IdleSweeper<Connection>;
  /** Shares each turn of the event loop among the connections with lines to answer. */
  readonly #turns = new TurnScheduler<Connection>(
    { outputBytes: TURN_OUTPUT_BUDGET, inputBytes: TURN_INPUT_BUDGET, lines: TURN_LINE_BUDGET },
    (conn) => this.#takeTurn(conn),
  );
  /** Socket listeners shared by every connection: one set per server, not five closures per socket. */
  readonly #socketListeners = LineServer.#listenersFor(this);
  /** The table's framing, as new connections' framers are built from it. */
  #framing: FramingConfig = 'lf';
  #lineFraming = true;
  /** The table's pushes, one timer each; none when the table has none. */
  #pushes: PushScheduler<Connection>[] = [];
  /** The rows of the drain under way (see ExchangeBatch); `#batchDepth` > 0 while one is open. */
  /** Set while {@link holdReading} holds: the connections paused by it, to read again on release. */
  #held: Set<Connection> | null = null;
  readonly #batch: ExchangeBatch = {
    at: 0,
    conn: 0,
    length: 0,
    kinds: [],
    texts: [],
    bytes: [],
    unknown: [],
  };
  #batchDepth = 0;

  constructor(table: CommandTable = CLASSIC_TABLE, options: LineServerOptions = {}) {
    super();
    this.#table = compileTable(table);
    this.#framing = framingConfigOf(this.#table.framing);
    this.#lineFraming = isLineFraming(this.#framing);
    this.#timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.#toxics = new ToxicTransport(options.transport ?? tcpTransport, this.#table.toxics);
    this.#transport = this.#toxics.listen;
    this.#admission = new Admission(
      options.descriptors ?? SYSTEM_DESCRIPTORS,
      this.#timings.closeGraceMs,
      () => this.#checkAllClosed(),
    );
    this.#sweeper = new IdleSweeper(
      () => this.#connections.values(),
      (conn, why) => this.#expire(conn, why),
      this.#timings.maxSweepMs,
    );
  }

  get state(): ServerState {
    return this.#state;
  }

  /** The address it listens on while running. */
  get address(): { host: string; port: number } | null {
    return this.#address;
  }

  get config(): Readonly<ServerConfig> {
    return this.#config;
  }

  get activeConnections(): number {
    return this.#connections.size;
  }

  /** Bytes read from and written to all connections since the server was made, as they flow. */
  get traffic(): { readonly bytesIn: number; readonly bytesOut: number } {
    return { bytesIn: this.#traffic.bytesIn, bytesOut: this.#traffic.bytesOut };
  }

  /**
   * The connections it holds at once while running, and why that is fewer
   * than max connections where it is (the process's descriptor limit).
   */
  get capacity(): Readonly<ConnectionCapacity> {
    return this.#admission.capacity;
  }

  /** The names HELP lists. */
  get commandNames(): readonly string[] {
    return this.#table.names;
  }

  /**
   * Replaces the command table while the server runs: lines from now on are
   * answered by the new one, and no connection is dropped. Throws, changing
   * nothing, if the table is not valid.
   */
  setTable(table: CommandTable): void {
    this.#table = compileTable(table);
    // Connections open now keep the framing they started with: a stream is not re-cut midway.
    this.#framing = framingConfigOf(this.#table.framing);
    this.#lineFraming = isLineFraming(this.#framing);
    this.#toxics.tableChanged(this.#table.toxics);
    // Open connections keep their state; the new table's pushes start for them now.
    if (this.#state === 'running') this.#schedulePushes();
  }

  /**
   * Stops reading from every client until {@link releaseReading}: what they
   * send waits in their sockets (and TCP slows them down), nothing is
   * dropped. The durable log holds the server this way while it is behind
   * (docs/server-limits.md). Replies already taken still go out.
   */
  holdReading(): void {
    this.#held ??= new Set();
  }

  /** Reads from every client again, answering what waits. */
  releaseReading(): void {
    const held = this.#held;
    this.#held = null;
    if (!held) return;
    for (const conn of held) {
      if (!isClosing(conn) && resumeReading(conn, 'hold')) this.#serveLines(conn);
    }
  }

  /** True while {@link holdReading} holds. */
  get readingHeld(): boolean {
    return this.#held !== null;
  }

  /** The table being served. */
  get table(): CommandTable {
    return this.#table.source;
  }

  /** The toxics acting on the connections (docs/forwarding.md): the table's, or as set since. */
  get toxics(): readonly Toxic[] {
    return this.#toxics.toxics;
  }

  /** Replaces the toxics; open connections take them at once. */
  setToxics(toxics: readonly Toxic[]): void {
    this.#toxics.setToxics(toxics);
  }

  /**
   * Sends `bytes` to one open connection, as a reply is sent and logged (a
   * reply row in a batch). False when that connection is not open or is closing.
   */
  sendTo(connId: number, bytes: Uint8Array): boolean {
    const conn = this.#connections.get(connId);
    if (!conn || isClosing(conn) || conn.socket.destroyed || conn.socket.writableEnded) return false;
    const buffer = Buffer.from(bytes);
    this.#write(conn, buffer);
    this.#reportReply(connId, buffer.length, buffer.toString('utf8'));
    return true;
  }

  /** Sends `bytes` to every open connection that is not closing; answers how many got them. */
  broadcast(bytes: Uint8Array): number {
    let sent = 0;
    for (const id of [...this.#connections.keys()]) if (this.sendTo(id, bytes)) sent++;
    return sent;
  }

  /**
   * Closes one connection as a closing rule does: what was sent goes out,
   * then FIN; logged as a close with reason `closed-by-user`. False when it
   * is not open (or already closing).
   */
  closeConnection(connId: number): boolean {
    const conn = this.#connections.get(connId);
    if (!conn || isClosing(conn)) return false;
    this.#finish(conn, 'closed-by-user');
    return true;
  }

  /**
   * Starts listening. A failure (port in use, no permission, address not on
   * this machine, invalid host or port) comes back as data, never thrown.
   */
  async start(config: Partial<ServerConfig> = {}): Promise<StartResult> {
    if (this.#stopping) await this.#stopping;
    if (this.#state !== 'stopped') {
      const where = this.#address ? `${this.#address.host}:${this.#address.port}` : 'its port';
      return { ok: false, code: 'EBUSY', message: `the server is already running on ${where}` };
    }
    const full: ServerConfig = { ...DEFAULT_CONFIG, ...config };
    const invalid = checkListenAddress(full.host, full.port);
    if (invalid) return invalid;

    this.#state = 'starting';
    this.#config = full;
    this.#sweeper.configure({ idleMs: full.idleTimeoutSec * 1000, lineMs: full.lineTimeoutSec * 1000 });
    this.#starting = this.#listen(full);
    try {
      return await this.#starting;
    } finally {
      this.#starting = null;
    }
  }

  #listen(config: ServerConfig): Promise<StartResult> {
    const listener = this.#transport((socket, info) => this.#accept(socket, info));
    const server = listener.server;
    return new Promise<StartResult>((resolve) => {
      const onError = (error: Error): void => {
        server.close();
        this.#state = 'stopped';
        resolve(describeListenError(error, config.host, config.port));
      };
      server.once('error', onError);
      server.listen({ host: config.host, port: config.port, backlog: 511 }, () => {
        server.off('error', onError);
        server.on('error', (error: NodeJS.ErrnoException) => this.#onListenerError(error));
        const bound = server.address() as net.AddressInfo;
        this.#server = server;
        this.#listener = listener;
        this.#address = { host: config.host, port: bound.port };
        this.#state = 'running';
        const { warning } = this.#admission.open(config.maxConnections, config.maxPerRemote);
        this.#schedulePushes();
        this.emit('listening', { at: Date.now(), conn: 0, host: config.host, port: bound.port });
        if (warning) this.emit('error', { at: Date.now(), conn: 0, message: warning });
        resolve({ ok: true, host: config.host, port: bound.port });
      });
    });
  }

  /**
   * Closes the listener and every open connection at once, whatever the
   * clients are doing. Resolves when all of them are closed. Calling it again
   * while it runs returns the same report; calling it during a start stops
   * the server as soon as the start has settled.
   */
  stop(): Promise<StopReport> {
    if (this.#stopping) return this.#stopping;
    this.#stopping = this.#stop().finally(() => {
      this.#stopping = null;
    });
    return this.#stopping;
  }

  async #stop(): Promise<StopReport> {
    if (this.#starting) await this.#starting;
    const t0 = performance.now();
    const server = this.#server;
    if (!server) return { closed: 0, durationMs: 0 };
    this.#state = 'stopping';
    for (const push of this.#pushes) push.stop();
    this.#pushes = [];
    const closed = this.#connections.size;
    // server.close stops accepting at once; its callback runs when the
    // listener and every socket it handed out are closed. Our own 'close'
    // events come a tick later, so wait for those too: Stop is done when
    // every connection has been reported closed.
    const listenerClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Sockets the transport still holds (TLS handshakes) are no connections of ours yet.
    this.#listener?.destroyPending();
    this.#listener = null;
    const socketsClosed = new Promise<void>((resolve) => {
      this.#whenAllClosed = resolve;
      this.#checkAllClosed();
    });
    for (const conn of this.#connections.values()) {
      if (!conn.closeReason) {
        conn.closeReason = 'stop';
        const cut = cutOffByStop(conn.framer);
        if (cut) conn.closeMessage = cut;
      }
      conn.socket.destroy();
    }
    this.#admission.destroyLingering();
    await Promise.all([listenerClosed, socketsClosed]);
    this.#sweeper.stop();
    this.#admission.close();
    this.#server = null;
    this.#address = null;
    this.#state = 'stopped';
    const report = { closed, durationMs: performance.now() - t0 };
    this.emit('stopped', { at: Date.now(), conn: 0, ...report });
    return report;
  }

  /**
   * The listener failed to accept. Out of descriptors, give the spare back so
   * that the next newcomer can be accepted and told `ERR server busy`, and
   * say so once; every other error is reported as it is.
   */
  #onListenerError(error: NodeJS.ErrnoException): void {
    if (error.code !== 'EMFILE' && error.code !== 'ENFILE') {
      this.emit('error', { at: Date.now(), conn: 0, message: error.message });
      return;
    }
    if (!this.#admission.outOfDescriptors()) return;
    this.emit('error', {
      at: Date.now(),
      conn: 0,
      message:
        `out of file descriptors (${error.code}) with ${this.#connections.size} connections open: ` +
        `newcomers are told ERR server busy until some close; raise ulimit -n to serve more`,
    });
  }

  /** A listener of ours threw: report it; the server and the connection go on. */
  protected override listenerFailed(event: keyof ServerEvents, error: unknown): void {
    if (event === 'error') return; // the reporter itself failed: nothing left to tell
    const message = error instanceof Error ? error.message : String(error);
    this.emit('error', { at: Date.now(), conn: 0, message: `a listener of "${event}" failed: ${message}` });
  }

  #accept(socket: net.Socket, info: ConnectionInfo): void {
    try {
      this.#admit(socket, info);
    } catch (error) {
      // Whatever went wrong with this one socket, the listener keeps serving.
      socket.destroy();
      const message = error instanceof Error ? error.message : String(error);
      this.emit('error', { at: Date.now(), conn: 0, message: `could not accept a connection: ${message}` });
    }
  }

  #admit(socket: net.Socket, info: ConnectionInfo): void {
    const id = this.#nextId++;
    const remoteAddress = socket.remoteAddress ?? '';
    const remotePort = socket.remotePort ?? 0;
    // A connect that raced with Stop: the listener is closing, so is this.
    if (this.#state !== 'running') {
      socket.destroy();
      return;
    }
    const refused = this.#admission.admit(remoteAddress, this.#connections.size);
    if (refused) {
      this.#admission.turnAway(socket, refused);
      this.emit('rejected', { at: Date.now(), conn: id, remoteAddress, remotePort, reason: refused });
      return;
    }
    const conn: Connection = {
      id,
      socket,
      remoteAddress,
      framer: createFramer(this.#framing, this.#config.maxLineBytes, {
        // The `raw` framing's gap elapsed: a request is ready outside any socket event.
        onReady: () => this.#serveLines(conn),
      }),
      openedAt: performance.now(),
      bytesIn: 0,
      bytesOut: 0,
      closeReason: null,
      closeMessage: undefined,
      pausedFor: 0,
      eof: false,
      done: false,
      delayed: null,
      state: START_STATE,
      graceTimer: null,
      activeSweep: this.#sweeper.now,
      lineSweep: -1,
    };
    this.#connections.set(id, conn);
    this.emit('open', { at: Date.now(), conn: id, remoteAddress, remotePort, ...info });
    this.#greet(conn);
    for (const push of this.#pushes) push.add(conn);

    (socket as ServedSocket)[CONNECTION] = conn;
    const listeners = this.#socketListeners;
    socket.on('data', listeners.data);
    socket.on('end', listeners.end);
    socket.on('drain', listeners.drain);
    socket.on('error', listeners.error);
    socket.on('close', listeners.close);
    this.#sweeper.start();
  }

  static #listenersFor(server: LineServer): {
    data: (this: ServedSocket, chunk: Buffer) => void;
    end: (this: ServedSocket) => void;
    drain: (this: ServedSocket) => void;
    error: (this: ServedSocket, error: NodeJS.ErrnoException) => void;
    close: (this: ServedSocket) => void;
  } {
    return {
      data(chunk) {
        const conn = this[CONNECTION];
        if (conn) server.#onData(conn, chunk);
      },
      end() {
        const conn = this[CONNECTION];
        if (!conn) return;
        conn.eof = true;
        // What the client sent last is a request too (a partial fixed or length-field frame is dropped).
        conn.framer.end();
        server.#serveLines(conn);
      },
      drain() {
        // The client has read its replies down to nothing: read its lines again.
        const conn = this[CONNECTION];
        if (conn && resumeReading(conn, 'backpressure')) server.#serveLines(conn);
      },
      error(error) {
        const conn = this[CONNECTION];
        if (!conn || conn.closeReason) return;
        conn.closeReason = error.code === 'ECONNRESET' || error.code === 'EPIPE' ? 'reset' : 'error';
        conn.closeMessage = error.message;
      },
      close() {
        const conn = this[CONNECTION];
        if (conn) server.#onClose(conn);
      },
    };
  }

  #expire(conn: Connection, why: Expiry): void {
    if (why === 'idle') this.#finish(conn, 'idle', ERR_IDLE);
    else this.#finish(conn, 'line-timeout', ERR_LINE_TIMEOUT);
  }

  #onData(conn: Connection, chunk: Buffer): void {
    conn.bytesIn += chunk.length;
    this.#traffic.bytesIn += chunk.length;
    conn.activeSweep = this.#sweeper.now;
    if (conn.closeReason || conn.done) return; // on its way out: drain and drop
    conn.framer.push(chunk);
    this.#serveLines(conn);
  }

  /**
   * Answers every complete line held, unless something says to wait: the
   * client's unread output is too large, this turn's budget is spent, or
   * too many replies wait behind a delayed one.
   */
  #serveLines(conn: Connection): void {
    const socket = conn.socket;
    if (conn.closeReason || conn.pausedFor !== 0) return;
    if (this.#held) {
      pauseReading(conn, 'hold');
      this.#held.add(conn);
      return;
    }
    socket.cork();
    this.#openBatch(conn.id);
    // Each call answers at least one line, budget or not: a newcomer (and
    // any client with little to ask) is answered in the turn its line
    // arrives, never queued behind the connections that spend whole turns.
    let answered = 0;
    try {
      while (!conn.done) {
        if (socket.writableLength >= SOFT_OUTPUT_CAP) {
          // Resumed by the socket's 'drain'.
          pauseReading(conn, 'backpressure');
          return;
        }
        if (this.#turns.exhausted && answered > 0) {
          pauseReading(conn, 'budget');
          this.#turns.wait(conn);
          return;
        }
        if (conn.delayed && conn.delayed.length >= MAX_QUEUED_REPLIES) {
          // Resumed once the waiting replies have gone out.
          pauseReading(conn, 'delayed-reply');
          return;
        }
        const held = conn.framer.buffered;
        const frame = conn.framer.next();
        if (frame === null) {
          // An unfinished line starts the line timeout, from its first byte on.
          if (conn.lineSweep < 0 && conn.framer.buffered > 0) conn.lineSweep = this.#sweeper.now;
          break;
        }
        conn.lineSweep = -1;
        if (frame.overLimit) {
          this.#finish(conn, 'line-too-long', ERR_LINE_TOO_LONG);
          return;
        }
        // What the framer let go of: the request with its line end, as it arrived.
        const arrived = held - conn.framer.buffered;
        this.#turns.spendLine(arrived);
        this.#answer(conn, frame, arrived);
        answered++;
        if (isClosing(conn)) return;
      }
      if (conn.eof && !conn.done) {
        // The framer has handed out the last request, the final fragment included.
        const dropped = conn.framer.droppedAtEnd.length;
        if (dropped > 0)
          conn.closeMessage = `${dropped} bytes of an unfinished frame dropped at the end of input`;
        // Every line is answered (or waits its turn): nothing more will come.
        conn.done = true;
        if (!conn.delayed && !isClosing(conn)) this.#finish(conn, 'eof');
      }
    } catch (error) {
      // A fault in one connection's handling closes that connection only.
      const message = error instanceof Error ? error.message : String(error);
      this.#closeBatch(); // the rows before the fault come first
      this.#batchDepth++; // balanced by the finally below
      this.emit('error', { at: Date.now(), conn: conn.id, message });
      conn.closeReason = 'error';
      conn.closeMessage = message;
      socket.destroy();
    } finally {
      // The replies go out first; the log hears of them right after.
      socket.uncork();
      this.#closeBatch();
    }
  }

  /** Starts collecting rows for `conn` (nested calls join the open batch; another connection's is sent first). */
  #openBatch(conn: number): void {
    const batch = this.#batch;
    if (this.#batchDepth > 0 && batch.conn !== conn) {
      this.#batchDepth = 1;
      this.#closeBatch();
    }
    if (this.#batchDepth++ === 0) {
      batch.at = Date.now();
      batch.conn = conn;
      batch.length = 0;
    }
  }

  /** Ends what {@link #openBatch} began; the outermost end sends the rows, if any. */
  #closeBatch(): void {
    if (this.#batchDepth === 0 || --this.#batchDepth > 0) return;
    const batch = this.#batch;
    if (batch.length === 0) return;
    try {
      this.emit('batch', batch);
    } finally {
      batch.length = 0;
    }
  }

  /** Adds a row to the open batch, or sends it as a batch of its own; returns the batch's time. */
  #row(conn: number, kind: number, text: string, bytes: number, unknown: boolean): number {
    const alone = this.#batchDepth === 0 || this.#batch.conn !== conn;
    if (alone) this.#openBatch(conn);
    const batch = this.#batch;
    const i = batch.length++;
    batch.kinds[i] = kind;
    batch.texts[i] = text;
    batch.bytes[i] = bytes;
    batch.unknown[i] = unknown;
    const at = batch.at;
    if (alone) this.#closeBatch();
    return at;
  }

  /** Reports a reply sent: in the batch, and as a `reply` event to whoever listens for those. */
  #reportReply(conn: number, bytes: number, text: string): void {
    const at = this.#row(conn, REPLY_ROW, text, bytes, false);
    if (this.hasListeners('reply')) this.emit('reply', { at, conn, bytes, text });
  }

  /** Its turn has come in a new turn of the event loop. */
  #takeTurn(conn: Connection): void {
    if (isClosing(conn) || conn.socket.destroyed) return;
    if (resumeReading(conn, 'budget')) this.#serveLines(conn);
  }

  /**
   * Answers one request; `arrived` counts its bytes as they came, line end
   * included. The log and the table see the same text: a trimmed UTF-8 line
   * for line framings, the bytes as latin1 for the others (nothing lost).
   */
  #answer(conn: Connection, frame: Frame, arrived: number): void {
    const line = requestText(frame, this.#framing);
    if (line === '' && this.#lineFraming) return;
    // #serveLines holds a batch open for this connection: the row stays in it until the drain ends.
    const at = this.#row(conn.id, LINE_ROW, line, arrived, false);
    const row = this.#batch.length - 1;
    if (this.hasListeners('line')) this.emit('line', { at, conn: conn.id, line, bytes: arrived });
    const reply = this.#table.answer(line, conn);
    if (!reply) return;
    // The next line is matched in the new state, even while this reply waits out its delay.
    if (reply.nextState !== null) conn.state = reply.nextState;
    if (reply.kind === 'unknown') {
      this.#batch.unknown[row] = true;
      this.emit('unknown', { at, conn: conn.id, line });
    }
    if (reply.close || this.#config.mode === 'one-shot') conn.done = true;
    if (conn.delayed || reply.delayMs > 0) (conn.delayed ??= this.#delayedReplies(conn)).push(reply);
    else this.#send(conn, reply);
  }

  /** Sends the table's greeting, if it has one, as the connection opens. */
  #greet(conn: Connection): void {
    const greeting = this.#table.greeting(conn);
    if (!greeting) return;
    this.#write(conn, greeting.bytes);
    this.#reportReply(conn.id, greeting.bytes.length, greeting.text);
  }

  /** One scheduler per push entry of the table, each with one timer for every connection. */
  #schedulePushes(): void {
    for (const push of this.#pushes) push.stop();
    this.#pushes = this.#table.pushes.map(
      (push) =>
        new PushScheduler<Connection>(
          push.everyMs,
          (conn) => {
            // A push is telemetry: a client that is not reading skips it rather than piling it up.
            if (!push.appliesTo(conn.state) || conn.socket.writableLength >= SOFT_OUTPUT_CAP) return;
            const { bytes, text } = push.render(conn);
            this.#write(conn, bytes);
            this.#reportReply(conn.id, bytes.length, text);
          },
          (conn) => !isClosing(conn) && !conn.socket.destroyed,
        ),
    );
    for (const conn of this.#connections.values()) for (const push of this.#pushes) push.add(conn);
  }

  #delayedReplies(conn: Connection): DelayedReplies<Reply> {
    return new DelayedReplies<Reply>({
      send: (reply) => this.#send(conn, reply),
      closing: () => isClosing(conn),
      drained: () => {
        conn.delayed = null;
        if (isClosing(conn)) return;
        if (conn.done && conn.eof) this.#finish(conn, 'eof');
        else if (resumeReading(conn, 'delayed-reply')) this.#serveLines(conn);
      },
    });
  }

  #send(conn: Connection, reply: Reply): void {
    this.#write(conn, reply.bytes);
    this.#reportReply(conn.id, reply.bytes.length, reply.text);
    if (reply.close) this.#finish(conn, reply.kind === 'quit' ? 'quit' : 'rule');
    else if (this.#config.mode === 'one-shot') this.#finish(conn, 'one-shot');
  }

  #write(conn: Connection, bytes: Buffer): void {
    conn.bytesOut += bytes.length;
    this.#traffic.bytesOut += bytes.length;
    conn.activeSweep = this.#sweeper.now;
    this.#turns.spendOutput(bytes.length);
    conn.socket.write(bytes);
    if (conn.socket.writableLength > HARD_OUTPUT_CAP) {
      conn.closeReason = 'backpressure';
      conn.closeMessage = `more than ${HARD_OUTPUT_CAP} bytes of replies were left unread`;
      conn.socket.destroy();
    }
  }

  /**
   * Ends a connection politely: sends what is left (and `last`), then FIN.
   * A client that does not close its side within the grace period is cut.
   */
  #finish(conn: Connection, reason: CloseReason, last?: Buffer): void {
    if (conn.closeReason) return;
    conn.closeReason = reason;
    if (last) {
      conn.bytesOut += last.length;
      this.#traffic.bytesOut += last.length;
      conn.socket.end(last);
    } else conn.socket.end();
    // Keep reading (and dropping) so that the client's FIN is seen and the
    // socket closes on its own; the timer covers clients that never send it.
    this.#turns.withdraw(conn);
    clearPauses(conn);
    conn.graceTimer = setTimeout(() => conn.socket.destroy(), this.#timings.closeGraceMs);
  }

  #onClose(conn: Connection): void {
    if (conn.graceTimer) clearTimeout(conn.graceTimer);
    conn.framer.close();
    conn.delayed?.cancel();
    conn.delayed = null;
    this.#turns.withdraw(conn);
    this.#held?.delete(conn);
    this.#connections.delete(conn.id);
    this.#admission.release(conn.remoteAddress);
    this.emit('close', {
      at: Date.now(),
      conn: conn.id,
      reason: conn.closeReason ?? 'reset',
      bytesIn: conn.bytesIn,
      bytesOut: conn.bytesOut,
      durationMs: performance.now() - conn.openedAt,
      ...(conn.closeMessage ? { message: conn.closeMessage } : {}),
    });
    this.#checkAllClosed();
  }

  #checkAllClosed(): void {
    if (this.#whenAllClosed && this.#connections.size === 0 && this.#admission.lingering === 0) {
      this.#whenAllClosed();
      this.#whenAllClosed = null;
    }
  }
}

/** Characters of an unfinished line a close names at most. */
const CUT_PREVIEW_CHARS = 80;

/**
 * What Stop cut off of a connection's input, for its close: requests that
 * had arrived whole but were not answered yet, and the unfinished line
 * (escaped, shortened, with its bytes).
 */
function cutOffByStop(framer: Framer): string | undefined {
  if (framer.buffered === 0) return undefined;
  let waiting = 0;
  while (framer.next() !== null) waiting++;
  const held = framer.buffered;
  // The framer's end makes the partial line a frame of its own, as a client's EOF would.
  framer.end();
  const partial = held > 0 ? framer.next() : null;
  framer.close();
  const parts: string[] = [];
  if (waiting > 0) parts.push(`${waiting} ${waiting === 1 ? 'request' : 'requests'} not answered yet`);
  if (partial && !partial.overLimit) {
    const text = partial.request.toString('utf8');
    const shown = text.length > CUT_PREVIEW_CHARS ? `${text.slice(0, CUT_PREVIEW_CHARS)}…` : text;
    parts.push(
      `an unfinished line cut off (${held} ${held === 1 ? 'byte' : 'bytes'}): "${escapeControlChars(shown)}"`,
    );
  } else if (held > 0) parts.push(`${held} bytes of an unfinished request cut off`);
  return parts.length > 0 ? parts.join('; ') : undefined;
}
