/**
 * Turns forwarded traffic into a command table (docs/forwarding.md,
 * "Recording"): what the upstream sent before the first request is the
 * greeting, and each distinct request is a rule whose reply is exactly what
 * the upstream sent after it, up to the next request. The first reply seen
 * for a request is the one kept.
 *
 * Requests are cut by the listener's framing; until the other framings are
 * plugged in here, LF lines (the default `lf` framing).
 */
import type { Forwarder, ForwarderEvents } from './forwarder.js';

/** Rules one recording may hold (the command table's own limit). */
export const MAX_RECORDED_RULES = 1000;
/** Reply bytes kept for one request; the rest of a longer reply is cut (and counted). */
export const MAX_RECORDED_REPLY = 1024 * 1024;
/** The longest request kept; a longer one is not recorded. */
export const MAX_RECORDED_REQUEST = 64 * 1024;

export interface RecordedRule {
  pattern?: string;
  bytes?: string;
  replyBytes?: string;
  reply?: string[];
}

export interface RecordedTable {
  name: string;
  framing: 'lf';
  builtins: { help: false; quit: false };
  unknown: string;
  greeting?: string[];
  /** The greeting's exact bytes, where they are not lines with one ending. */
  greetingBytes?: string;
  replyEnding?: string;
  commands: RecordedRule[];
}

export interface RecordingStats {
  requests: number;
  rules: number;
  /** Requests not recorded: the rule limit was reached, or the request was too long. */
  skipped: number;
  /** Replies cut at {@link MAX_RECORDED_REPLY}. */
  truncated: number;
}

/** Bytes as the table format writes them: hex pairs separated by spaces. */
export function toHex(bytes: Buffer): string {
  return (bytes.toString('hex').match(/../g) ?? []).join(' ');
}

