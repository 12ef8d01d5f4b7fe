/**
 * The server with each framing, through real sockets (and socat, a real CR
 * client): requests are cut as docs/framing.md says, every request is
 * bounded by the max-line limit, and Stop cancels the raw framing's timer.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock, type FramingConfig } from '../../electron/core/framing/index.js';
import { CLASSIC_TABLE } from '../../electron/core/command-table.js';
import { LineServer, type ServerEvents } from '../../electron/core/server.js';
import { QUOTE_LINE, SONG_LINE } from '../helpers/classic.js';
import { RawClient, eventually, exchange, startServer } from '../helpers/net.js';
import { fixedFraming } from './framing/harness.js';

const servers: LineServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** A server of the classic table with `framing`, recording its line and close events. */
async function serve(framing: FramingConfig, maxLineBytes = 4096) {
  const started = await startServer({ maxLineBytes }, new LineServer({ ...CLASSIC_TABLE, framing }));
  servers.push(started.server);
  const lines: ServerEvents['line'][] = [];
  const closes: ServerEvents['close'][] = [];
  started.server.on('line', (e) => lines.push(e));
  started.server.on('close', (e) => closes.push(e));
  return { ...started, lines, closes };
}

/** A Modbus TCP request: MBAP header (transaction, protocol 0, length, unit) and a PDU. */
function modbus(transaction: number, pdu: number[]): Buffer {
  const frame = Buffer.alloc(7 + pdu.length);
  frame.writeUInt16BE(transaction, 0);
  frame.writeUInt16BE(1 + pdu.length, 4);
  frame.writeUInt8(0x11, 6);
  Buffer.from(pdu).copy(frame, 7);
  return frame;
}

describe('line framings', () => {
  it('lf stays the default: one CR before the LF dropped, blanks trimmed', async () => {
    const { port, lines } = await serve('lf');
    expect(await exchange(port, ' SONG \r\nquote\n')).toBe(`${SONG_LINE}\r\n${QUOTE_LINE}\r\n`);
    expect(lines.map((l) => [l.line, l.bytes])).toEqual([
      ['SONG', 8],
      ['quote', 6],
    ]);
  });

  it('crlf: a lone LF is part of the line', async () => {
    const { port, lines } = await serve('crlf');
    await exchange(port, 'SONG\nX\r\nQUOTE\r\n');
    expect(lines.map((l) => l.line)).toEqual(['SONG\nX', 'QUOTE']);
  });

  it.skipIf(!existsSync('/usr/bin/socat'))(
    'cr: socat with its cr option (a CR client) is answered line by line',
    async () => {
      const { port, lines } = await serve('cr');
      const socat = spawn('socat', ['-t', '5', 'STDIO', `TCP:127.0.0.1:${port},cr`], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      socat.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => socat.on('close', resolve));
      socat.stdin.end('SONG\nQUOTE\n');
      expect(await exited).toBe(0);
      expect(lines.map((l) => [l.line, l.bytes])).toEqual([
        ['SONG', 5],
        ['QUOTE', 6],
      ]);
      expect(out).toContain(SONG_LINE);
      expect(out).toContain(QUOTE_LINE);
    },
  );

  it('cr: an LF after the CR is ignored, even in the next packet', async () => {
    const { port, lines } = await serve('cr');
    const client = await RawClient.connect(port);
    client.write('SONG\r');
    await client.waitFor(SONG_LINE);
    client.end('\nQUOTE\r\n');
    await client.waitClosed();
    expect(lines.map((l) => l.line)).toEqual(['SONG', 'QUOTE']);
  });
});

