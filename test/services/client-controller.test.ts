import { promises as fs, readFileSync } from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LineServer, type ServerEvents } from '../../electron/core/server.js';
import {
  ClientController,
  HISTORY_KEPT,
  ROW_SHOWN_BYTES,
  TRANSCRIPT_KEPT,
} from '../../electron/services/client-controller.js';
import { JsonFileWriter } from '../../electron/services/json-file.js';
import { HISTORY_ENTRY_MAX_BYTES, NOT_IN_HISTORY } from '../../electron/shared/ipc/client-input.js';
import type { ClientSendRequest } from '../../electron/shared/ipc/ipc-contract.js';
import type { ClientEvent, ClientState } from '../../electron/shared/ipc/models.js';
import { PlainServer, closedPort, eventually, startServer } from '../helpers/net.js';
import { HAIKU_LINES, SONG_LINE as SONG } from '../helpers/classic.js';

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
      state: { connected: true, target: { host: '127.0.0.1', port } },
    });
    await eventually(() => events.length === 4);
    expect(kinds(events)).toEqual([
      `connecting: connecting to 127.0.0.1:${port}…`,
      `connected: connected to 127.0.0.1:${port}`,
      'sent: SONG',
      `reply: ${SONG}`,
    ]);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(states).toEqual([{ connected: true, target: { host: '127.0.0.1', port } }]);
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
    expect(client.history).toEqual(['SONG', 'QUOTE', 'SONG']);
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
    expect(outcome).toEqual({ ok: false, error, state: { connected: false, target: null } });
    expect(events).toEqual([]);
    expect(server.connections).toBe(0);
  });

  it.each([0, -1, 65536, 1.5, Number.NaN])('refuses the port %s without connecting', async (port) => {
    const { client, events } = controller();
    const outcome = await client.send(send(port, 'SONG'));
    expect(outcome).toEqual({
      ok: false,
      error: `invalid client port ${port}: use 1 to 65535`,
      state: { connected: false, target: null },
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

  it('reports a refused connection readably, once: in the outcome, not as a transcript row too', async () => {
    const port = await closedPort();
    const { client, events } = controller();
    const outcome = await client.send(send(port, 'SONG'));
    const message = `could not connect to 127.0.0.1:${port}: connection refused (is a server listening there?)`;
    expect(outcome).toEqual({
      ok: false,
      error: message,
      state: { connected: false, target: { host: '127.0.0.1', port } },
    });
    expect(kinds(events)).toEqual([`connecting: connecting to 127.0.0.1:${port}…`]);
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
    expect(state).toEqual({ connected: false, target: { host: '127.0.0.1', port } });
    expect(client.state.connected).toBe(false);
    expect(events.at(-1)?.kind).toBe('closed');
    expect(events.at(-1)?.text).toBe('disconnected');
    expect(states.at(-1)).toEqual(state);
    await eventually(() => server.activeConnections === 0);
  });

  it('disconnect with no connection records nothing', async () => {
    const { client, events } = controller();
    expect(await client.disconnect()).toEqual({ connected: false, target: null });
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
      state: { connected: true, target: { host: '127.0.0.1', port: b.port } },
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

describe('hex of the bytes on the wire', () => {
  it.each([
    ['crlf', 'é!', 'C3 A9 21 0D 0A'],
    ['lf', 'é!', 'C3 A9 21 0A'],
    ['none', 'é!', 'C3 A9 21'],
    ['lf', 'a\x1bb', '61 1B 62 0A'],
  ] as const)('a sent line with %s shows %j as its bytes', async (lineEnding, line, hex) => {
    const server = await plainServer();
    const { client, events } = controller();
    await client.send(send(server.port, line, { lineEnding }));
    expect(events.find((e) => e.kind === 'sent')?.hex).toBe(hex);
  });

  it('shows each reply line’s own bytes, line end included, control bytes unescaped', async () => {
    const server = await plainServer((socket) =>
      socket.once('data', () => socket.end(Buffer.from('ok\r\nbare lf\n\x00\x1b\r\ntail', 'latin1'))),
    );
    const { client, events } = controller();
    await client.send(send(server.port, 'x'));
    await eventually(() => events.some((e) => e.kind === 'closed'));
    expect(events.filter((e) => e.kind === 'reply').map((e) => [e.text, e.hex])).toEqual([
      ['ok', '6F 6B 0D 0A'],
      ['bare lf', '62 61 72 65 20 6C 66 0A'],
      ['\\x00\\x1B', '00 1B 0D 0A'],
      ['tail', '74 61 69 6C'],
    ]);
  });

  it('shows an empty reply line as just its line end', async () => {
    const { port } = await lineServer();
    const { client, events } = controller();
    await client.send(send(port, 'HAIKU'));
    await eventually(() => events.filter((e) => e.kind === 'reply').length === 5);
    expect(events.filter((e) => e.kind === 'reply')[1]).toMatchObject({ text: '', hex: '0D 0A' });
  });
});

describe('round-trip time', () => {
  it('is on the first reply line after each send, no more than the time it took, and on nothing else', async () => {
    const { port } = await lineServer();
    const { client, events } = controller();
    const arrived = new Map<number, number>();
    client.on('event', (e) => arrived.set(e.seq, performance.now()));
    const startedAt = performance.now();
    await client.send(send(port, 'HAIKU'));
    await eventually(() => events.filter((e) => e.kind === 'reply').length === 5);
    const secondAt = performance.now();
    await client.send(send(port, 'SONG'));
    await eventually(() => events.filter((e) => e.kind === 'reply').length === 6);

    const timed = events.filter((e) => e.rttMs !== undefined);
    expect(timed.map((e) => e.text)).toEqual(['A haiku on "Error 404"', SONG]);
    const [first, second] = timed;
    expect(first?.rttMs).toBeGreaterThanOrEqual(0);
    expect(first?.rttMs).toBeLessThanOrEqual((arrived.get(first?.seq ?? 0) ?? 0) - startedAt + 0.01);
    expect(second?.rttMs).toBeGreaterThanOrEqual(0);
    expect(second?.rttMs).toBeLessThanOrEqual((arrived.get(second?.seq ?? 0) ?? 0) - secondAt + 0.01);
    // Rounded to hundredths of a millisecond.
    for (const e of timed) expect(Math.round((e.rttMs ?? 0) * 100) / 100).toBe(e.rttMs);
  });

  it('is not given to a line the server sends unasked', async () => {
    const server = await plainServer((socket) => socket.write('welcome\r\n'));
    const { client, events } = controller();
    await client.connect({ host: '127.0.0.1', port: server.port });
    await eventually(() => events.some((e) => e.kind === 'reply'));
    expect(events.find((e) => e.kind === 'reply')).toMatchObject({
      text: 'welcome',
      hex: '77 65 6C 63 6F 6D 65 0D 0A',
    });
    expect(events.find((e) => e.kind === 'reply')?.rttMs).toBeUndefined();
  });
});

describe('history', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-history-'));
    cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  });

  function historyFile(): string {
    return path.join(dir, 'client-history.json');
  }

  /** The history in the file once it holds `expected` (the controller saves in the background). */
  async function savedHistory(expected: string[]): Promise<unknown> {
    const read = (): unknown => {
      try {
        return JSON.parse(readFileSync(historyFile(), 'utf8')) as unknown;
      } catch {
        return null;
      }
    };
    const want = { version: 1, history: expected };
    await eventually(() => JSON.stringify(read()) === JSON.stringify(want), 5000, 'the history file');
    return read();
  }

  async function opened(): Promise<{ client: ClientController; events: ClientEvent[] }> {
    const client = await ClientController.open(historyFile());
    const events: ClientEvent[] = [];
    client.on('event', (e) => events.push(e));
    cleanups.push(() => client.disconnect());
    return { client, events };
  }

  it(`keeps the last ${HISTORY_KEPT} lines sent, oldest first`, async () => {
    const server = await plainServer();
    const { client } = controller();
    const lines = Array.from({ length: HISTORY_KEPT + 5 }, (_, i) => `CMD ${i}`);
    for (const line of lines) await client.send(send(server.port, line));
    expect(client.history).toEqual(lines.slice(5));
  });

  it('does not add a line sent twice in a row, nor a blank one, but adds one sent again later', async () => {
    const server = await plainServer();
    const { client } = controller();
    for (const line of ['A', 'A', '', ' \t ', 'B', 'A', 'A']) await client.send(send(server.port, line));
    expect(client.history).toEqual(['A', 'B', 'A']);
  });

  it('saves the history to its file, and ClientController.open on that file restores it', async () => {
    const server = await plainServer();
    const first = await opened();
    expect(first.client.history).toEqual([]);
    for (const line of ['SONG', 'QUOTE', 'QUOTE', 'HAIKU']) await first.client.send(send(server.port, line));
    expect(await savedHistory(['SONG', 'QUOTE', 'HAIKU'])).toEqual({
      version: 1,
      history: ['SONG', 'QUOTE', 'HAIKU'],
    });
    await first.client.disconnect();

    const second = await opened();
    expect(second.client.history).toEqual(['SONG', 'QUOTE', 'HAIKU']);
    await second.client.send(send(server.port, 'POEM'));
    await savedHistory(['SONG', 'QUOTE', 'HAIKU', 'POEM']);
  });

  it(`restores at most ${HISTORY_KEPT} lines, the newest, from a longer file`, async () => {
    const lines = Array.from({ length: HISTORY_KEPT + 3 }, (_, i) => `L${i}`);
    await fs.writeFile(historyFile(), JSON.stringify({ version: 1, history: lines }));
    const { client } = await opened();
    expect(client.history).toEqual(lines.slice(3));
  });

  it('starts with an empty history when the file is damaged, and keeps the old file aside', async () => {
    await fs.writeFile(historyFile(), '{"version": 1, "history": ["SO');
    const { client } = await opened();
    expect(client.history).toEqual([]);
    const names = await fs.readdir(dir);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^client-history\.json\.damaged-/);
  });

  it('starts with an empty history when the file holds something else', async () => {
    await fs.writeFile(historyFile(), JSON.stringify({ version: 1, history: [1, 2] }));
    const { client } = await opened();
    expect(client.history).toEqual([]);
  });

  it('a send still works when the history cannot be saved', async () => {
    const server = await plainServer();
    // A file where its folder should be: the history can be neither read nor saved.
    await fs.writeFile(path.join(dir, 'blocker'), '');
    const client = await ClientController.open(path.join(dir, 'blocker', 'client-history.json'));
    cleanups.push(() => client.disconnect());
    const outcome = await client.send(send(server.port, 'SONG'));
    expect(outcome).toEqual({
      ok: true,
      state: { connected: true, target: { host: '127.0.0.1', port: server.port } },
    });
    expect((await server.waitForBytes(6)).toString()).toBe('SONG\r\n');
  });
});

describe('connect', () => {
  it('connects without sending anything, and reports connecting then connected', async () => {
    const server = await plainServer();
    const { client, events, states } = controller();
    const outcome = await client.connect({ host: '127.0.0.1', port: server.port });
    const state = { connected: true, target: { host: '127.0.0.1', port: server.port } };
    expect(outcome).toEqual({ ok: true, state });
    expect(kinds(events)).toEqual([
      `connecting: connecting to 127.0.0.1:${server.port}…`,
      `connected: connected to 127.0.0.1:${server.port}`,
    ]);
    expect(states).toEqual([state]);
    await eventually(() => server.connections === 1);
    expect(server.bytes().length).toBe(0);
  });

  it('keeps an open connection to the same target, and a send then uses it', async () => {
    const { port, opens } = await lineServer();
    const { client, events } = controller();
    await client.connect({ host: '127.0.0.1', port });
    expect(await client.connect({ host: ' 127.0.0.1 ', port })).toEqual({
      ok: true,
      state: { connected: true, target: { host: '127.0.0.1', port } },
    });
    await client.send(send(port, 'SONG'));
    await eventually(() => events.some((e) => e.kind === 'reply'));
    expect(opens).toHaveLength(1);
    expect(kinds(events)).toEqual([
      `connecting: connecting to 127.0.0.1:${port}…`,
      `connected: connected to 127.0.0.1:${port}`,
      'sent: SONG',
      `reply: ${SONG}`,
    ]);
  });

  it('moves to another target, closing the old connection', async () => {
    const a = await lineServer();
    const b = await lineServer();
    const { client } = controller();
    await client.connect({ host: '127.0.0.1', port: a.port });
    await eventually(() => a.server.activeConnections === 1);
    const outcome = await client.connect({ host: '127.0.0.1', port: b.port });
    expect(outcome.state.target).toEqual({ host: '127.0.0.1', port: b.port });
    await eventually(() => a.server.activeConnections === 0 && b.server.activeConnections === 1);
  });

  it.each([
    [{ host: '', port: 1234 }, 'invalid client host ""'],
    [{ host: 'two words', port: 1234 }, 'invalid client host "two words"'],
    [{ host: '127.0.0.1', port: 0 }, 'invalid client port 0: use 1 to 65535'],
    [{ host: '127.0.0.1', port: 70000 }, 'invalid client port 70000: use 1 to 65535'],
  ])('refuses the target %j without connecting or recording anything', async (target, error) => {
    const { client, events } = controller();
    expect(await client.connect(target)).toEqual({
      ok: false,
      error,
      state: { connected: false, target: null },
    });
    expect(events).toEqual([]);
  });

  it('reports a refused connection once, as the outcome, with no error row', async () => {
    const port = await closedPort();
    const { client, events } = controller();
    const message = `could not connect to 127.0.0.1:${port}: connection refused (is a server listening there?)`;
    expect(await client.connect({ host: '127.0.0.1', port })).toEqual({
      ok: false,
      error: message,
      state: { connected: false, target: { host: '127.0.0.1', port } },
    });
    expect(kinds(events)).toEqual([`connecting: connecting to 127.0.0.1:${port}…`]);
  });
});

describe('clear', () => {
  it('empties the transcript but keeps the history and the connection', async () => {
    const { port } = await lineServer();
    const { client, events } = controller();
    await client.send(send(port, 'SONG'));
    await client.send(send(port, 'QUOTE'));
    await eventually(() => events.filter((e) => e.kind === 'reply').length === 2);
    expect(client.transcript).toHaveLength(6);

    const state = client.clear();
    expect(state).toEqual({
      connected: true,
      target: { host: '127.0.0.1', port },
    });
    expect(client.transcript).toEqual([]);

    await client.send(send(port, 'SONG'));
    await eventually(() => client.transcript.length === 2);
    expect(client.transcript.map((e) => [e.seq, e.kind, e.text])).toEqual([
      [7, 'sent', 'SONG'],
      [8, 'reply', SONG],
    ]);
    expect(client.history).toEqual(['SONG', 'QUOTE', 'SONG']);
  });
});

describe('the conversation as a stream of what was sent and received', () => {
  /** A line server whose SLOW command answers after 300 ms (a stand-in for a 1.5 s reply). */
  async function slowServer(): Promise<{ port: number }> {
    const table = { commands: [{ name: 'SLOW', reply: 'late', delayMs: 300 }] };
    const started = await startServer({}, new LineServer(table));
    cleanups.push(() => started.server.stop());
    return started;
  }

  /** The rows that carry bytes, as `> sent` and `< received`, with their RTT where given. */
  function stream(events: ClientEvent[]): string[] {
    return events
      .filter((e) => e.kind === 'sent' || e.kind === 'reply')
      .map((e) => `${e.kind === 'sent' ? '>' : '<'} ${e.text}${e.rttMs === undefined ? '' : ' (rtt)'}`);
  }

  it('shows a greeting as received before the first command, and not as its answer', async () => {
    // A server that greets on connect (SMTP, FTP, POP3) and answers each line.
    const server = await plainServer((socket) => {
      socket.write('220 ready\r\n');
      socket.on('data', () => socket.write('250 ok\r\n'));
    });
    const { client, events } = controller();
    expect((await client.send(send(server.port, 'HELO me'))).ok).toBe(true);
    await eventually(() => events.filter((e) => e.kind === 'reply').length === 2);
    expect(stream(events)).toEqual(['< 220 ready', '> HELO me', '< 250 ok (rtt)']);
  });

  it('a late reply shows where it arrived, with its RTT when nothing was sent meanwhile', async () => {
    const { port } = await slowServer();
    const { client, events } = controller();
    const sentAt = performance.now();
    await client.send(send(port, 'SLOW'));
    await eventually(() => events.some((e) => e.kind === 'reply'));
    const waited = performance.now() - sentAt;
    expect(stream(events)).toEqual(['> SLOW', '< late (rtt)']);
    const rtt = events.find((e) => e.kind === 'reply')?.rttMs ?? 0;
    expect(rtt).toBeGreaterThanOrEqual(290);
    expect(rtt).toBeLessThanOrEqual(waited + 1);
  });

  it('a late reply that comes after the next send belongs to neither: no RTT, shown after both', async () => {
    const { port } = await slowServer();
    const { client, events } = controller();
    await client.send(send(port, 'SLOW'));
    await client.send(send(port, 'PING'));
    await eventually(() => events.filter((e) => e.kind === 'reply').length === 2);
    // The server answers in order: PING's answer waits behind SLOW's.
    expect(stream(events)).toEqual(['> SLOW', '> PING', '< late', '< Unknown command: PING']);
  });

  it('shows bytes without a line end at once, and the rest of that line as it comes', async () => {
    let peer: net.Socket | undefined;
    const server = await plainServer((socket) => {
      peer = socket;
      socket.write('login: ');
    });
    const { client, events } = controller();
    await client.connect({ host: '127.0.0.1', port: server.port });
    await eventually(() => events.some((e) => e.kind === 'reply'));
    expect(events.at(-1)).toMatchObject({
      kind: 'reply',
      text: 'login: ',
      unterminated: true,
      hex: '6C 6F 67 69 6E 3A 20',
    });
    expect(client.state.connected).toBe(true);
    peer?.write('still no end');
    await eventually(() => events.filter((e) => e.kind === 'reply').length === 2);
    peer?.write(' - now\r\nnext\n');
    await eventually(() => events.filter((e) => e.kind === 'reply').length === 4);
    expect(
      events.filter((e) => e.kind === 'reply').map((e) => [e.text, !!e.unterminated, !!e.continued]),
    ).toEqual([
      ['login: ', true, false],
      ['still no end', true, true],
      [' - now', false, true],
      ['next', false, false],
    ]);
  });

  it('gives no RTT when two commands went out before any answer', async () => {
    const server = await plainServer();
    const { client, events } = controller();
    await client.send(send(server.port, 'A'));
    await client.send(send(server.port, 'B'));
    await server.waitForBytes(6);
    server.sockets[0]?.write('answer\r\n');
    await eventually(() => events.some((e) => e.kind === 'reply'));
    expect(stream(events)).toEqual(['> A', '> B', '< answer']);
  });
});

describe('input modes', () => {
  it.each([
    ['hex', '41 42 43', 'crlf', '414243'],
    ['hex', '0x00,0xFF 7f', 'crlf', '00ff7f'],
    ['escapes', 'A\\x41\\r\\n\\t\\\\\\0', 'none', '41410d0a095c00'],
    ['escapes', 'é\\x0d', 'lf', 'c3a90d0a'],
    ['text', '41 42', 'lf', '34312034320a'],
  ] as const)('%s %j with %s sends exactly %s', async (inputMode, line, lineEnding, hex) => {
    const server = await plainServer();
    const { client, events } = controller();
    const outcome = await client.send(send(server.port, line, { inputMode, lineEnding }));
    expect(outcome.ok).toBe(true);
    const expected = Buffer.from(hex, 'hex');
    await server.waitForBytes(expected.length);
    // The next send's bytes follow at once: nothing stray came between.
    await client.send(send(server.port, 'END', { lineEnding: 'lf' }));
    await server.waitForBytes(expected.length + 4);
    expect(server.bytes().toString('hex')).toBe(`${hex}454e440a`);
    const sent = events.find((e) => e.kind === 'sent');
    expect(sent?.hex?.replaceAll(' ', '').toLowerCase()).toBe(hex);
    expect(sent?.inputMode).toBe(inputMode === 'text' ? undefined : inputMode);
  });

  it.each([
    ['hex', '41 4', /no pair/],
    ['hex', '41 GG', /"G" at column 4 is not a hex digit/],
    ['hex', '  ', /no bytes/],
    ['escapes', 'a\\q', /"\\q" is not an escape/],
    ['escapes', '\\x4', /\\x needs two hex digits/],
    ['escapes', 'end\\', /lone "\\"/],
  ] as const)('refuses %s %j with a message, connecting to nothing', async (inputMode, line, error) => {
    const server = await plainServer();
    const { client, events } = controller();
    const outcome = await client.send(send(server.port, line, { inputMode }));
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? '' : outcome.error).toMatch(error);
    expect(events).toEqual([]);
    expect(server.connections).toBe(0);
  });
});

describe('sizes that stay bounded', () => {
  it('a 1 MiB command goes out whole, but its row and the answer stay small', async () => {
    const server = await plainServer();
    const { client, events } = controller();
    const line = 'x'.repeat(1024 * 1024);
    const outcome = await client.send(send(server.port, line));
    await server.waitForBytes(line.length + 2);
    expect(server.bytes().length).toBe(line.length + 2);
    expect(JSON.stringify(outcome).length).toBeLessThan(1000);
    const sent = events.find((e) => e.kind === 'sent');
    expect(sent).toMatchObject({ bytes: line.length + 2, omitted: line.length + 2 - ROW_SHOWN_BYTES });
    expect(sent?.text.length).toBe(ROW_SHOWN_BYTES);
    expect(JSON.stringify(sent).length).toBeLessThan(5 * ROW_SHOWN_BYTES);
  });

  it('a 1 MiB reply line is shown in bounded rows, every byte counted', async () => {
    const reply = Buffer.alloc(1024 * 1024, 0x61);
    const server = await plainServer((socket) =>
      socket.once('data', () => socket.end(Buffer.concat([reply, Buffer.from('\n')]))),
    );
    const { client, events } = controller();
    await client.send(send(server.port, 'x'));
    await eventually(() => events.some((e) => e.kind === 'closed'));
    const rows = events.filter((e) => e.kind === 'reply');
    expect(rows.reduce((n, e) => n + (e.bytes ?? 0), 0)).toBe(reply.length + 1);
    for (const row of rows) expect(JSON.stringify(row).length).toBeLessThan(5 * ROW_SHOWN_BYTES);
  });
});

describe('history limits', () => {
  it(`does not keep a command longer than ${HISTORY_ENTRY_MAX_BYTES} bytes, and says so`, async () => {
    const server = await plainServer();
    const { client } = controller();
    const longest = 'é'.repeat(HISTORY_ENTRY_MAX_BYTES / 2);
    const tooLong = `${longest}x`;
    expect(await client.send(send(server.port, longest))).toEqual({ ok: true, state: client.state });
    expect(await client.send(send(server.port, tooLong))).toEqual({
      ok: true,
      state: client.state,
      notice: NOT_IN_HISTORY,
    });
    expect(client.history).toEqual([longest]);
  });

  it('drops too-long entries from a history file written before the limit', () => {
    const client = new ClientController({ history: ['A', 'x'.repeat(HISTORY_ENTRY_MAX_BYTES + 1), 'B'] });
    expect(client.history).toEqual(['A', 'B']);
  });

  it('writes the file once for a burst of sends, not once per send, and not for a repeat', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-history-'));
    cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'client-history.json');
    const writes = vi.spyOn(JsonFileWriter.prototype, 'write');
    cleanups.push(() => Promise.resolve(writes.mockRestore()));
    const server = await plainServer();
    const client = await ClientController.open(file);
    cleanups.push(() => client.disconnect());
    for (let i = 0; i < 20; i++) await client.send(send(server.port, `CMD ${i}`));
    for (let i = 0; i < 20; i++) await client.send(send(server.port, 'CMD 19'));
    await eventually(() => writes.mock.calls.length === 1, 5000, 'the delayed save');
    await client.disconnect(); // nothing new to save: no second write
    expect(writes).toHaveBeenCalledTimes(1);
    const saved = JSON.parse(await fs.readFile(file, 'utf8')) as { history: string[] };
    expect(saved.history).toHaveLength(20);
    // A change right before quitting is not lost: disconnect (at quit) writes it.
    await client.send(send(server.port, 'LAST'));
    await client.disconnect();
    expect(writes).toHaveBeenCalledTimes(2);
    expect((JSON.parse(await fs.readFile(file, 'utf8')) as { history: string[] }).history.at(-1)).toBe(
      'LAST',
    );
  });
});
