import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LineClient, type LineClientEvents } from '../../electron/core/line-client.js';
import type { LineServer } from '../../electron/core/server.js';
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
