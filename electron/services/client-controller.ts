/**
 * The built-in test client as main runs it: the window's sockets live here,
 * because a sandboxed window cannot open any. It keeps the conversation the
 * window shows, as a stream in the order things happened: each send, and
 * each piece received as it arrived (cut at line ends; bytes without a line
 * end shown at once), with its time and bytes. It keeps the command history
 * across restarts, and reconnects by itself when a line is sent.
 *
 * A round-trip time is given only where an answer clearly belongs to a
 * request: the first bytes received after a send, when nothing else was
 * sent before they came.
 */
import { performance } from 'node:perf_hooks';
import { LineClient, type ServerCertificate } from '../core/line-client.js';
import { escapeControlChars } from '../shared/protocol/text.js';
import { TypedEmitter } from '../core/typed-emitter.js';
import type { ClientSendOutcome, ClientSendRequest } from '../shared/ipc/ipc-contract.js';
import type { ClientEvent, ClientEventKind, ClientState, ClientTarget } from '../shared/ipc/models.js';
import {
  addsLineEnding,
  decodeInput,
  fitsHistory,
  HISTORY_KEPT,
  NOT_IN_HISTORY,
  type InputMode,
} from '../shared/ipc/client-input.js';
import type { FramingField } from '../shared/protocol/table-framing.js';
import { z } from 'zod';
import { JsonFileWriter, readJsonFile } from './json-file.js';
import { RingBuffer } from './ring-buffer.js';

export { HISTORY_KEPT };

export interface ClientControllerEvents {
  event: ClientEvent;
  state: ClientState;
}

const LINE_ENDINGS: Record<ClientSendRequest['lineEnding'], string> = {
  crlf: '\r\n',
  lf: '\n',
  cr: '\r',
  none: '',
};
export const TRANSCRIPT_KEPT = 2000;
/**
 * A row shows at most this many bytes (as text and as hex); the rest is
 * counted: 2,000 rows of text and hex stay near 35 MB at most, in main and in the window.
 */
export const ROW_SHOWN_BYTES = 4 * 1024;
/**
 * A Send that opens the connection first waits this long for a greeting
 * (or until the server's first bytes), so a banner is shown as received
 * before the command and is not taken for its answer.
 */
export const GREETING_WAIT_MS = 200;
/** History changes are written at most this often: a burst of sends is one write. */
export const HISTORY_SAVE_DELAY_MS = 1000;

interface Awaiting {
  since: number;
  /** Something else was sent before any answer came: no answer can be pinned to one send. */
  ambiguous: boolean;
}

interface RecordDetails {
  raw?: Uint8Array;
  rttMs?: number;
  unterminated?: boolean;
  continued?: boolean;
  inputMode?: 'hex' | 'escapes';
}

export class ClientController extends TypedEmitter<ClientControllerEvents> {
  readonly #client = new LineClient();
  #target: ClientTarget | null = null;
  /** How the open connection cuts what it receives (docs/framing.md). */
  #framing: FramingField = 'lf';
  #connecting: Promise<void> | null = null;
  /** Sends run one after another, so they reach the wire (and the transcript) in the order asked. */
  #sends: Promise<unknown> = Promise.resolve();
  #seq = 0;
  readonly #transcript = new RingBuffer<ClientEvent>(TRANSCRIPT_KEPT);
  #history: string[];
  #awaiting: Awaiting | null = null;
  /** Bytes of the line still being received that are already shown. */
  #pendingShown = 0;
  /** Whether the server sent anything (or closed) since the connection opened. */
  #heard = false;
  readonly #historyFile: JsonFileWriter | null;
  #historySave: NodeJS.Timeout | null = null;
  /** The save under way, if any. */
  #saving: Promise<void> = Promise.resolve();

