import { afterEach, describe, expect, it } from 'vitest';
import type { LineServer, ServerEvents } from '../../electron/core/server.js';
import { LogEntryMaker, formatEntry, type EntryDraft } from '../../electron/services/log-entries.js';
import type { LogEntry } from '../../electron/shared/ipc/models.js';
import { RawClient, eventually, startServer } from '../helpers/net.js';
import { HAIKU } from '../helpers/classic.js';

const AT = Date.UTC(2024, 4, 17, 9, 30, 15, 250);

function opened(maker: LogEntryMaker, conn = 1, remoteAddress = '127.0.0.1', remotePort = 50000): EntryDraft {
  return maker.open({ at: AT, conn, remoteAddress, remotePort });
}

/** A line event as the server sends it (`bytes` counts the line and its LF). */
function lineEvent(conn: number, line: string): ServerEvents['line'] {
  return { at: AT, conn, line, bytes: Buffer.byteLength(line) + 1 };
}

describe('LogEntryMaker', () => {
  it('listening: a server row naming the address', () => {
    expect(new LogEntryMaker().listening({ at: AT, conn: 0, host: '127.0.0.1', port: 31310 })).toEqual({
      at: AT,
      conn: 0,
      remote: '',
      kind: 'listening',
      detail: 'listening on 127.0.0.1:31310',
    });
    expect(new LogEntryMaker().listening({ at: AT, conn: 0, host: '::', port: 80 }).detail).toBe(
      'listening on [::]:80',
    );
  });

  it('open: connected, with the remote address (IPv6 in brackets)', () => {
    const maker = new LogEntryMaker();
    expect(opened(maker)).toEqual({
      at: AT,
      conn: 1,
      remote: '127.0.0.1:50000',
      kind: 'open',
      detail: 'connected',
    });
    expect(opened(maker, 2, '::1', 40000).remote).toBe('[::1]:40000');
  });

  it('keeps the remote address from open to close for every row of that connection', () => {
    const maker = new LogEntryMaker();
    opened(maker, 1, '127.0.0.1', 50001);
    opened(maker, 2, '10.0.0.2', 50002);
    expect(maker.line(lineEvent(1, 'SONG')).remote).toBe('127.0.0.1:50001');
    expect(maker.line(lineEvent(2, 'SONG')).remote).toBe('10.0.0.2:50002');
    expect(maker.reply({ at: AT, conn: 2, bytes: 6, text: 'Bye.\r\n' }).remote).toBe('10.0.0.2:50002');
    expect(maker.error({ at: AT, conn: 1, message: 'x' }).remote).toBe('127.0.0.1:50001');
    const close = maker.close({ at: AT, conn: 1, reason: 'eof', bytesIn: 0, bytesOut: 0, durationMs: 1 });
    expect(close.remote).toBe('127.0.0.1:50001');
  });

  it('forgets the remote address after the close', () => {
    const maker = new LogEntryMaker();
    opened(maker);
    maker.close({ at: AT, conn: 1, reason: 'eof', bytesIn: 0, bytesOut: 0, durationMs: 1 });
    expect(maker.line(lineEvent(1, 'late')).remote).toBe('');
    expect(
      maker.close({ at: AT, conn: 1, reason: 'eof', bytesIn: 0, bytesOut: 0, durationMs: 1 }).remote,
    ).toBe('');
  });

  it('line: the line as received, with control bytes escaped', () => {
    const maker = new LogEntryMaker();
    opened(maker);
    expect(maker.line(lineEvent(1, 'SONG'))).toEqual({
      at: AT,
      conn: 1,
      remote: '127.0.0.1:50000',
      kind: 'line',
      detail: 'SONG',
      dir: 'in',
      text: 'SONG',
      bytes: 5,
    });
    expect(maker.line(lineEvent(1, 'x\x1b[2J\x00\x7f\ta é')).detail).toBe('x\\x1B[2J\\x00\\x7F\ta é');
  });

  it('reply: one line with its byte count', () => {
    const maker = new LogEntryMaker();
    opened(maker);
    const text = 'Old McDonald had a farm, E-I-E-I-O!\r\n';
    expect(maker.reply({ at: AT, conn: 1, bytes: 37, text })).toEqual({
      at: AT,
      conn: 1,
      remote: '127.0.0.1:50000',
      kind: 'reply',
      detail: 'Old McDonald had a farm, E-I-E-I-O! (37 bytes)',
      dir: 'out',
      text,
      bytes: 37,
    });
  });

  it('reply: several lines joined with ⏎, the empty one included', () => {
    const maker = new LogEntryMaker();
    const bytes = Buffer.byteLength(HAIKU);
    expect(maker.reply({ at: AT, conn: 1, bytes, text: HAIKU }).detail).toBe(
      'A haiku on "Error 404" ⏎  ⏎   You step in the stream, ⏎   But the water has moved on. ⏎ ' +
        `  This file is not here. (${bytes} bytes)`,
    );
  });

  it('reply: control bytes inside a reply line are escaped', () => {
    const maker = new LogEntryMaker();
    expect(maker.reply({ at: AT, conn: 1, bytes: 9, text: 'a\x1bb\x07\rc\r\n' }).detail).toBe(
      'a\\x1Bb\\x07\\x0Dc (9 bytes)',
    );
    expect(maker.reply({ at: AT, conn: 1, bytes: 4, text: 'a\nb\n' }).detail).toBe('a\\x0Ab\\x0A (4 bytes)');
  });

  it('reply: text that merely reads \\x0D\\x0A is shown as typed, not as a line break', () => {
    // An unknown command echoes what the client typed; here the client typed backslashes.
    const maker = new LogEntryMaker();
    const text = 'Unknown command: a\\x0D\\x0Ab\r\n';
    expect(maker.reply({ at: AT, conn: 1, bytes: text.length, text }).detail).toBe(
      `Unknown command: a\\x0D\\x0Ab (${text.length} bytes)`,
    );
  });

  it.each([
    ['eof', 'client closed'],
    ['quit', 'QUIT'],
    ['one-shot', 'one-shot reply sent'],
    ['rule', 'closed by rule'],
    ['line-too-long', 'line too long'],
    ['idle', 'idle timeout'],
    ['stop', 'server stopped'],
    ['backpressure', 'client not reading its replies'],
    ['reset', 'connection reset'],
    ['error', 'error'],
  ] as const)('close (%s): why, bytes each way and how long', (reason, why) => {
    const maker = new LogEntryMaker();
    opened(maker);
    expect(maker.close({ at: AT, conn: 1, reason, bytesIn: 5, bytesOut: 37, durationMs: 12.3456 })).toEqual({
      at: AT,
      conn: 1,
      remote: '127.0.0.1:50000',
      kind: 'close',
      detail: `closed (${why}); 5 bytes in, 37 out, 0.012 s`,
      reason,
      bytesIn: 5,
      bytesOut: 37,
      durationMs: 12.3456,
    });
  });

  it('close: adds the message, and shows long durations to a tenth of a second', () => {
    const maker = new LogEntryMaker();
    const close = maker.close({
      at: AT,
      conn: 3,
      reason: 'reset',
      message: 'read ECONNRESET',
      bytesIn: 0,
      bytesOut: 0,
      durationMs: 123_456,
    });
    expect(close.detail).toBe('closed (connection reset: read ECONNRESET); 0 bytes in, 0 out, 123.5 s');
    expect(
      maker.close({ at: AT, conn: 4, reason: 'eof', bytesIn: 1, bytesOut: 2, durationMs: 9_999 }).detail,
    ).toBe('closed (client closed); 1 bytes in, 2 out, 9.999 s');
  });

  it('rejected: the address from the event itself, never remembered', () => {
    const maker = new LogEntryMaker();
    expect(
      maker.rejected({ at: AT, conn: 7, remoteAddress: '127.0.0.1', remotePort: 50007, reason: 'busy' }),
    ).toEqual({
      at: AT,
      conn: 7,
      remote: '127.0.0.1:50007',
      kind: 'rejected',
      detail: 'rejected: server busy',
    });
    expect(maker.line(lineEvent(7, 'x')).remote).toBe('');
  });

  it('error: the message with control bytes escaped', () => {
    const maker = new LogEntryMaker();
    expect(maker.error({ at: AT, conn: 0, message: 'bad\x1b]0;title\x07' })).toEqual({
      at: AT,
      conn: 0,
      remote: '',
      kind: 'error',
      detail: 'bad\\x1B]0;title\\x07',
    });
  });

  it('stopped: how many connections Stop closed', () => {
    expect(new LogEntryMaker().stopped({ at: AT, conn: 0, closed: 3, durationMs: 4 })).toEqual({
      at: AT,
      conn: 0,
      remote: '',
      kind: 'stopped',
      detail: 'stopped (3 connections closed)',
    });
    expect(new LogEntryMaker().stopped({ at: AT, conn: 0, closed: 1, durationMs: 4 }).detail).toBe(
      'stopped (1 connection closed)',
    );
  });

  it('startFailed: a server error row naming the failure, control bytes escaped', () => {
    expect(new LogEntryMaker().startFailed(AT, 'port 1 on 127.0.0.1 is already in use\x1b')).toEqual({
      at: AT,
      conn: 0,
      remote: '',
      kind: 'error',
      detail: 'start failed: port 1 on 127.0.0.1 is already in use\\x1B',
    });
  });
});

