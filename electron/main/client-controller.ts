/**
 * The built-in test client as main runs it: the window's sockets live here,
 * because a sandboxed window cannot open any. It keeps the transcript the
 * window shows and reconnects by itself when a line is sent.
 */
import { LineClient } from '../core/line-client.js';
import { escapeControlChars } from '../core/text.js';
import { TypedEmitter } from '../core/typed-emitter.js';
import type { ClientSendOutcome, ClientSendRequest } from '../shared/ipc-contract.js';
import type { ClientEvent, ClientEventKind, ClientState, ClientTarget } from '../shared/models.js';
import { RingBuffer } from './ring-buffer.js';

export interface ClientControllerEvents {
  event: ClientEvent;
  state: ClientState;
}

const LINE_ENDINGS: Record<ClientSendRequest['lineEnding'], string> = { crlf: '\r\n', lf: '\n', none: '' };
export const TRANSCRIPT_KEPT = 2000;

export class ClientController extends TypedEmitter<ClientControllerEvents> {
  readonly #client = new LineClient();
  #target: ClientTarget | null = null;
  #connecting: Promise<void> | null = null;
  #seq = 0;
  readonly #transcript = new RingBuffer<ClientEvent>(TRANSCRIPT_KEPT);

  constructor() {
    super();
    this.#client.on('line', ({ text }) => this.#record('reply', escapeControlChars(text)));
    this.#client.on('close', ({ byPeer, error }) => {
      const why = error ? `closed: ${error}` : byPeer ? 'closed by the server' : 'disconnected';
      this.#record('closed', why);
      this.emit('state', this.state);
    });
  }

  get state(): ClientState {
    return { connected: this.#client.connected, target: this.#target };
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
      this.#client.send(req.line + LINE_ENDINGS[req.lineEnding]);
      this.#record('sent', escapeControlChars(req.line));
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
    const where = target.host.includes(':') ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
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

  #record(kind: ClientEventKind, text: string): void {
    const event: ClientEvent = { seq: ++this.#seq, at: Date.now(), kind, text };
    this.#transcript.push(event);
    this.emit('event', event);
  }
}

function checkTarget(host: string, port: number): string | null {
  if (host.trim() === '' || /[\s/\\]/.test(host.trim())) return `invalid client host "${host}"`;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `invalid client port ${port}: use 1 to 65535`;
  return null;
}
