import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LineClient, type LineClientEvents } from '../../electron/core/line-client.js';
import type { LineServer } from '../../electron/core/server.js';
import { fixedFraming } from './framing/harness.js';
import { PlainServer, closedPort, eventually, startServer } from '../helpers/net.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function lineServer(
  config: Parameters<typeof startServer>[0] = {},
): Promise<{ server: LineServer; port: number }> {
  const started = await startServer(config);
  cleanups.push(async () => {
    await started.server.stop();
  });
  return started;
}

async function plainServer(onConnection?: (socket: net.Socket) => void): Promise<PlainServer> {
  const server = await PlainServer.start(onConnection);
  cleanups.push(() => server.close());
  return server;
}

/** A client that records its lines and closes. */
function recordingClient(): {
  client: LineClient;
  lines: string[];
  closes: LineClientEvents['close'][];
  order: string[];
} {
  const client = new LineClient();
  const lines: string[] = [];
  const closes: LineClientEvents['close'][] = [];
  const order: string[] = [];
  client.on('line', ({ text }) => {
    lines.push(text);
    order.push(`line ${text}`);
  });
  client.on('close', (e) => {
    closes.push(e);
    order.push('close');
  });
  cleanups.push(() => client.close());
  return { client, lines, closes, order };
}

describe('against a LineServer', () => {
  it('connects, sends, and gets each reply line without its CRLF', async () => {
    const { port } = await lineServer();
    const { client, lines } = recordingClient();
    await client.connect('127.0.0.1', port);
    expect(client.connected).toBe(true);
    client.send('SONG\r\n');
    await eventually(() => lines.length === 1);
    expect(lines).toEqual(['Old McDonald had a farm, E-I-E-I-O!']);
  });

  it('gets every HAIKU line, the empty one included, in order', async () => {
    const { port } = await lineServer();
    const { client, lines } = recordingClient();
    await client.connect('127.0.0.1', port);
    client.send('HAIKU\n');
    await eventually(() => lines.length === 5);
    expect(lines).toEqual([
      'A haiku on "Error 404"',
      '',
      '  You step in the stream,',
      '  But the water has moved on.',
      '  This file is not here.',
    ]);
  });

  it('reports a close by the server (QUIT) as byPeer, after the last line', async () => {
    const { port } = await lineServer();
    const { client, closes, order } = recordingClient();
    await client.connect('127.0.0.1', port);
    client.send('QUIT\n');
    await eventually(() => closes.length === 1);
    expect(order).toEqual(['line Bye.', 'close']);
    expect(closes).toEqual([{ byPeer: true }]);
    expect(client.connected).toBe(false);
  });

  it('reports its own close as not byPeer, and the server sees the connection go', async () => {
    const { server, port } = await lineServer();
    const { client, closes } = recordingClient();
    await client.connect('127.0.0.1', port);
    await eventually(() => server.activeConnections === 1);
    await client.close();
    expect(client.connected).toBe(false);
    expect(closes).toEqual([{ byPeer: false }]);
    await eventually(() => server.activeConnections === 0);
  });

  it('can connect again after a close', async () => {
    const { port } = await lineServer();
    const { client, lines, closes } = recordingClient();
    await client.connect('127.0.0.1', port);
    await client.close();
    await client.connect('127.0.0.1', port);
    client.send('QUOTE\n');
    await eventually(() => lines.length === 1);
    expect(lines).toEqual(['And now for something completely different...']);
    await client.close();
    expect(closes).toEqual([{ byPeer: false }, { byPeer: false }]);
  });
});

