/**
 * One connection's whole conversation, gathered from connection-log rows:
 * what it sent, what it got back, and how it ended (main writes the byte
 * counts, duration and reason into the close row's detail).
 */
import type { LogEntry } from '../../../electron/shared/ipc/models';

export interface Conversation {
  conn: number;
  remote: string;
  /** Every row of the connection, oldest first. */
  rows: readonly LogEntry[];
  /** When it connected, or null when that row is no longer in the window. */
  openedAt: number | null;
  /** When it closed (or was rejected), or null while it is open. */
  closedAt: number | null;
  lines: number;
  replies: number;
  /** From the close row; null while the connection is open. */
  bytesIn: number | null;
  bytesOut: number | null;
  durationMs: number | null;
  /** Why it closed, as main wrote it (`client closed`, `QUIT`, `idle timeout`…). */
  closeReason: string | null;
}

/** What main writes when a connection closes (electron/main/log-entries.ts). */
const CLOSE_DETAIL = /^closed \((.*)\); (\d+) bytes in, (\d+) out, ([\d.]+) s$/s;

export interface CloseDetail {
  reason: string;
  bytesIn: number;
  bytesOut: number;
  durationMs: number;
}

export function parseCloseDetail(detail: string): CloseDetail | null {
  const m = CLOSE_DETAIL.exec(detail);
  if (!m) return null;
  return {
    reason: m[1] ?? '',
    bytesIn: Number(m[2]),
    bytesOut: Number(m[3]),
    durationMs: Math.round(Number(m[4]) * 1000),
  };
}

/** A reply row's detail is its text and then ` (N bytes)`; split them for the conversation view. */
export function splitReplyDetail(detail: string): { text: string; bytes: number | null } {
  const m = /^(.*) \((\d+) bytes\)$/s.exec(detail);
  return m ? { text: m[1] ?? '', bytes: Number(m[2]) } : { text: detail, bytes: null };
}

/** The conversation of connection `conn` among `entries`, or null when none of its rows is there. */
export function conversationOf(entries: readonly LogEntry[], conn: number): Conversation | null {
  const rows: LogEntry[] = [];
  for (const e of entries) if (e.conn === conn) rows.push(e);
  const first = rows[0];
  if (!first || conn === 0) return null;
  const conversation: Conversation = {
    conn,
    remote: rows.find((r) => r.remote !== '')?.remote ?? '',
    rows,
    openedAt: null,
    closedAt: null,
    lines: 0,
    replies: 0,
    bytesIn: null,
    bytesOut: null,
    durationMs: null,
    closeReason: null,
  };
  for (const row of rows) {
    switch (row.kind) {
      case 'open':
        conversation.openedAt = row.at;
        break;
      case 'line':
        conversation.lines++;
        break;
      case 'reply':
        conversation.replies++;
        break;
      case 'rejected':
        // Refused at once: it never sent or got anything but the busy message.
        conversation.openedAt = row.at;
        conversation.closedAt = row.at;
        conversation.closeReason = row.detail;
        break;
      case 'close': {
        conversation.closedAt = row.at;
        const close = parseCloseDetail(row.detail);
        if (close) {
          conversation.closeReason = close.reason;
          conversation.bytesIn = close.bytesIn;
          conversation.bytesOut = close.bytesOut;
          conversation.durationMs = close.durationMs;
        } else {
          conversation.closeReason = row.detail;
        }
        break;
      }
      default:
        break;
    }
  }
  return conversation;
}
