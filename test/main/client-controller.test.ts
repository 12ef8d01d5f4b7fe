import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { LineServer, ServerEvents } from '../../electron/core/server.js';
import { ClientController, TRANSCRIPT_KEPT } from '../../electron/main/client-controller.js';
import type { ClientSendRequest } from '../../electron/shared/ipc-contract.js';
import type { ClientEvent, ClientState } from '../../electron/shared/models.js';
import { PlainServer, closedPort, eventually, startServer } from '../helpers/net.js';

const SONG = 'Old McDonald had a farm, E-I-E-I-O!';
const HAIKU_LINES = [
  'A haiku on "Error 404"',
  '',
  '  You step in the stream,',
  '  But the water has moved on.',
  '  This file is not here.',
];

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function lineServer(
  config: Parameters<typeof startServer>[0] = {},
): Promise<{ server: LineServer; port: number; opens: ServerEvents['open'][] }> {
  const started = await startServer(config);
  const opens: ServerEvents['open'][] = [];
  started.server.on('open', (e) => opens.push(e));
  cleanups.push(() => started.server.stop());
  return { ...started, opens };
}

async function plainServer(onConnection?: (socket: net.Socket) => void): Promise<PlainServer> {
  const server = await PlainServer.start(onConnection);
  cleanups.push(() => server.close());
  return server;
}

/** A controller that records every event and state it emits. */
function controller(): { client: ClientController; events: ClientEvent[]; states: ClientState[] } {
  const client = new ClientController();
  const events: ClientEvent[] = [];
  const states: ClientState[] = [];
  client.on('event', (e) => events.push(e));
  client.on('state', (s) => states.push(s));
  cleanups.push(() => client.disconnect());
  return { client, events, states };
}

function send(port: number, line: string, more: Partial<ClientSendRequest> = {}): ClientSendRequest {
  return { host: '127.0.0.1', port, line, lineEnding: 'crlf', ...more };
}

function kinds(events: ClientEvent[]): string[] {
  return events.map((e) => `${e.kind}: ${e.text}`);
}

describe('sending', () => {
  it('connects by itself and records connecting, connected, sent and the reply', async () => {
    const { port } = await lineServer();
    const { client, events, states } = controller();
    const outcome = await client.send(send(port, 'SONG'));
    expect(outcome).toEqual({
      ok: true,
      state: { connected: true, target: { host: '127.0.0.1', port }, history: ['SONG'] },
    });
    await eventually(() => events.length === 4);
    expect(kinds(events)).toEqual([
      `connecting: connecting to 127.0.0.1:${port}…`,
      `connected: connected to 127.0.0.1:${port}`,
      'sent: SONG',
      `reply: ${SONG}`,
    ]);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(states).toEqual([{ connected: true, target: { host: '127.0.0.1', port }, history: [] }]);
    expect(client.transcript).toEqual(events);
  });

  it('records every HAIKU line, the empty one included', async () => {
    const { port } = await lineServer();
    const { client, events } = controller();
    await client.send(send(port, 'haiku'));
    await eventually(() => events.filter((e) => e.kind === 'reply').length === 5);
    expect(events.filter((e) => e.kind === 'reply').map((e) => e.text)).toEqual(HAIKU_LINES);
  });

  it('reuses the open connection for the next send', async () => {
    const { port, opens } = await lineServer();
    const { client, events } = controller();
    await client.send(send(port, 'SONG'));
    await eventually(() => events.some((e) => e.kind === 'reply'));
    await client.send(send(port, 'QUOTE'));
    await eventually(() => events.filter((e) => e.kind === 'reply').length === 2);
    expect(opens).toHaveLength(1);
    expect(kinds(events).filter((k) => k.startsWith('connect'))).toHaveLength(2);
    expect(kinds(events).slice(2)).toEqual([
      'sent: SONG',
      `reply: ${SONG}`,
      'sent: QUOTE',
      'reply: And now for something completely different...',
    ]);
  });

  it('treats a host with surrounding spaces as the same target', async () => {
    const { port, opens } = await lineServer();
    const { client } = controller();
    await client.send(send(port, 'SONG'));
    const outcome = await client.send(send(port, 'SONG', { host: ' 127.0.0.1 ' }));
    expect(outcome.state.target).toEqual({ host: '127.0.0.1', port });
    expect(opens).toHaveLength(1);
  });

  it('two sends at once share one connection and arrive in order', async () => {
    const server = await plainServer();
    const { client } = controller();
    const [a, b] = await Promise.all([
      client.send(send(server.port, 'first')),
      client.send(send(server.port, 'second')),
    ]);
    expect(a.ok && b.ok).toBe(true);
    expect((await server.waitForBytes(15)).toString()).toBe('first\r\nsecond\r\n');
    expect(server.connections).toBe(1);
  });

  it('in one-shot mode reconnects for each send, and shows the server closing', async () => {
    const { port, opens } = await lineServer({ mode: 'one-shot' });
    const { client, events } = controller();
    await client.send(send(port, 'SONG'));
    await eventually(() => events.some((e) => e.kind === 'closed'));
    expect(client.state.connected).toBe(false);
    await client.send(send(port, 'SONG'));
    await eventually(() => events.filter((e) => e.kind === 'closed').length === 2);
    expect(opens).toHaveLength(2);
    const round = [
      `connecting: connecting to 127.0.0.1:${port}…`,
      `connected: connected to 127.0.0.1:${port}`,
      'sent: SONG',
      `reply: ${SONG}`,
      'closed: closed by the server',
    ];
    expect(kinds(events)).toEqual([...round, ...round]);
  });

  it('shows QUIT closing the connection', async () => {
    const { port } = await lineServer();
    const { client, events, states } = controller();
    await client.send(send(port, 'QUIT'));
    await eventually(() => events.some((e) => e.kind === 'closed'));
    expect(kinds(events).slice(2)).toEqual(['sent: QUIT', 'reply: Bye.', 'closed: closed by the server']);
    expect(states.at(-1)).toEqual({
      connected: false,
      target: { host: '127.0.0.1', port },
      history: ['QUIT'],
    });
  });

  it('escapes control bytes in replies', async () => {
    const server = await plainServer((socket) =>
      socket.once('data', () => socket.write('a\x1b[2Jb\x07\x00\x7f é\r\n')),
    );
    const { client, events } = controller();
    await client.send(send(server.port, 'x'));
    await eventually(() => events.some((e) => e.kind === 'reply'));
    expect(events.find((e) => e.kind === 'reply')?.text).toBe('a\\x1B[2Jb\\x07\\x00\\x7F é');
  });

  it('escapes control bytes in the line it records as sent, but sends the bytes as they are', async () => {
    const server = await plainServer();
    const { client, events } = controller();
    await client.send(send(server.port, 'a\x1bb\x00', { lineEnding: 'lf' }));
    expect((await server.waitForBytes(5)).equals(Buffer.from('a\x1bb\x00\n'))).toBe(true);
    expect(events.find((e) => e.kind === 'sent')?.text).toBe('a\\x1Bb\\x00');
  });
});

