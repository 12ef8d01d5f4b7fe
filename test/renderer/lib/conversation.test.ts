import { describe, expect, it } from 'vitest';
import type { LogKind } from '../../../electron/shared/ipc/models';
import { conversationOf, parseCloseDetail, splitReplyDetail } from '../../../renderer/src/lib/conversation';
import { logEntry } from '../fake-bridge';

const AT = Date.UTC(2025, 0, 2, 3, 4, 5);
const row = (seq: number, conn: number, kind: LogKind, detail: string, dt = seq) =>
  logEntry(seq, { at: AT + dt, conn, remote: conn === 0 ? '' : `127.0.0.1:500${conn}`, kind, detail });

describe('parseCloseDetail', () => {
  it('reads what main writes when a connection closes', () => {
    expect(parseCloseDetail('closed (QUIT); 11 bytes in, 53 out, 2.004 s')).toEqual({
      reason: 'QUIT',
      bytesIn: 11,
      bytesOut: 53,
      durationMs: 2004,
    });
    expect(parseCloseDetail('closed (error: read ECONNRESET (x); y); 0 bytes in, 0 out, 12.5 s')).toEqual({
      reason: 'error: read ECONNRESET (x); y',
      bytesIn: 0,
      bytesOut: 0,
      durationMs: 12_500,
    });
  });

  it('answers null for anything else', () => {
    expect(parseCloseDetail('connected')).toBeNull();
  });
});

describe('splitReplyDetail', () => {
  it('splits the text from the byte count', () => {
    expect(splitReplyDetail('Bye. (6 bytes)')).toEqual({ text: 'Bye.', bytes: 6 });
    expect(splitReplyDetail('a (1 bytes) (20 bytes)')).toEqual({ text: 'a (1 bytes)', bytes: 20 });
    expect(splitReplyDetail('no count')).toEqual({ text: 'no count', bytes: null });
  });
});

describe('conversationOf', () => {
  const log = [
    row(1, 0, 'listening', 'listening on 127.0.0.1:31310'),
    row(2, 7, 'open', 'connected', 10),
    row(3, 8, 'open', 'connected', 11),
    row(4, 7, 'line', 'SONG', 20),
    row(5, 8, 'line', 'QUOTE', 21),
    row(6, 7, 'reply', 'Old McDonald had a farm, E-I-E-I-O! (37 bytes)', 22),
    row(7, 7, 'line', 'QUIT', 30),
    row(8, 7, 'reply', 'Bye. (6 bytes)', 31),
    row(9, 7, 'close', 'closed (QUIT); 11 bytes in, 43 out, 0.025 s', 35),
  ];

  it('gathers every row of one connection in order, with bytes, duration and close reason', () => {
    const c = conversationOf(log, 7);
    expect(c?.rows.map((r) => r.seq)).toEqual([2, 4, 6, 7, 8, 9]);
    expect(c).toMatchObject({
      conn: 7,
      remote: '127.0.0.1:5007',
      openedAt: AT + 10,
      closedAt: AT + 35,
      lines: 2,
      replies: 2,
      bytesIn: 11,
      bytesOut: 43,
      durationMs: 25,
      closeReason: 'QUIT',
    });
  });

  it('leaves the end open while the connection is', () => {
    const c = conversationOf(log, 8);
    expect(c).toMatchObject({ lines: 1, replies: 0, closedAt: null, bytesIn: null, durationMs: null });
  });

  it('says when the opening row is no longer there', () => {
    expect(conversationOf(log.slice(3), 7)?.openedAt).toBeNull();
  });

  it('shows a rejected connection as closed at once', () => {
    const c = conversationOf([row(1, 9, 'rejected', 'rejected: server busy')], 9);
    expect(c).toMatchObject({ openedAt: AT + 1, closedAt: AT + 1, closeReason: 'rejected: server busy' });
  });

  it('has nothing for an unknown connection or the server itself', () => {
    expect(conversationOf(log, 42)).toBeNull();
    expect(conversationOf(log, 0)).toBeNull();
  });
});