describe('other framings', () => {
  it('nul: a request ends at NUL, a line framing (trimmed UTF-8)', async () => {
    const { port, lines } = await serve('nul');
    const replies = await exchange(port, Buffer.from('SONG\0 QUOTE \0caf\u00e9\0', 'utf8'));
    expect(lines.map((l) => l.line)).toEqual(['SONG', 'QUOTE', 'caf\u00e9']);
    expect(replies).toContain(SONG_LINE);
  });

  it('{ delimiter }: found even when split across packets; requests read as latin1, untrimmed', async () => {
    const { port, lines } = await serve({ delimiter: '<END>' });
    const client = await RawClient.connect(port);
    client.write('SONG<E');
    await eventually(() => client.socket.bytesWritten === 6);
    client.end(Buffer.from('ND> QUOTE<END>\u00e9', 'latin1'));
    await client.waitClosed();
    expect(lines.map((l) => l.line)).toEqual(['SONG', ' QUOTE', '\u00e9']);
  });

  it('lengthField: Modbus TCP frames, each one request with its header, split anywhere', async () => {
    const { port, lines } = await serve({ lengthField: { offset: 4, bytes: 2, endian: 'big', adjust: 0 } });
    const read = modbus(1, [0x03, 0x00, 0x6b, 0x00, 0x03]);
    const write = modbus(2, [0x06, 0x00, 0x01, 0x00, 0x03]);
    const client = await RawClient.connect(port);
    client.write(Buffer.concat([read, write.subarray(0, 5)]));
    await eventually(() => lines.length === 1);
    client.end(write.subarray(5));
    await client.waitClosed();
    expect(lines.map((l) => [Buffer.from(l.line, 'latin1').toString('hex'), l.bytes])).toEqual([
      [read.toString('hex'), read.length],
      [write.toString('hex'), write.length],
    ]);
  });

  it('lengthField: a length over the limit is refused from the header alone', async () => {
    const { port, closes } = await serve(
      { lengthField: { offset: 4, bytes: 2, endian: 'big', adjust: 0 } },
      260,
    );
    const client = await RawClient.connect(port);
    client.end(Buffer.from([0, 1, 0, 0, 0xff, 0xff]));
    expect(await client.waitClosed()).toBe('ERR line too long\r\n');
    await eventually(() => closes.length === 1);
    expect(closes[0]?.reason).toBe('line-too-long');
  });

  it('fixed: every N bytes; a partial frame at the end of input is dropped, and the close says so', async () => {
    const { port, lines, closes } = await serve(fixedFraming(4));
    await exchange(port, 'SONGQUOTxy');
    expect(lines.map((l) => l.line)).toEqual(['SONG', 'QUOT']);
    await eventually(() => closes.length === 1);
    expect(closes[0]?.message).toBe('2 bytes of an unfinished frame dropped at the end of input');
  });

  it('raw: a request is what arrived before the client paused', async () => {
    const { port, lines } = await serve({ raw: { gapMs: 50 } });
    const client = await RawClient.connect(port);
    client.write('SONG');
    await eventually(() => lines.length === 1);
    client.end('QUOTE');
    await client.waitClosed();
    expect(lines.map((l) => l.line)).toEqual(['SONG', 'QUOTE']);
  });

  it('raw: Stop cancels the gap timer of a request still waiting for its pause', async () => {
    const set = vi.spyOn(systemClock, 'setTimeout');
    const clear = vi.spyOn(systemClock, 'clearTimeout');
    try {
      const { server, port, lines } = await serve({ raw: { gapMs: 60_000 } });
      const client = await RawClient.connect(port);
      client.write('SONG');
      await eventually(() => set.mock.results.length === 1);
      const report = await server.stop();
      expect(report.closed).toBe(1);
      expect(clear).toHaveBeenCalledWith(set.mock.results[0]?.value);
      expect(lines).toEqual([]);
    } finally {
      set.mockRestore();
      clear.mockRestore();
    }
  });
});

describe('through the table’s answer path', () => {
  /** Reads holding register 0 of unit 17, answering 42 with the request’s transaction id. */
  const MODBUS_TABLE = {
    framing: { lengthField: { offset: 4, bytes: 2 as const, endian: 'big' as const, adjust: 0 } },
    builtins: { help: false, quit: false },
    unknown: '',
    commands: [
      { bytes: '?? ?? 00 00 00 06 11 03 00 00 00 01', replyBytes: '{req:0:2} 00 00 00 05 11 03 02 00 2A' },
    ],
  };

  async function modbusServer(): Promise<{ port: number; lines: ServerEvents['line'][] }> {
    const started = await startServer({}, new LineServer(MODBUS_TABLE));
    servers.push(started.server);
    const lines: ServerEvents['line'][] = [];
    started.server.on('line', (e) => lines.push(e));
    return { port: started.port, lines };
  }

  it('lengthField requests meet bytes rules and byte replies, split anywhere', async () => {
    const { port } = await modbusServer();
    const request = modbus(0x1234, [0x03, 0x00, 0x00, 0x00, 0x01]);
    const client = await RawClient.connect(port);
    client.write(request.subarray(0, 3));
    await eventually(() => client.socket.bytesWritten === 3);
    client.end(request.subarray(3));
    await client.waitClosed();
    expect(client.bytes.toString('hex')).toBe('12340000000511030200' + '2a');
  });

  it.skipIf(!existsSync('/usr/bin/mbpoll'))(
    'mbpoll (a real Modbus TCP client) reads the register',
    async () => {
      const { port, lines } = await modbusServer();
      const mbpoll = spawn('mbpoll', [
        '-m',
        'tcp',
        '-a',
        '17',
        '-r',
        '1',
        '-c',
        '1',
        '-1',
        '-p',
        String(port),
        '127.0.0.1',
      ]);
      let out = '';
      mbpoll.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => mbpoll.on('close', resolve));
      expect(await exited).toBe(0);
      expect(out).toMatch(/\[1\]:\s+42/);
      expect(lines.map((l) => l.bytes)).toEqual([12]);
    },
  );
});