describe('framing of what comes back', () => {
  it('splits at LF, drops one CR before it, and keeps other CRs', async () => {
    const server = await plainServer((socket) => socket.write('a\r\nb\nc\r\r\n\r\nd\re\n'));
    const { client, lines } = recordingClient();
    await client.connect('127.0.0.1', server.port);
    await eventually(() => lines.length === 5);
    expect(lines).toEqual(['a', 'b', 'c\r', '', 'd\re']);
  });

  it('hands out each line’s raw bytes, line end included, beside its text', async () => {
    const server = await plainServer((socket) => socket.end(Buffer.from('a\r\né\n\x1b\r\rtail', 'utf8')));
    const client = new LineClient();
    cleanups.push(() => client.close());
    const got: LineClientEvents['line'][] = [];
    client.on('line', (e) => got.push(e));
    const closed = new Promise((resolve) => client.once('close', resolve));
    await client.connect('127.0.0.1', server.port);
    await closed;
    expect(got.map((e) => [e.text, e.raw.toString('utf8')])).toEqual([
      ['a', 'a\r\n'],
      ['é', 'é\n'],
      ['\x1b\r\rtail', '\x1b\r\rtail'],
    ]);
  });

  it('joins a line that arrives over several packets', async () => {
    const server = await plainServer();
    const { client, lines } = recordingClient();
    await client.connect('127.0.0.1', server.port);
    await eventually(() => server.connections === 1);
    const socket = server.sockets[0];
    for (const part of ['Old Mc', 'Donald\r', '\nsecond', ' line\n']) {
      socket?.write(part);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await eventually(() => lines.length === 2);
    expect(lines).toEqual(['Old McDonald', 'second line']);
  });

  it('keeps a UTF-8 character split between packets intact', async () => {
    const bytes = Buffer.from('café 🎵\n', 'utf8');
    const server = await plainServer();
    const { client, lines } = recordingClient();
    await client.connect('127.0.0.1', server.port);
    await eventually(() => server.connections === 1);
    server.sockets[0]?.write(bytes.subarray(0, 4)); // ends inside é
    await new Promise((resolve) => setTimeout(resolve, 20));
    server.sockets[0]?.write(bytes.subarray(4, 8)); // ends inside 🎵
    await new Promise((resolve) => setTimeout(resolve, 20));
    server.sockets[0]?.write(bytes.subarray(8));
    await eventually(() => lines.length === 1);
    expect(lines).toEqual(['café 🎵']);
  });

  it('gives a final unterminated fragment as a line when the server closes, then the close', async () => {
    const server = await plainServer((socket) => socket.end('first\r\ntail'));
    const { client, order, closes } = recordingClient();
    await client.connect('127.0.0.1', server.port);
    await eventually(() => closes.length === 1);
    expect(order).toEqual(['line first', 'line tail', 'close']);
    expect(closes).toEqual([{ byPeer: true }]);
  });

  it('hands out a line with no end in 64 KiB parts instead of holding it all', async () => {
    const server = await plainServer((socket) => socket.end('x'.repeat(200_000)));
    const { client, lines, closes } = recordingClient();
    await client.connect('127.0.0.1', server.port);
    await eventually(() => closes.length === 1);
    expect(lines.map((l) => l.length)).toEqual([65_536, 65_536, 65_536, 200_000 - 3 * 65_536]);
  });

  it('sends exactly the bytes it is given', async () => {
    const server = await plainServer();
    const { client } = recordingClient();
    await client.connect('127.0.0.1', server.port);
    client.send('one\r\n');
    client.send('two');
    client.send('é\n');
    const expected = Buffer.from('one\r\ntwoé\n', 'utf8');
    expect((await server.waitForBytes(expected.length)).equals(expected)).toBe(true);
  });
});

describe('failures', () => {
  it('rejects a refused connect with a message naming host:port and the reason', async () => {
    const port = await closedPort();
    const client = new LineClient();
    await expect(client.connect('127.0.0.1', port)).rejects.toThrow(
      `could not connect to 127.0.0.1:${port}: connection refused (is a server listening there?)`,
    );
    expect(client.connected).toBe(false);
  });

  it('puts an IPv6 host in brackets in its message', async () => {
    const port = await closedPort();
    await expect(new LineClient().connect('::1', port)).rejects.toThrow(
      new RegExp(`^could not connect to \\[::1\\]:${port}: `),
    );
  });

  it('refuses to send before it is connected', () => {
    expect(() => new LineClient().send('SONG\n')).toThrow('not connected');
  });

  it('reports a reset by the server as byPeer, with the error', async () => {
    const server = await plainServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    const { client, closes, lines } = recordingClient();
    await client.connect('127.0.0.1', server.port);
    client.send('SONG\n');
    await eventually(() => closes.length === 1);
    expect(closes).toEqual([{ byPeer: true, error: 'read ECONNRESET' }]);
    expect(lines).toEqual([]);
    expect(client.connected).toBe(false);
  });

  it('close() with no connection resolves at once and reports nothing', async () => {
    const { client, closes } = recordingClient();
    await client.close();
    expect(closes).toEqual([]);
  });
});

describe('raw bytes of each line', () => {
  /** A client that records every line event, and resolves `closed` at its close. */
  function rawClient(): { client: LineClient; got: LineClientEvents['line'][]; closed: Promise<unknown> } {
    const client = new LineClient();
    cleanups.push(() => client.close());
    const got: LineClientEvents['line'][] = [];
    client.on('line', (e) => got.push(e));
    const closed = new Promise((resolve) => client.once('close', resolve));
    return { client, got, closed };
  }

  it('gives a LineServer reply’s lines with their CRLF, adding up to the exact reply bytes', async () => {
    const { port } = await lineServer();
    const { client, got } = rawClient();
    await client.connect('127.0.0.1', port);
    client.send('HAIKU\n');
    await eventually(() => got.length === 5);
    expect(got.map((e) => e.raw.toString('utf8'))).toEqual([
      'A haiku on "Error 404"\r\n',
      '\r\n',
      '  You step in the stream,\r\n',
      '  But the water has moved on.\r\n',
      '  This file is not here.\r\n',
    ]);
    expect(Buffer.concat(got.map((e) => e.raw)).toString('utf8')).toBe(
      'A haiku on "Error 404"\r\n\r\n  You step in the stream,\r\n  But the water has moved on.\r\n  This file is not here.\r\n',
    );
  });

  it('keeps a line end that arrives in a later packet with its line', async () => {
    const server = await plainServer();
    const { client, got } = rawClient();
    await client.connect('127.0.0.1', server.port);
    await eventually(() => server.connections === 1);
    server.sockets[0]?.write('one\r');
    await new Promise((resolve) => setTimeout(resolve, 20));
    server.sockets[0]?.write('\ntwo');
    await new Promise((resolve) => setTimeout(resolve, 20));
    server.sockets[0]?.write('\n');
    await eventually(() => got.length === 2);
    expect(got.map((e) => [e.text, e.raw.toString('hex')])).toEqual([
      ['one', Buffer.from('one\r\n').toString('hex')],
      ['two', Buffer.from('two\n').toString('hex')],
    ]);
  });

  it('gives the final fragment its bytes as they came, with no line end added', async () => {
    const tail = Buffer.from([0x66, 0x69, 0x6e, 0x0d, 0xc3, 0xa9]); // "fin\ré"
    const server = await plainServer((socket) => socket.end(Buffer.concat([Buffer.from('a\n'), tail])));
    const { client, got, closed } = rawClient();
    await client.connect('127.0.0.1', server.port);
    await closed;
    expect(got.map((e) => e.raw.toString('hex'))).toEqual(['610a', tail.toString('hex')]);
    expect(got.at(-1)?.text).toBe('fin\ré');
  });

  it('splits a long line into 64 KiB parts, each part’s raw bytes exactly its text, none lost', async () => {
    const long = 'x'.repeat(70_000);
    const sent = `${long}\r\n${'y'.repeat(3 * 65_536)}`;
    const server = await plainServer((socket) => socket.end(sent));
    const { client, got, closed } = rawClient();
    await client.connect('127.0.0.1', server.port);
    await closed;
    expect(got.map((e) => [e.text.length, e.raw.length])).toEqual([
      [65_536, 65_536],
      [70_000 - 65_536, 70_000 - 65_536 + 2],
      [65_536, 65_536],
      [65_536, 65_536],
      [65_536, 65_536],
    ]);
    expect(got[0]?.raw.equals(Buffer.from('x'.repeat(65_536)))).toBe(true);
    expect(got[1]?.raw.subarray(-2).toString()).toBe('\r\n');
    expect(Buffer.concat(got.map((e) => e.raw)).toString('latin1')).toBe(sent);
  });

  it('splits a long line the same way however it arrives: all at once or in small packets', async () => {
    const sent = Buffer.from(`${'x'.repeat(65_536)}\r\n${'y'.repeat(65_537)}\nz`);
    const runs: string[][] = [];
    for (const sizes of [[sent.length], [65_537, 1, 65_536, 3], [1000, 64_537, 2, 65_537, 1]]) {
      const server = await plainServer();
      const { client, got, closed } = rawClient();
      await client.connect('127.0.0.1', server.port);
      await eventually(() => server.connections === 1);
      const socket = server.sockets[0];
      let at = 0;
      for (const size of sizes) {
        const part = sent.subarray(at, at + size);
        at += size;
        await new Promise<void>((resolve) => socket?.write(part, () => resolve()));
        // Only shapes the packets: whatever reads they end up in, the lines must be the same.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      socket?.end();
      await closed;
      runs.push(got.map((e) => `${e.text.length}:${e.raw.toString('latin1').slice(-2)}`));
    }
    // A line of exactly 64 KiB stays whole with its CRLF; one byte more and it comes in two parts.
    const expected = ['65536:\r\n', '65536:yy', '1:y\n', '1:z'];
    expect(runs).toEqual([expected, expected, expected]);
  });

  it('hands out raw bytes it does not reuse: each line owns its buffer', async () => {
    const server = await plainServer((socket) => socket.end('aa\nbb\n'));
    const { client, got, closed } = rawClient();
    await client.connect('127.0.0.1', server.port);
    await closed;
    got[0]?.raw.fill(0x7a);
    expect(got.map((e) => e.raw.toString())).toEqual(['zzz', 'bb\n']);
  });
});

describe('framings of what comes back', () => {
  /** Connects a client with `framing` to a server that sends `bytes` and closes; resolves with every frame. */
  async function receive(
    framing: NonNullable<ConstructorParameters<typeof LineClient>[0]>['framing'],
    send: (socket: net.Socket) => void,
  ): Promise<LineClientEvents['line'][]> {
    const server = await plainServer(send);
    const client = new LineClient({ framing });
    cleanups.push(() => client.close());
    const got: LineClientEvents['line'][] = [];
    client.on('line', (e) => got.push(e));
    const closed = new Promise((resolve) => client.once('close', resolve));
    await client.connect('127.0.0.1', server.port);
    await closed;
    return got;
  }

  it('cr: a line ends at CR, an LF after it is ignored, even in the next packet', async () => {
    const got = await receive('cr', (socket) => {
      socket.write('OK\r');
      setTimeout(() => socket.end('\nCONNECT 9600\r'), 20);
    });
    expect(got.map((e) => e.text)).toEqual(['OK', 'CONNECT 9600']);
    expect(Buffer.concat(got.map((e) => e.raw)).toString()).toBe('OK\r\nCONNECT 9600\r');
  });

  it('nul: a frame ends at NUL', async () => {
    const got = await receive('nul', (socket) => socket.end('CONNECTED\nversion:1.2\n\n\0RECEIPT\0'));
    expect(got.map((e) => e.text)).toEqual(['CONNECTED\nversion:1.2\n\n', 'RECEIPT']);
  });

  it('lengthField: Modbus TCP replies, their bytes read one character per byte', async () => {
    const reply = Buffer.from([0, 1, 0, 0, 0, 5, 0x11, 0x03, 0x02, 0xff, 0x00]);
    const got = await receive(
      { lengthField: { offset: 4, bytes: 2, endian: 'big', adjust: 0 } },
      (socket) => {
        socket.write(Buffer.concat([reply, reply.subarray(0, 3)]));
        setTimeout(() => socket.end(reply.subarray(3)), 20);
      },
    );
    expect(got.map((e) => e.raw.toString('hex'))).toEqual([reply.toString('hex'), reply.toString('hex')]);
    expect(Buffer.from(got[0]?.text ?? '', 'latin1').equals(reply)).toBe(true);
  });

  it('fixed: shows the partial frame the end of input cut off too', async () => {
    const got = await receive(fixedFraming(4), (socket) => socket.end('abcdefghij'));
    expect(got.map((e) => e.text)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('raw: a frame is what arrived before the server paused', async () => {
    const got = await receive({ raw: { gapMs: 30 } }, (socket) => {
      // Each burst in one write; between them a pause far longer than the gap (its timer is due first).
      socket.write('+OK\r\n+PONG\r\n');
      setTimeout(() => socket.end('$3\r\nbar\r\n'), 150);
    });
    expect(got.map((e) => e.text)).toEqual(['+OK\r\n+PONG\r\n', '$3\r\nbar\r\n']);
  });

  it('refuses a framing it cannot use before connecting', async () => {
    const server = await plainServer();
    const client = new LineClient();
    await expect(client.connect('127.0.0.1', server.port, { framing: fixedFraming(0) })).rejects.toThrow(
      'framing.fixed: 0 is not a whole number of bytes of at least 1',
    );
    expect(client.connected).toBe(false);
    expect(server.connections).toBe(0);
  });

  it('takes the framing given to connect over its own', async () => {
    const server = await plainServer((socket) => socket.end('a\rb\r'));
    const client = new LineClient({ framing: 'lf' });
    cleanups.push(() => client.close());
    const lines: string[] = [];
    client.on('line', (e) => lines.push(e.text));
    const closed = new Promise((resolve) => client.once('close', resolve));
    await client.connect('127.0.0.1', server.port, { framing: 'cr' });
    await closed;
    expect(lines).toEqual(['a', 'b']);
  });
});

describe('after each chunk', () => {
  it('reports, once its lines are out, the bytes still waiting for a line end', async () => {
    let peer: net.Socket | undefined;
    const server = await plainServer((socket) => (peer = socket));
    const { client, order } = recordingClient();
    client.on('received', ({ pending }) => order.push(`pending ${JSON.stringify(pending.toString())}`));
    await client.connect('127.0.0.1', server.port);
    await eventually(() => peer !== undefined);
    peer?.write('one\r\ntw');
    await eventually(() => order.length === 2);
    peer?.write('o\r\n');
    await eventually(() => order.length === 4);
    expect(order).toEqual(['line one', 'pending "tw"', 'line two', 'pending ""']);
  });

  it('reports the bytes of a partial frame in any framing', async () => {
    let peer: net.Socket | undefined;
    const server = await plainServer((socket) => (peer = socket));
    const client = new LineClient({ framing: fixedFraming(4) });
    cleanups.push(() => client.close());
    const order: string[] = [];
    client.on('line', ({ raw }) => order.push(`frame ${raw.toString('hex')}`));
    client.on('received', ({ pending }) => order.push(`pending ${pending.toString('hex')}`));
    await client.connect('127.0.0.1', server.port);
    await eventually(() => peer !== undefined);
    peer?.write(Buffer.from('010203040506', 'hex'));
    await eventually(() => order.length === 2);
    peer?.write(Buffer.from('07', 'hex'));
    await eventually(() => order.length === 3);
    peer?.write(Buffer.from('0809', 'hex'));
    await eventually(() => order.length === 5);
    expect(order).toEqual([
      'frame 01020304',
      'pending 0506',
      'pending 050607',
      'frame 05060708',
      'pending 09',
    ]);
  });

  it('sends bytes as given', async () => {
    const server = await plainServer();
    const { client } = recordingClient();
    await client.connect('127.0.0.1', server.port);
    client.send(Uint8Array.of(0x00, 0xff, 0x0a));
    expect((await server.waitForBytes(3)).toString('hex')).toBe('00ff0a');
  });
});
