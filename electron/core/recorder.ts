/**
 * Turns forwarded traffic into a command table (docs/forwarding.md,
 * "Recording"): what the upstream sent before the first request is the
 * greeting, and each distinct request is a rule whose reply is exactly what
 * the upstream sent after it, up to the next request. The first reply seen
 * for a request is the one kept.
 *
 * Requests are cut by the listener's framing (electron/core/framing). A
 * request begins with its first byte: with a `raw` framing the upstream
 * answers before the pause that ends the request, and that answer is still
 * the request's.
 */
import {
  MAX_BYTES_PATTERN_CHARS,
  MAX_REPLY_BYTES,
  MAX_TABLE_FILE_BYTES,
} from '../shared/protocol/command-table.js';
import { createFramer, isLineFraming, type Framer, type FramingConfig } from './framing/index.js';
import { exactPattern, literalTemplate } from '../shared/protocol/literals.js';
import type { Forwarder, ForwarderEvents } from './forwarder.js';

/** Rules one recording may hold (the command table's own limit). */
export const MAX_RECORDED_RULES = 1000;
/** Reply bytes kept for one request (a table's reply limit); the rest of a longer reply is cut (and counted). */
export const MAX_RECORDED_REPLY = MAX_REPLY_BYTES;
/** The longest request kept, one a `bytes` rule can still say; a longer one is not recorded. */
export const MAX_RECORDED_REQUEST = Math.floor((MAX_BYTES_PATTERN_CHARS + 1) / 3);
/** Reply bytes all rules together may hold, so the recording stays a table file that can be read back. */
export const MAX_RECORDED_TOTAL = Math.floor(MAX_TABLE_FILE_BYTES / 3) - 64 * 1024;
/** The longest pattern a rule may have. */
const MAX_PATTERN_CHARS = 1000;

export interface RecordedRule {
  pattern?: string;
  bytes?: string;
  replyBytes?: string;
  reply?: string[];
}

export interface RecordedTable {
  name: string;
  framing: FramingConfig;
  builtins: { help: false; quit: false };
  unknown: string;
  greeting?: string[];
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
  /** The upstream's greeting was not text lines with one ending, which a table cannot send exactly. */
  greetingOmitted: boolean;
}

/** Bytes as the table format writes them: hex pairs separated by spaces. */
export function toHex(bytes: Buffer): string {
  return (bytes.toString('hex').match(/../g) ?? []).join(' ');
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
  return { lines: lines.map(literalTemplate), ending };
}

/** The request being answered: its key once its last byte came (null until then). */
interface Exchange {
  key: string | null;
  reply: Buffer[];
  replyLength: number;
}

interface Conversation {
  readonly framer: Framer;
  /** The request being answered; null before the first. */
  current: Exchange | null;
  /** The one before, while `current` is still arriving (a blank line gives it its place back). */
  previous: Exchange | null;
  /** Parts of a request over the limit are being dropped, up to its tail. */
  skipping: boolean;
  greeting: Buffer[];
  greetingLength: number;
}