describe('formatEntry', () => {
  it('writes ISO time, who, kind and detail for a connection', () => {
    const entry: LogEntry = {
      seq: 4,
      at: AT,
      conn: 12,
      remote: '127.0.0.1:50000',
      kind: 'line',
      detail: 'SONG',
    };
    expect(formatEntry(entry)).toBe('2024-05-17T09:30:15.250Z #12 127.0.0.1:50000 line SONG');
  });

  it('writes "server" for the server itself', () => {
    const entry: LogEntry = {
      seq: 1,
      at: AT,
      conn: 0,
      remote: '',
      kind: 'listening',
      detail: 'listening on [::1]:7',
    };
    expect(formatEntry(entry)).toBe('2024-05-17T09:30:15.250Z server listening listening on [::1]:7');
  });
});

describe('with a real server', () => {
  let server: LineServer | null = null;
  afterEach(async () => {
    await server?.stop();
    server = null;
  });

  it('names the client by the address and port it connected from', async () => {
    const started = await startServer();
    server = started.server;
    const maker = new LogEntryMaker();
    const rows: EntryDraft[] = [];
    server.on('open', (e) => rows.push(maker.open(e)));
    server.on('line', (e) => rows.push(maker.line(e)));
    server.on('reply', (e) => rows.push(maker.reply(e)));
    server.on('close', (e) => rows.push(maker.close(e)));
    const client = await RawClient.connect(started.port);
    const remote = `127.0.0.1:${client.socket.localPort}`;
    client.end('QUOTE\n');
    await client.waitClosed();
    await eventually(() => rows.length === 4);
    expect(rows.map((r) => [r.kind, r.remote])).toEqual([
      ['open', remote],
      ['line', remote],
      ['reply', remote],
      ['close', remote],
    ]);
    const out = Buffer.byteLength('And now for something completely different...\r\n');
    expect(rows[2]?.detail).toBe(`And now for something completely different... (${out} bytes)`);
    expect(rows[3]?.detail).toMatch(
      new RegExp(`^closed \\(client closed\\); 6 bytes in, ${out} out, \\d+\\.\\d{3} s$`),
    );
  });
});
