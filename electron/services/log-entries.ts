/**
 * Turns the server core's events into connection-log rows.
 *
 * The window, the durable log file and the command line's output all show
 * these rows, so a connection reads the same wherever you look at it.
 */
import { LINE_ROW, type CloseReason, type ExchangeBatch, type ServerEvents } from '../core/server.js';
import { formatAddress } from '../shared/protocol/address.js';
import { escapeControlChars } from '../shared/protocol/text.js';
import type { LogCloseReason, LogEntry, LogKind, LogRecord } from '../shared/ipc/models.js';

const CLOSE_REASONS: Record<CloseReason, string> = {
  eof: 'client closed',
  quit: 'QUIT',
  'one-shot': 'one-shot reply sent',
  rule: 'closed by rule',
  'line-too-long': 'line too long',
  idle: 'idle timeout',
  'line-timeout': 'line not finished in time',
  stop: 'server stopped',
  backpressure: 'client not reading its replies',
  reset: 'connection reset',
  error: 'error',
  'closed-by-user': 'closed on request',
};

export type EntryDraft = Omit<LogRecord, 'seq'>;

/** Builds log rows from core events; remembers each connection's remote address. */
export class LogEntryMaker {
  readonly #remotes = new Map<number, string>();
  /** The last reply described, and its description. */
  #replyText = '';
  #replyBytes = -1;
  #replyDetail = '';

  listening(e: ServerEvents['listening']): EntryDraft {
    return draft(e.at, 0, '', 'listening', `listening on ${formatAddress(e.host, e.port)}`);
  }

  open(e: ServerEvents['open']): EntryDraft {
    const remote = formatAddress(e.remoteAddress, e.remotePort);
    this.#remotes.set(e.conn, remote);
    return draft(e.at, e.conn, remote, 'open', 'connected');
  }

  line(e: ServerEvents['line']): EntryDraft {
    return lineRow(e.at, e.conn, this.#remote(e.conn), e.line, e.bytes);
  }

  reply(e: ServerEvents['reply']): EntryDraft {
    // A fixed reply is the same text every time: describe it once, not per row.
    if (e.text !== this.#replyText || e.bytes !== this.#replyBytes) {
      this.#replyText = e.text;
      this.#replyBytes = e.bytes;
      this.#replyDetail = replyDetail(e.text, e.bytes);
    }
    return replyRow(e.at, e.conn, this.#remote(e.conn), e.text, e.bytes, this.#replyDetail);
  }

  /** Row `i` of a core batch (see ExchangeBatch), as the line and reply events above would make it. */
  batchRow(batch: ExchangeBatch, i: number): EntryDraft {
    const text = batch.texts[i] ?? '';
    const bytes = batch.bytes[i] ?? 0;
    if (batch.kinds[i] === LINE_ROW) return this.line({ at: batch.at, conn: batch.conn, line: text, bytes });
    return this.reply({ at: batch.at, conn: batch.conn, text, bytes });
  }

  /** The `address:port` of an open connection ('' for one not known). */
  remoteOf(conn: number): string {
    return this.#remote(conn);
  }

  close(e: ServerEvents['close']): EntryDraft {
    const remote = this.#remote(e.conn);
    this.#remotes.delete(e.conn);
    const why = CLOSE_REASONS[e.reason] + (e.message ? `: ${e.message}` : '');
    const seconds = (e.durationMs / 1000).toFixed(e.durationMs < 10_000 ? 3 : 1);
    const row = draft(
      e.at,
      e.conn,
      remote,
      'close',
      `closed (${why}); ${e.bytesIn} bytes in, ${e.bytesOut} out, ${seconds} s`,
    );
    // Typed so that a close reason the core adds must be named here too.
    const reason: LogCloseReason = e.reason;
    row.reason = reason;
    row.bytesIn = e.bytesIn;
    row.bytesOut = e.bytesOut;
    row.durationMs = e.durationMs;
    return row;
  }

  rejected(e: ServerEvents['rejected']): EntryDraft {
    return draft(
      e.at,
      e.conn,
      formatAddress(e.remoteAddress, e.remotePort),
      'rejected',
      e.reason === 'busy' ? 'rejected: server busy' : 'rejected: too many connections from this address',
    );
  }

  error(e: ServerEvents['error']): EntryDraft {
    return draft(e.at, e.conn, this.#remote(e.conn), 'error', escapeControlChars(e.message));
  }

  stopped(e: ServerEvents['stopped']): EntryDraft {
    return draft(e.at, 0, '', 'stopped', `stopped (${connections(e.closed)} closed)`);
  }

  /** A start that failed: logged like any other server event, so the log tells the whole story. */
  startFailed(at: number, message: string): EntryDraft {
    return draft(at, 0, '', 'error', `start failed: ${escapeControlChars(message)}`);
  }

  #remote(conn: number): string {
    return this.#remotes.get(conn) ?? '';
  }
}

/** What the log shows for a line: its text with control bytes escaped. */
export function lineDetail(text: string): string {
  return escapeControlChars(text);
}

/**
 * What the log shows for a reply: its lines escaped and joined with ⏎, and
 * its size. Split at the real line ends first: text that only reads
 * "\x0D\x0A" (a client can type that) must not be shown as a line break.
 */
export function replyDetail(text: string, bytes: number): string {
  const lines = text.replace(/\r\n$/, '').split('\r\n').map(escapeControlChars).join(' ⏎ ');
  return `${lines} (${bytes} bytes)`;
}

export function lineRow(
  at: number,
  conn: number,
  remote: string,
  text: string,
  bytes: number,
  detail = lineDetail(text),
): EntryDraft {
  const row = draft(at, conn, remote, 'line', detail);
  row.dir = 'in';
  row.text = text;
  row.bytes = bytes;
  return row;
}

export function replyRow(
  at: number,
  conn: number,
  remote: string,
  text: string,
  bytes: number,
  detail = replyDetail(text, bytes),
): EntryDraft {
  const row = draft(at, conn, remote, 'reply', detail);
  row.dir = 'out';
  row.text = text;
  row.bytes = bytes;
  return row;
}

/** `1 connection`, `3 connections`. */
export function connections(n: number): string {
  return n === 1 ? '1 connection' : `${n} connections`;
}

function draft(at: number, conn: number, remote: string, kind: LogKind, detail: string): EntryDraft {
  return { at, conn, remote, kind, detail };
}

/** One log row as a line of text, for the command line and plain-text exports. */
export function formatEntry(entry: LogEntry): string {
  const time = new Date(entry.at).toISOString();
  const who = entry.conn === 0 ? 'server' : `#${entry.conn} ${entry.remote}`;
  return `${time} ${who} ${entry.kind} ${entry.detail}`;
}