export class Recorder {
  readonly #rules = new Map<string, RecordedRule>();
  readonly #conversations = new Map<number, Conversation>();
  #greeting: Buffer | null = null;
  #total = 0;
  readonly #stats: RecordingStats = {
    requests: 0,
    rules: 0,
    skipped: 0,
    truncated: 0,
    greetingOmitted: false,
  };
  readonly #detach: (() => void)[] = [];
  readonly #lines: boolean;

  constructor(
    forwarder: Forwarder,
    private readonly source = 'a forwarded upstream',
    private readonly framing: FramingConfig = 'lf',
  ) {
    this.#lines = isLineFraming(framing);
    this.#detach.push(
      forwarder.on('open', (e) => this.#open(e.conn)),
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
    for (const conn of [...this.#conversations.keys()]) this.#finish(conn);
  }

  /** The command table recorded so far (open conversations count up to now). */
  table(): RecordedTable {
    const table: RecordedTable = {
      name: `Recorded from ${this.source}`,
      framing: this.framing,
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
      }
    }
    const pending = new Map<string, RecordedRule>();
    for (const c of this.#conversations.values()) {
      const key = c.current?.key;
      if (key && !this.#rules.has(key) && c.current)
        pending.set(key, rule(key, Buffer.concat(c.current.reply)));
    }
    table.commands = [...this.#rules.values(), ...pending.values()].slice(0, MAX_RECORDED_RULES);
    return table;
  }

  #open(conn: number): void {
    const framer = createFramer(this.framing, MAX_RECORDED_REQUEST, {
      // A long request comes in parts (all but the tail marked): skipped, and the conversation goes on.
      overLimit: 'split',
      onReady: () => this.#frames(conn),
    });
    this.#conversations.set(conn, {
      framer,
      current: null,
      previous: null,
      skipping: false,
      greeting: [],
      greetingLength: 0,
    });
  }

  #chunk(e: ForwarderEvents['chunk']): void {
    const c = this.#conversations.get(e.conn);
    if (!c) return;
    if (e.direction === 'upstream') {
      this.#upstreamBytes(c, e.bytes);
      return;
    }
    // Nothing of a request waits: these bytes begin a new one, and what the
    // upstream sends from now on is its answer.
    if (c.framer.buffered === 0) this.#begin(c);
    try {
      c.framer.push(e.bytes);
    } catch {
      return; // a framer past its limit takes nothing more
    }
    this.#frames(e.conn);
  }

  #begin(c: Conversation): void {
    if (c.current === null) this.#settleGreeting(c, true);
    else if (c.current.key !== null) {
      c.previous = c.current;
    }
    c.current = { key: null, reply: [], replyLength: 0 };
  }

  /** Takes every request the framer has completed. */
  #frames(conn: number): void {
    const c = this.#conversations.get(conn);
    if (!c) return;
    for (let frame = c.framer.next(); frame; frame = c.framer.next()) {
      if (frame.overLimit) {
        if (!c.skipping) this.#stats.skipped++;
        c.skipping = true;
      } else if (c.skipping) {
        c.skipping = false; // the long request's tail
      } else {
        this.#request(c, frame.request);
      }
    }
  }

  #upstreamBytes(c: Conversation, bytes: Buffer): void {
    const current = c.current;
    if (current === null) {
      if (this.#greeting !== null || c.greetingLength >= MAX_RECORDED_REPLY) return;
      const kept = bytes.subarray(0, MAX_RECORDED_REPLY - c.greetingLength);
      c.greeting.push(Buffer.from(kept));
      c.greetingLength += kept.length;
      return;
    }
    // A reply already recorded for this request needs no second copy.
    if (current.key !== null && this.#rules.has(current.key)) return;
    if (current.replyLength >= MAX_RECORDED_REPLY) return;
    const room = MAX_RECORDED_REPLY - current.replyLength;
    if (bytes.length > room) this.#stats.truncated++;
    const kept = Buffer.from(bytes.subarray(0, room));
    current.reply.push(kept);
    current.replyLength += kept.length;
  }

  /** A whole request came. */
  #request(c: Conversation, request: Buffer): void {
    const current = c.current;
    // The server answers no blank line: what follows one still belongs to the request before.
    if (this.#lines && request.toString('utf8').trim() === '') {
      if (current && current.key === null && c.previous) {
        c.previous.reply.push(...current.reply);
        c.previous.replyLength += current.replyLength;
        c.current = c.previous;
        c.previous = null;
      }
      return;
    }
    this.#stats.requests++;
    const key = this.#key(request);
    if (current && current.key === null) {
      if (c.previous) this.#settle(c.previous);
      c.previous = null;
      current.key = key;
    } else {
      // Pipelined: a second request in the same read.
      if (current) this.#settle(current);
      c.current = { key, reply: [], replyLength: 0 };
    }
  }

  #key(request: Buffer): string {
    const text = this.#lines ? exactText(request) : null;
    if (text !== null && exactPattern(text).length <= MAX_PATTERN_CHARS) return `text:${text}`;
    return `bytes:${toHex(request)}`;
  }

  /** Keeps an exchange's reply, if it is the first seen for its request and there is room. */
  #settle(exchange: Exchange): void {
    const key = exchange.key;
    if (key === null || this.#rules.has(key)) return;
    if (this.#rules.size >= MAX_RECORDED_RULES || this.#total + exchange.replyLength > MAX_RECORDED_TOTAL) {
      this.#stats.skipped++;
      return;
    }
    this.#total += exchange.replyLength;
    this.#rules.set(key, rule(key, Buffer.concat(exchange.reply)));
  }

  /**
   * Before the first request: the greeting (`requested`: a request came, so
   * an empty greeting is the upstream's answer too).
   */
  #settleGreeting(c: Conversation, requested: boolean): void {
    if (this.#greeting === null && (requested || c.greetingLength > 0)) {
      this.#greeting = Buffer.concat(c.greeting);
      if (this.#greeting.length > 0 && !greetingLines(this.#greeting)) this.#stats.greetingOmitted = true;
    }
    c.greeting = [];
    c.greetingLength = 0;
  }

  #finish(conn: number): void {
    const c = this.#conversations.get(conn);
    if (!c) return;
    try {
      c.framer.end();
      this.#frames(conn);
    } catch {
      // a framer past its limit: what it held is not a request
    }
    c.framer.close();
    if (c.current === null) this.#settleGreeting(c, false);
    else {
      if (c.previous) this.#settle(c.previous);
      this.#settle(c.current);
    }
    this.#conversations.delete(conn);
  }
}

function rule(key: string, reply: Buffer): RecordedRule {
  const match: RecordedRule = key.startsWith('text:')
    ? { pattern: exactPattern(key.slice('text:'.length)) }
    : { bytes: key.slice('bytes:'.length) };
  // An empty list sends nothing: the upstream answered nothing.
  return reply.length === 0 ? { ...match, reply: [] } : { ...match, replyBytes: toHex(reply) };
}
