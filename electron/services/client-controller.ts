/**
 * The built-in test client as main runs it: the window's sockets live here,
 * because a sandboxed window cannot open any. It keeps the transcript the
 * window shows (with each line's bytes, for the hex view, and each
 * command's round-trip time), the command history across restarts, and
 * reconnects by itself when a line is sent.
 */
import { performance } from 'node:perf_hooks';
import { LineClient } from '../core/line-client.js';
import { escapeControlChars } from '../shared/protocol/text.js';
import { TypedEmitter } from '../core/typed-emitter.js';
import type { ClientSendOutcome, ClientSendRequest } from '../shared/ipc/ipc-contract.js';
import type { ClientEvent, ClientEventKind, ClientState, ClientTarget } from '../shared/ipc/models.js';
import { z } from 'zod';
import { JsonFileWriter, readJsonFile } from './json-file.js';
import { RingBuffer } from './ring-buffer.js';

export interface ClientControllerEvents {
  event: ClientEvent;
  state: ClientState;
}

const LINE_ENDINGS: Record<ClientSendRequest['lineEnding'], string> = { crlf: '\r\n', lf: '\n', none: '' };
export const TRANSCRIPT_KEPT = 2000;

export const HISTORY_KEPT = 200;

export class ClientController extends TypedEmitter<ClientControllerEvents> {
  readonly #client = new LineClient();
  #target: ClientTarget | null = null;
  #connecting: Promise<void> | null = null;
  #seq = 0;
  readonly #transcript = new RingBuffer<ClientEvent>(TRANSCRIPT_KEPT);
  #history: string[];
  /** When the last line was sent, until its first reply line comes back. */
  #awaitingSince: number | null = null;
  readonly #historyFile: JsonFileWriter | null;

  /**
   * @param historyFile where the command history is kept; null keeps it in
   *   memory only.
   */
  constructor(options: { historyFile?: string; history?: string[] } = {}) {
    super();
    this.#history = (options.history ?? []).slice(-HISTORY_KEPT);
    this.#historyFile = options.historyFile ? new JsonFileWriter(options.historyFile) : null;
    this.#client.on('line', ({ text, raw }) => {
      const rttMs = this.#awaitingSince === null ? undefined : performance.now() - this.#awaitingSince;
      this.#awaitingSince = null;
      this.#record('reply', escapeControlChars(text), raw, rttMs);
    });
    this.#client.on('close', ({ byPeer, error }) => {
      this.#awaitingSince = null;
      const why = error ? `closed: ${error}` : byPeer ? 'closed by the server' : 'disconnected';
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
    return { connected: this.#client.connected, target: this.#target, history: [...this.#history] };
  }

  /** Connects without sending anything (or keeps the open connection to that target). */
  async connect(target: ClientTarget): Promise<ClientSendOutcome> {
    const problem = checkTarget(target.host, target.port);
    if (problem) return { ok: false, error: problem, state: this.state };
    try {
      await this.#ensureConnected({ host: target.host.trim(), port: target.port });
      return { ok: true, state: this.state };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#record('error', message);
      return { ok: false, error: message, state: this.state };
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
  async send(req: ClientSendRequest): Promise<ClientSendOutcome> {
    const problem = checkTarget(req.host, req.port);
    if (problem) return { ok: false, error: problem, state: this.state };
    if (/[\r\n]/.test(req.line)) return { ok: false, error: 'send one line at a time', state: this.state };
    const target = { host: req.host.trim(), port: req.port };
    try {
      await this.#ensureConnected(target);
      const wire = req.line + LINE_ENDINGS[req.lineEnding];
      this.#client.send(wire);
      this.#awaitingSince = performance.now();
      this.#record('sent', escapeControlChars(req.line), Buffer.from(wire, 'utf8'));
      this.#remember(req.line);
      return { ok: true, state: this.state };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#record('error', message);
      return { ok: false, error: message, state: this.state };
    }
  }

  async disconnect(): Promise<ClientState> {
    await this.#client.close();
    return this.state;
  }

  async #ensureConnected(target: ClientTarget): Promise<void> {
    if (this.#connecting) await this.#connecting.catch(() => undefined);
    const same = this.#target?.host === target.host && this.#target.port === target.port;
    if (this.#client.connected && same) return;
    if (this.#client.connected) await this.#client.close();
    this.#target = target;
    const where = target.host.includes(':')
      ? `[${target.host}]:${target.port}`
      : `${target.host}:${target.port}`;
    this.#record('connecting', `connecting to ${where}…`);
    this.#connecting = this.#client.connect(target.host, target.port);
    try {
      await this.#connecting;
    } finally {
      this.#connecting = null;
    }
    this.#record('connected', `connected to ${where}`);
    this.emit('state', this.state);
  }

  #record(kind: ClientEventKind, text: string, raw?: Buffer, rttMs?: number): void {
    const event: ClientEvent = {
      seq: ++this.#seq,
      at: Date.now(),
      kind,
      text,
      ...(raw ? { hex: toHex(raw) } : {}),
      ...(rttMs === undefined ? {} : { rttMs: Math.round(rttMs * 100) / 100 }),
    };
    this.#transcript.push(event);
    this.emit('event', event);
  }

  /** Adds a sent line to the history (not twice in a row) and saves it. */
  #remember(line: string): void {
    if (line.trim() === '' || this.#history.at(-1) === line) return;
    this.#history.push(line);
    if (this.#history.length > HISTORY_KEPT) this.#history.splice(0, this.#history.length - HISTORY_KEPT);
    // Losing the history file is no reason to fail a send.
    void this.#historyFile
      ?.write({ version: 1, history: this.#history }, 'the command history')
      .catch(() => undefined);
  }
}

function toHex(bytes: Buffer): string {
  return bytes
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ')
    .toUpperCase();
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