/** A pattern matching exactly `text` (RE2 syntax). */
export function exactPattern(text: string): string {
  return `^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}

/** The request's text, when text says it exactly: valid UTF-8, no control bytes, nothing the server's trimming would lose. */
function exactText(frame: Buffer): string | null {
  const text = frame.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(frame)) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(text)) return null;
  if (text !== text.replace(/^[ \t]+|[ \t]+$/g, '')) return null;
  return text;
}

/** Greeting bytes as lines with one ending, when they are that. */
function greetingLines(bytes: Buffer): { lines: string[]; ending: string } | null {
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) return null;
  const ending = text.endsWith('\r\n') ? '\r\n' : text.endsWith('\n') ? '\n' : null;
  if (!ending) return null;
  const lines = text.slice(0, -ending.length).split(ending);
  // eslint-disable-next-line no-control-regex
  if (lines.some((l) => /[\x00-\x08\x0a-\x1f\x7f]/.test(l))) return null;
  // Template braces are written doubled so they are sent as they are.
  return { lines: lines.map((l) => l.replace(/\{/g, '{{')), ending };
}

interface Conversation {
  /** Client bytes not yet a whole line. */
  partial: Buffer[];
  partialLength: number;
  /** Too long to record: dropped until the next line end. */
  skipping: boolean;
  /** The request whose reply is being collected; null before the first. */
  current: string | null;
  reply: Buffer[];
  replyLength: number;
  greeting: Buffer[];
  greetingLength: number;
}

export class Recorder {
  readonly #rules = new Map<string, RecordedRule>();
  readonly #conversations = new Map<number, Conversation>();
  #greeting: Buffer | null = null;
  readonly #stats: RecordingStats = { requests: 0, rules: 0, skipped: 0, truncated: 0 };
  readonly #detach: (() => void)[] = [];

  constructor(
    forwarder: Forwarder,
    private readonly source = 'a forwarded upstream',
  ) {
    this.#detach.push(
      forwarder.on('open', (e) => this.#conversations.set(e.conn, newConversation())),
      forwarder.on('chunk', (e) => this.#chunk(e)),
      forwarder.on('close', (e) => this.#finish(e.conn)),
    );
  }

  get stats(): Readonly<RecordingStats> {
    return { ...this.#stats, rules: this.#rules.size };
  }

  /** Stops listening; what was recorded stays. */
  detach(): void {
    for (const off of this.#detach.splice(0)) off();
    for (const conn of this.#conversations.keys()) this.#finish(conn);
  }

  /** The command table recorded so far (open conversations count up to now). */
  table(): RecordedTable {
    const table: RecordedTable = {
      name: `Recorded from ${this.source}`,
      framing: 'lf',
      builtins: { help: false, quit: false },
      unknown: '',
      commands: [],
    };
    const greeting = this.#greeting;
    if (greeting && greeting.length > 0) {
      const lines = greetingLines(greeting);
      if (lines) {
        table.greeting = lines.lines;
        table.replyEnding = lines.ending;
      } else {
        table.greetingBytes = toHex(greeting);
      }
    }
    const pending = new Map<string, RecordedRule>();
    for (const conversation of this.#conversations.values()) {
      if (conversation.current !== null && !this.#rules.has(conversation.current)) {
        pending.set(conversation.current, rule(conversation.current, Buffer.concat(conversation.reply)));
      }
    }
    table.commands = [...this.#rules.values(), ...pending.values()].slice(0, MAX_RECORDED_RULES);
    return table;
  }

  #chunk(e: ForwarderEvents['chunk']): void {
    const conversation = this.#conversations.get(e.conn);
    if (!conversation) return;
    if (e.direction === 'upstream') this.#upstreamBytes(conversation, e.bytes);
    else this.#clientBytes(conversation, e.bytes);
  }

  #upstreamBytes(c: Conversation, bytes: Buffer): void {
    if (c.current === null) {
      if (this.#greeting !== null || c.greetingLength >= MAX_RECORDED_REPLY) return;
      c.greeting.push(Buffer.from(bytes.subarray(0, MAX_RECORDED_REPLY - c.greetingLength)));
      c.greetingLength += Math.min(bytes.length, MAX_RECORDED_REPLY - c.greetingLength);
      return;
    }
    // A reply already recorded for this request needs no second copy.
    if (this.#rules.has(c.current)) return;
    if (c.replyLength >= MAX_RECORDED_REPLY) return;
    const room = MAX_RECORDED_REPLY - c.replyLength;
    if (bytes.length > room) this.#stats.truncated++;
    const kept = Buffer.from(bytes.subarray(0, room));
    c.reply.push(kept);
    c.replyLength += kept.length;
  }

  #clientBytes(c: Conversation, bytes: Buffer): void {
    let start = 0;
    for (let lf = bytes.indexOf(0x0a); lf !== -1; lf = bytes.indexOf(0x0a, start)) {
      this.#hold(c, bytes.subarray(start, lf));
      if (!c.skipping) {
        let line = Buffer.concat(c.partial);
        if (line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
        this.#request(c, line);
      }
      c.partial = [];
      c.partialLength = 0;
      c.skipping = false;
      start = lf + 1;
    }
    this.#hold(c, bytes.subarray(start));
  }

  #hold(c: Conversation, piece: Buffer): void {
    if (c.skipping || piece.length === 0) return;
    if (c.partialLength + piece.length > MAX_RECORDED_REQUEST + 1) {
      c.skipping = true;
      c.partial = [];
      c.partialLength = 0;
      this.#stats.skipped++;
      return;
    }
    c.partial.push(Buffer.from(piece));
    c.partialLength += piece.length;
  }

  /** A whole request came: the reply collected so far belongs to the one before. */
  #request(c: Conversation, frame: Buffer): void {
    // The server answers no blank line: what follows one still belongs to the request before.
    if (frame.toString('utf8').trim() === '') return;
    this.#settle(c, true);
    this.#stats.requests++;
    const text = exactText(frame);
    const key = text === null ? `bytes:${toHex(frame)}` : `text:${text}`;
    if (!this.#rules.has(key) && this.#rules.size >= MAX_RECORDED_RULES) this.#stats.skipped++;
    c.current = key;
    c.reply = [];
    c.replyLength = 0;
  }

  /**
   * Keeps the reply collected for the current request, if it is the first
   * seen; before the first request, the greeting (`requested`: a request
   * came, so an empty greeting is the upstream's answer too).
   */
  #settle(c: Conversation, requested: boolean): void {
    if (c.current === null) {
      if (this.#greeting === null && (requested || c.greetingLength > 0))
        this.#greeting = Buffer.concat(c.greeting);
      c.greeting = [];
      c.greetingLength = 0;
      return;
    }
    if (!this.#rules.has(c.current) && this.#rules.size < MAX_RECORDED_RULES) {
      this.#rules.set(c.current, rule(c.current, Buffer.concat(c.reply)));
    }
  }

  #finish(conn: number): void {
    const c = this.#conversations.get(conn);
    if (!c) return;
    this.#settle(c, false);
    this.#conversations.delete(conn);
  }
}

function newConversation(): Conversation {
  return {
    partial: [],
    partialLength: 0,
    skipping: false,
    current: null,
    reply: [],
    replyLength: 0,
    greeting: [],
    greetingLength: 0,
  };
}

function rule(key: string, reply: Buffer): RecordedRule {
  const match: RecordedRule = key.startsWith('text:')
    ? { pattern: exactPattern(key.slice('text:'.length)) }
    : { bytes: key.slice('bytes:'.length) };
  // An empty list sends nothing: the upstream answered nothing.
  return reply.length === 0 ? { ...match, reply: [] } : { ...match, replyBytes: toHex(reply) };
}