describe('bytes and history', () => {
  it('records the bytes sent and received, as hex, for the hex view', async () => {
    const { port } = await lineServer();
    const { client, events } = controller();
    await client.send(send(port, 'QUIT', { lineEnding: 'crlf' }));
    await eventually(() => events.some((e) => e.kind === 'reply'));
    expect(events.find((e) => e.kind === 'sent')?.hex).toBe('51 55 49 54 0D 0A');
    expect(events.find((e) => e.kind === 'reply')?.hex).toBe('42 79 65 2E 0D 0A');
    expect(events.find((e) => e.kind === 'connecting')?.hex).toBeUndefined();
  });

  it('gives the first reply line after a send its round-trip time', async () => {
    const { port } = await lineServer();
    const { client, events } = controller();
    await client.send(send(port, 'HAIKU'));
    await eventually(() => events.filter((e) => e.kind === 'reply').length === 5);
    const replies = events.filter((e) => e.kind === 'reply');
    expect(replies[0]?.rttMs).toBeGreaterThanOrEqual(0);
    expect(replies.slice(1).map((e) => e.rttMs)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('remembers sent lines in the history, not the same line twice in a row, and not blank ones', async () => {
    const server = await plainServer();
    const { client } = controller();
    for (const line of ['SONG', 'SONG', 'QUOTE', '  ', 'SONG']) await client.send(send(server.port, line));
    expect(client.state.history).toEqual(['SONG', 'QUOTE', 'SONG']);
  });
});

describe('line endings on the wire', () => {
  it.each([
    ['crlf', 'PING\r\n'],
    ['lf', 'PING\n'],
    ['none', 'PING'],
  ] as const)('%s sends exactly %j', async (lineEnding, bytes) => {
    const server = await plainServer();
    const { client } = controller();
    await client.send(send(server.port, 'PING', { lineEnding }));
    await client.send(send(server.port, 'é', { lineEnding }));
    const expected = Buffer.from(bytes + bytes.replace('PING', 'é'), 'utf8');
    await server.waitForBytes(expected.length);
    // Give any stray extra byte a moment to show up.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(server.bytes().equals(expected)).toBe(true);
  });
});

describe('refusals', () => {
  it.each([
    ['', 'invalid client host ""'],
    ['   ', 'invalid client host "   "'],
    ['my host', 'invalid client host "my host"'],
    ['a/b', 'invalid client host "a/b"'],
  ])('refuses the host %j without connecting', async (host, error) => {
    const server = await plainServer();
    const { client, events } = controller();
    const outcome = await client.send(send(server.port, 'SONG', { host }));
    expect(outcome).toEqual({ ok: false, error, state: { connected: false, target: null, history: [] } });
    expect(events).toEqual([]);
    expect(server.connections).toBe(0);
  });

  it.each([0, -1, 65536, 1.5, Number.NaN])('refuses the port %s without connecting', async (port) => {
    const { client, events } = controller();
    const outcome = await client.send(send(port, 'SONG'));
    expect(outcome).toEqual({
      ok: false,
      error: `invalid client port ${port}: use 1 to 65535`,
      state: { connected: false, target: null, history: [] },
    });
    expect(events).toEqual([]);
  });

  it.each(['SONG\r\nQUOTE', 'SONG\n', 'a\rb'])('refuses a line containing CR or LF: %j', async (line) => {
    const server = await plainServer();
    const { client, events } = controller();
    const outcome = await client.send(send(server.port, line));
    expect(outcome).toEqual({ ok: false, error: 'send one line at a time', state: client.state });
    expect(events).toEqual([]);
    expect(server.connections).toBe(0);
  });

  it('reports a refused connection readably, as an outcome and an error event', async () => {
    const port = await closedPort();
    const { client, events } = controller();
    const outcome = await client.send(send(port, 'SONG'));
    const message = `could not connect to 127.0.0.1:${port}: connection refused (is a server listening there?)`;
    expect(outcome).toEqual({
      ok: false,
      error: message,
      state: { connected: false, target: { host: '127.0.0.1', port }, history: [] },
    });
    expect(kinds(events)).toEqual([`connecting: connecting to 127.0.0.1:${port}…`, `error: ${message}`]);
  });

  it('after a refused connection, a send to a live server works', async () => {
    const dead = await closedPort();
    const { port } = await lineServer();
    const { client, events } = controller();
    expect((await client.send(send(dead, 'SONG'))).ok).toBe(false);
    expect((await client.send(send(port, 'SONG'))).ok).toBe(true);
    await eventually(() => events.some((e) => e.kind === 'reply'));
    expect(events.find((e) => e.kind === 'reply')?.text).toBe(SONG);
  });
});

describe('connection management', () => {
  it('disconnect closes the connection, records it and reports not connected', async () => {
    const { server, port } = await lineServer();
    const { client, events, states } = controller();
    await client.send(send(port, 'SONG'));
    await eventually(() => server.activeConnections === 1);
    const state = await client.disconnect();
    expect(state).toEqual({ connected: false, target: { host: '127.0.0.1', port }, history: ['SONG'] });
    expect(client.state.connected).toBe(false);
    expect(events.at(-1)?.kind).toBe('closed');
    expect(events.at(-1)?.text).toBe('disconnected');
    expect(states.at(-1)).toEqual(state);
    await eventually(() => server.activeConnections === 0);
  });

  it('disconnect with no connection records nothing', async () => {
    const { client, events } = controller();
    expect(await client.disconnect()).toEqual({ connected: false, target: null, history: [] });
    expect(events).toEqual([]);
  });

  it('switching target closes the old connection first', async () => {
    const a = await lineServer();
    const b = await lineServer();
    const { client, events } = controller();
    await client.send(send(a.port, 'SONG'));
    await eventually(() => events.some((e) => e.kind === 'reply'));
    expect(a.server.activeConnections).toBe(1);
    const outcome = await client.send(send(b.port, 'QUOTE'));
    expect(outcome).toEqual({
      ok: true,
      state: { connected: true, target: { host: '127.0.0.1', port: b.port }, history: ['SONG', 'QUOTE'] },
    });
    await eventually(() => a.server.activeConnections === 0);
    expect(b.server.activeConnections).toBe(1);
    await eventually(() => events.filter((e) => e.kind === 'reply').length === 2);
    expect(kinds(events).filter((k) => !k.startsWith('reply'))).toEqual([
      `connecting: connecting to 127.0.0.1:${a.port}…`,
      `connected: connected to 127.0.0.1:${a.port}`,
      'sent: SONG',
      'closed: disconnected',
      `connecting: connecting to 127.0.0.1:${b.port}…`,
      `connected: connected to 127.0.0.1:${b.port}`,
      'sent: QUOTE',
    ]);
  });

  it('reports a connection the server resets, with the error', async () => {
    const server = await plainServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    const { client, events } = controller();
    await client.send(send(server.port, 'x'));
    await eventually(() => events.some((e) => e.kind === 'closed'));
    expect(events.at(-1)?.text).toBe('closed: read ECONNRESET');
    expect(client.state.connected).toBe(false);
  });
});

describe('transcript', () => {
  it(`keeps the last ${TRANSCRIPT_KEPT} events`, async () => {
    const { port } = await lineServer({ maxConnections: 5 });
    const { client, events } = controller();
    const sends = 1100;
    for (let i = 0; i < sends; i++) {
      const outcome = await client.send(send(port, 'SONG'));
      expect(outcome.ok).toBe(true);
    }
    const total = 2 + sends * 2; // connecting, connected, then sent + reply per line
    await eventually(() => events.length === total, 10_000);
    const transcript = client.transcript;
    expect(transcript).toHaveLength(TRANSCRIPT_KEPT);
    expect(transcript[0]?.seq).toBe(total - TRANSCRIPT_KEPT + 1);
    expect(transcript.at(-1)?.seq).toBe(total);
    expect(transcript).toEqual(events.slice(-TRANSCRIPT_KEPT));
  });
});