  /**
   * @param historyFile where the command history is kept; null keeps it in
   *   memory only.
   */
  constructor(options: { historyFile?: string; history?: string[] } = {}) {
    super();
    this.#history = (options.history ?? []).filter(fitsHistory).slice(-HISTORY_KEPT);
    this.#historyFile = options.historyFile ? new JsonFileWriter(options.historyFile) : null;
    this.#client.on('line', ({ raw }) => {
      // The part of this line not shown yet: all of it, unless its start came earlier without a line end.
      const already = Math.min(this.#pendingShown, raw.length);
      this.#pendingShown -= already;
      const rest = raw.subarray(already);
      if (rest.length === 0) return;
      this.#received(rest, { continued: already > 0, unterminated: !frameEnded(raw, this.#framing) });
    });
    this.#client.on('received', ({ pending }) => {
      if (pending.length <= this.#pendingShown) return;
      const continued = this.#pendingShown > 0;
      const fresh = pending.subarray(this.#pendingShown);
      this.#pendingShown = pending.length;
      this.#received(fresh, { continued, unterminated: true });
    });
    this.#client.on('close', ({ byPeer, error }) => {
      this.#awaiting = null;
      this.#heard = true;
      this.#pendingShown = 0;
      // UDP has no connection a server could close: only the socket here is.
      const why =
        this.#target?.transport === 'udp'
          ? `UDP socket closed${error ? `: ${error}` : ''}`
          : error
            ? `closed: ${error}`
            : byPeer
              ? 'closed by the server'
              : 'disconnected';
      this.#record('closed', why);
      this.emit('state', this.state);
    });
  }

  /** Reads the history kept in `file` (missing or damaged: start empty). */
  static async open(file: string): Promise<ClientController> {
    const read = await readJsonFile(file, parseHistory, 'starting with an empty history');
    return new ClientController({ historyFile: file, history: read.value ?? [] });
  }

  get state(): ClientState {
    const certificate = this.serverCertificate;
    return {
      connected: this.#client.connected,
      target: this.#target,
      ...(certificate ? { certificate } : {}),
    };
  }

  /** The certificate of the TLS server connected to (subject, issuer, validity, SHA-256); null otherwise. */
  get serverCertificate(): ServerCertificate | null {
    return this.#client.connected ? this.#client.serverCertificate : null;
  }

  /** Lines sent, oldest first: for the snapshot only, never with every change. */
  get history(): string[] {
    return [...this.#history];
  }

  /** Connects without sending anything (or keeps the open connection to that target). */
  async connect(target: ClientTarget & { framing?: FramingField }): Promise<ClientSendOutcome> {
    const problem = checkTarget(target.host, target.port);
    if (problem) return { ok: false, error: problem, state: this.state };
    try {
      const { framing, ...where } = target;
      await this.#ensureConnected({ ...where, host: where.host.trim() }, framing);
      return { ok: true, state: this.state };
    } catch (error) {
      // Said once, in the answer: the window shows it; the transcript does not repeat it.
      return { ok: false, error: messageOf(error), state: this.state };
    }
  }

  /** Empties the transcript (not the history). */
  clear(): ClientState {
    this.#transcript.clear();
    return this.state;
  }

  get transcript(): ClientEvent[] {
    return this.#transcript.toArray();
  }

  /** Sends one line, connecting first when no connection to that target is open. */
  send(req: ClientSendRequest): Promise<ClientSendOutcome> {
    const sent = this.#sends.then(() => this.#sendNow(req));
    this.#sends = sent.catch(() => undefined);
    return sent;
  }

  async #sendNow(req: ClientSendRequest): Promise<ClientSendOutcome> {
    const problem = checkTarget(req.host, req.port);
    if (problem) return { ok: false, error: problem, state: this.state };
    const mode: InputMode = req.inputMode ?? 'text';
    const decoded = decodeInput(req.line, mode);
    if (!decoded.ok) return { ok: false, error: decoded.error, state: this.state };
    const ending = addsLineEnding(mode) ? LINE_ENDINGS[req.lineEnding] : '';
    const wire = Buffer.concat([decoded.bytes, Buffer.from(ending, 'latin1')]);
    if (wire.length === 0) return { ok: false, error: 'nothing to send', state: this.state };
    const target: ClientTarget = { host: req.host.trim(), port: req.port };
    if (req.transport) {
      target.transport = req.transport;
      if (req.tlsVerify !== undefined) target.tlsVerify = req.tlsVerify;
    } else if (this.#target?.host === target.host && this.#target.port === target.port) {
      // A send that names no transport, to the target connected to, keeps its transport and certificate checks.
      if (this.#target.transport) target.transport = this.#target.transport;
      if (this.#target.tlsVerify !== undefined) target.tlsVerify = this.#target.tlsVerify;
    }
    try {
      const opened = await this.#ensureConnected(target, req.framing);
      if (opened) await this.#greeting();
      // The server may have closed right after its greeting (busy, one-shot).
      if (!this.#client.connected)
        throw new Error('the server closed the connection before the line was sent');
      this.#client.send(wire);
    } catch (error) {
      // Nothing went out: no transcript row; the window keeps the command in its input.
      return { ok: false, error: messageOf(error), state: this.state };
    }
    this.#awaiting = { since: performance.now(), ambiguous: this.#awaiting !== null };
    this.#record('sent', escapeControlChars(textOf(decoded.bytes.subarray(0, ROW_SHOWN_BYTES))), {
      raw: wire,
      ...(mode === 'text' ? {} : { inputMode: mode }),
    });
    const kept = this.#remember(req.line);
    return { ok: true, state: this.state, ...(kept ? {} : { notice: NOT_IN_HISTORY }) };
  }

  /** Closes the connection, and writes out a history change not saved yet. */
  async disconnect(): Promise<ClientState> {
    await Promise.all([this.#client.close(), this.flushHistory()]);
    return this.state;
  }

  /** Writes the history now if a change waits for its delayed save; resolves once it is on disk. */
  async flushHistory(): Promise<void> {
    if (this.#historySave !== null) {
      clearTimeout(this.#historySave);
      this.#historySave = null;
      this.#saving = this.#saveHistory();
    }
    await this.#saving;
  }

  /**
   * Whether it opened a new connection (false when one to `target`, cutting
   * what it receives by `framing`, was open: another framing reconnects).
   */
  async #ensureConnected(target: ClientTarget, framing: FramingField = 'lf'): Promise<boolean> {
    if (this.#connecting) await this.#connecting.catch(() => undefined);
    const same =
      this.#target?.host === target.host &&
      this.#target.port === target.port &&
      JSON.stringify(this.#framing) === JSON.stringify(framing) &&
      sameTransport(this.#target, target);
    if (this.#client.connected && same) return false;
    if (this.#client.connected) await this.#client.close();
    this.#target = target;
    this.#framing = framing;
    this.#awaiting = null;
    this.#pendingShown = 0;
    this.#heard = false;
    const where = target.host.includes(':')
      ? `[${target.host}]:${target.port}`
      : `${target.host}:${target.port}`;
    // UDP has no handshake: opening its socket is not worth a row of its own.
    if (target.transport !== 'udp') this.#record('connecting', `connecting to ${where}…`);
    this.#connecting = this.#client.connect(target.host, target.port, {
      ...transportOptions(target),
      framing,
    });
    try {
      await this.#connecting;
    } finally {
      this.#connecting = null;
    }
    this.#record(
      'connected',
      target.transport === 'udp'
        ? `UDP: datagrams to ${where} (no handshake: only replies show the server is there)`
        : `connected to ${where}${describeTransport(target, this.serverCertificate)}`,
    );
    this.emit('state', this.state);
    return true;
  }

  /** Resolves at the server's first bytes or close, or after {@link GREETING_WAIT_MS}. */
  #greeting(): Promise<void> {
    if (this.#heard) return Promise.resolve();
    return new Promise((resolve) => {
      const offs: (() => void)[] = [];
      const done = (): void => {
        clearTimeout(timer);
        for (const off of offs) off();
        resolve();
      };
      const timer = setTimeout(done, GREETING_WAIT_MS);
      offs.push(this.#client.on('received', done), this.#client.on('close', done));
    });
  }

  #received(raw: Buffer, how: { continued: boolean; unterminated: boolean }): void {
    this.#heard = true;
    let rttMs: number | undefined;
    if (this.#awaiting && !this.#awaiting.ambiguous) rttMs = performance.now() - this.#awaiting.since;
    this.#awaiting = null;
    const shown = raw.subarray(0, ROW_SHOWN_BYTES);
    // A line's end is shown in hex, not as text; a line cut short keeps every byte in its text.
    const textEnd =
      how.unterminated || shown.length < raw.length ? shown.length : lineTextEnd(shown, this.#framing);
    this.#record('reply', escapeControlChars(textOf(shown.subarray(0, textEnd))), {
      raw,
      ...(rttMs === undefined ? {} : { rttMs }),
      ...(how.unterminated ? { unterminated: true } : {}),
      ...(how.continued ? { continued: true } : {}),
    });
  }

  #record(kind: ClientEventKind, text: string, details: RecordDetails = {}): void {
    const { raw, rttMs } = details;
    const omitted = raw && raw.length > ROW_SHOWN_BYTES ? raw.length - ROW_SHOWN_BYTES : 0;
    const event: ClientEvent = {
      seq: ++this.#seq,
      at: Date.now(),
      kind,
      text,
      ...(raw ? { hex: toHex(raw.subarray(0, ROW_SHOWN_BYTES)), bytes: raw.length } : {}),
      ...(omitted > 0 ? { omitted } : {}),
      ...(details.unterminated ? { unterminated: true } : {}),
      ...(details.continued ? { continued: true } : {}),
      ...(details.inputMode ? { inputMode: details.inputMode } : {}),
      ...(rttMs === undefined ? {} : { rttMs: Math.round(rttMs * 100) / 100 }),
    };
    this.#transcript.push(event);
    this.emit('event', event);
  }

  /**
   * Adds a sent line to the history (not twice in a row, not a blank one)
   * and saves it a little later. Returns false for a line too long to keep.
   */
  #remember(line: string): boolean {
    if (line.trim() === '') return true;
    if (!fitsHistory(line)) return false;
    if (this.#history.at(-1) === line) return true;
    this.#history.push(line);
    if (this.#history.length > HISTORY_KEPT) this.#history.splice(0, this.#history.length - HISTORY_KEPT);
    if (this.#historyFile && this.#historySave === null) {
      this.#historySave = setTimeout(() => {
        this.#historySave = null;
        this.#saving = this.#saveHistory();
      }, HISTORY_SAVE_DELAY_MS);
      // A pending save never keeps the process alive; quitting flushes it (disconnect).
      this.#historySave.unref();
    }
    return true;
  }

  #saveHistory(): Promise<void> {
    // Losing the history file is no reason to fail a send.
    return (
      this.#historyFile
        ?.write({ version: 1, history: this.#history }, 'the command history')
        .catch(() => undefined) ?? Promise.resolve()
    );
  }
}

/** The bytes that end a frame of `framing`, or null for framings without a terminator. */
function terminatorOf(framing: FramingField): Buffer | null {
  if (framing === 'lf') return Buffer.from('\n');
  if (framing === 'crlf') return Buffer.from('\r\n');
  if (framing === 'cr') return Buffer.from('\r');
  if (framing === 'nul') return Buffer.from([0]);
  if (typeof framing === 'object' && 'delimiter' in framing) return Buffer.from(framing.delimiter, 'latin1');
  return null;
}

/** Whether a frame handed out ends as its framing ends frames (the last one, at close, may not). */
function frameEnded(raw: Buffer, framing: FramingField): boolean {
  const terminator = terminatorOf(framing);
  return terminator === null || raw.subarray(raw.length - terminator.length).equals(terminator);
}

/** Where a received line's text ends: before its terminator (for `lf`, a CR before the LF too). */
function lineTextEnd(raw: Buffer, framing: FramingField): number {
  const terminator = terminatorOf(framing);
  if (terminator === null || !frameEnded(raw, framing)) return raw.length;
  const end = raw.length - terminator.length;
  return framing === 'lf' && end > 0 && raw[end - 1] === 0x0d ? end - 1 : end;
}

function textOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ')
    .toUpperCase();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function parseHistory(json: unknown): string[] | string {
  const parsed = z.object({ history: z.array(z.string()) }).safeParse(json);
  return parsed.success ? parsed.data.history : 'not a command history';
}

function checkTarget(host: string, port: number): string | null {
  if (host.trim() === '' || /[\s/\\]/.test(host.trim())) return `invalid client host "${host}"`;
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    return `invalid client port ${port}: use 1 to 65535`;
  return null;
}

/** The connect options a target asks for: its transport, and TLS checks on unless turned off. */
function transportOptions(target: ClientTarget): {
  transport: 'tcp' | 'tls' | 'udp';
  tls?: { verify: boolean };
} {
  const transport = target.transport ?? 'tcp';
  return transport === 'tls' ? { transport, tls: { verify: target.tlsVerify ?? true } } : { transport };
}

function sameTransport(a: ClientTarget, b: ClientTarget): boolean {
  return (a.transport ?? 'tcp') === (b.transport ?? 'tcp') && (a.tlsVerify ?? true) === (b.tlsVerify ?? true);
}

/** What the connected row adds for TLS: the server's certificate. */
function describeTransport(target: ClientTarget, certificate: ServerCertificate | null): string {
  if (target.transport !== 'tls' || !certificate) return '';
  const c = certificate;
  const checked = c.verified ? 'trusted' : 'not checked';
  return (
    ` over ${c.protocol}, ${c.cipher}; certificate ${c.subject}, issued by ${c.issuer}, ` +
    `valid ${c.validFrom} to ${c.validTo}, SHA-256 ${c.fingerprint256} (${checked})`
  );
}
