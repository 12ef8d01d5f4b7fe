import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandTable } from '../../electron/core/command-table.js';
import {
  MAX_QUEUED_REPLIES,
  UdpListener,
  type UdpListenerEvents,
  type UdpSettings,
} from '../../electron/core/udp-listener.js';
import { eventually } from '../helpers/net.js';
import { killTools, tool } from '../helpers/tools.js';
import { UdpClient } from '../helpers/udp.js';

const listeners: UdpListener[] = [];
const clients: UdpClient[] = [];
afterEach(async () => {
  killTools();
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(listeners.splice(0).map((l) => l.stop()));
});

type Recorded = {
  [K in keyof UdpListenerEvents]: { kind: K } & UdpListenerEvents[K];
}[keyof UdpListenerEvents];

async function listen(
  config: Partial<UdpSettings> = {},
  table?: CommandTable,
): Promise<{ listener: UdpListener; port: number; events: Recorded[] }> {
  const listener = new UdpListener(table);
  listeners.push(listener);
  const events: Recorded[] = [];
  const kinds: (keyof UdpListenerEvents)[] = [
    'listening',
    'open',
    'line',
    'unknown',
    'reply',
    'close',
    'rejected',
    'error',
    'stopped',
    'dropped',
  ];
  for (const kind of kinds) listener.on(kind, (e) => events.push({ kind, ...e } as Recorded));
  const started = await listener.start({ host: '127.0.0.1', port: 0, ...config });
  if (!started.ok) throw new Error(started.message);
  return { listener, port: started.port, events };
}

async function client(port: number): Promise<UdpClient> {
  const c = await UdpClient.open(port);
  clients.push(c);
  return c;
}

const SONG = 'Old McDonald had a farm, E-I-E-I-O!\r\n';

describe('UdpListener', () => {
  it('answers each line of a datagram to its sender, and counts each remote as one connection', async () => {
    const { port, events } = await listen();
    const a = await client(port);
    const b = await client(port);
    await a.send('SONG\n');
    expect(await a.waitFor(1)).toEqual([SONG]);
    await b.send('QUOTE\r\n  song  \nnope'); // several lines; the last one without its LF counts
    expect(await b.waitFor(3)).toEqual([
      'And now for something completely different...\r\n',
      SONG,
      'Unknown command: nope\r\n',
    ]);
    await a.send('HELP');
    expect((await a.waitFor(2))[1]).toBe('Commands: HAIKU HELP POEM QUIT QUOTE SONG\r\n');
    const opens = events.filter((e) => e.kind === 'open');
    expect(opens).toEqual([
      expect.objectContaining({ conn: 1, remoteAddress: '127.0.0.1', remotePort: a.localPort }),
      expect.objectContaining({ conn: 2, remoteAddress: '127.0.0.1', remotePort: b.localPort }),
    ]);
    expect(events.filter((e) => e.kind === 'line').map((e) => [e.conn, e.line])).toEqual([
      [1, 'SONG'],
      [2, 'QUOTE'],
      [2, 'song'],
      [2, 'nope'],
      [1, 'HELP'],
    ]);
    expect(events.filter((e) => e.kind === 'unknown')).toHaveLength(1);
  });

  it('gives an empty datagram no reply and keeps serving', async () => {
    const { port } = await listen();
    const a = await client(port);
    await a.send(Buffer.alloc(0));
    await a.send('\n \t\r\n');
    await a.send(Buffer.from([0x00, 0xff, 0x1b, 0x0a]));
    await a.send('SONG\n');
    expect(await a.waitFor(2)).toEqual(['Unknown command: \\x00\ufffd\\x1B\r\n', SONG]);
  });

  it('closes a remote on QUIT; its next datagram opens a new connection', async () => {
    const { port, events } = await listen();
    const a = await client(port);
    await a.send('QUIT\nSONG\n'); // the line after QUIT goes unanswered
    expect(await a.waitFor(1)).toEqual(['Bye.\r\n']);
    await eventually(() => events.some((e) => e.kind === 'close'));
    expect(events.find((e) => e.kind === 'close')).toMatchObject({
      conn: 1,
      reason: 'quit',
      bytesIn: 10,
      bytesOut: 6,
    });
    await a.send('SONG\n');
    expect(await a.waitFor(2)).toEqual(['Bye.\r\n', SONG]);
    expect(events.filter((e) => e.kind === 'open').map((e) => e.conn)).toEqual([1, 2]);
  });

  it('answers one line per connection in one-shot mode', async () => {
    const { port, events } = await listen({ mode: 'one-shot' });
    const a = await client(port);
    await a.send('SONG\nQUOTE\n');
    expect(await a.waitFor(1)).toEqual([SONG]);
    await eventually(() => events.some((e) => e.kind === 'close'));
    expect(events.find((e) => e.kind === 'close')).toMatchObject({ reason: 'one-shot' });
  });

  it('sends delayed replies in order, and a closing rule closes after its reply', async () => {
    const table: CommandTable = {
      commands: [
        { name: 'SLOW', reply: 'slow', delayMs: 50 },
        { name: 'FAST', reply: 'fast' },
        { name: 'BYE', reply: 'so long', close: true },
      ],
    };
    const { port, events } = await listen({}, table);
    const a = await client(port);
    await a.send('SLOW\nFAST\nBYE\nFAST\n');
    expect(await a.waitFor(3)).toEqual(['slow\r\n', 'fast\r\n', 'so long\r\n']);
    await eventually(() => events.some((e) => e.kind === 'close'));
    expect(events.find((e) => e.kind === 'close')).toMatchObject({ reason: 'rule' });
  });

  it('queues at most MAX_QUEUED_REPLIES delayed replies per remote and drops the rest', async () => {
    const table: CommandTable = { commands: [{ name: 'S', reply: 's', delayMs: 1 }] };
    const { port, events } = await listen({}, table);
    const a = await client(port);
    await a.send('S\n'.repeat(MAX_QUEUED_REPLIES + 100));
    await a.waitFor(MAX_QUEUED_REPLIES, 30_000);
    await a.send('QUIT\n'); // behind an empty queue: the very next datagram back
    const got = await a.waitFor(MAX_QUEUED_REPLIES + 1);
    expect(got.at(-1)).toBe('Bye.\r\n');
    expect(got).toHaveLength(MAX_QUEUED_REPLIES + 1);
    expect(events.filter((e) => e.kind === 'line')).toHaveLength(MAX_QUEUED_REPLIES + 101);
  });

  it("greets a remote on its first datagram and keeps each remote's conversation state", async () => {
    const table: CommandTable = {
      greeting: '220 ready',
      commands: [
        { name: 'DATA', state: 'start', reply: '354 go on', then: 'data' },
        { pattern: '^\\.$', state: 'data', reply: '250 queued', then: 'start' },
        { pattern: '.*', state: 'data', reply: [] },
      ],
    };
    const { port } = await listen({}, table);
    const [a, b] = [await client(port), await client(port)];
    await a.send('DATA\nhello\n');
    expect(await a.waitFor(2)).toEqual(['220 ready\r\n', '354 go on\r\n']);
    await b.send('.\n'); // b is in start: '.' is unknown there
    expect(await b.waitFor(2)).toEqual(['220 ready\r\n', 'Unknown command: .\r\n']);
    await a.send('.\n'); // a is still in data
    expect((await a.waitFor(3))[2]).toBe('250 queued\r\n');
  });

  it('closes a silent remote at the idle timeout', async () => {
    const { port, events } = await listen({ idleTimeoutSec: 0.2 });
    const a = await client(port);
    await a.send('SONG\n');
    await eventually(() => events.some((e) => e.kind === 'close'));
    const close = events.find((e) => e.kind === 'close');
    expect(close).toMatchObject({ conn: 1, reason: 'idle' });
    expect(close?.kind === 'close' && close.durationMs).toBeGreaterThanOrEqual(190);
  });

  it('drops a datagram over the size limit, answering nothing', async () => {
    const { port, events } = await listen({ maxDatagramBytes: 1000 });
    const a = await client(port);
    await a.send(`SONG ${'x'.repeat(1000)}\n`);
    await a.send('QUOTE\n');
    expect(await a.waitFor(1)).toEqual(['And now for something completely different...\r\n']);
    expect(events.find((e) => e.kind === 'dropped')).toMatchObject({
      conn: 0,
      remotePort: a.localPort,
      bytes: 1006,
      reason: 'too-large',
    });
    expect(events.filter((e) => e.kind === 'line')).toHaveLength(1);
  });

  it('answers a line over the line limit with ERR line too long and closes the remote', async () => {
    const { port, events } = await listen({ maxLineBytes: 8 });
    const a = await client(port);
    await a.send('SONG\n123456789\nQUOTE\n');
    expect(await a.waitFor(2)).toEqual([SONG, 'ERR line too long\r\n']);
    await eventually(() => events.some((e) => e.kind === 'close'));
    expect(events.find((e) => e.kind === 'close')).toMatchObject({ reason: 'line-too-long' });
    await a.send('123456789'); // too long without its LF too
    expect(await a.waitFor(3)).toEqual([SONG, 'ERR line too long\r\n', 'ERR line too long\r\n']);
  });

  it('turns away remotes past the limit with ERR server busy', async () => {
    const { port, events } = await listen({ maxConnections: 2 });
    const [a, b, c] = [await client(port), await client(port), await client(port)];
    await a.send('SONG\n');
    await b.send('SONG\n');
    await Promise.all([a.waitFor(1), b.waitFor(1)]);
    await c.send('SONG\n');
    expect(await c.waitFor(1)).toEqual(['ERR server busy\r\n']);
    expect(events.find((e) => e.kind === 'rejected')).toMatchObject({
      remotePort: c.localPort,
      reason: 'busy',
    });
    await a.send('QUIT\n');
    await a.waitFor(2);
    await c.send('SONG\n'); // a's place is free now
    expect(await c.waitFor(2)).toEqual(['ERR server busy\r\n', SONG]);
  });

  it('lets one address hold only its share of the remotes', async () => {
    const { port, events } = await listen({ maxPerRemote: 1 });
    const [a, b] = [await client(port), await client(port)]; // one address, two ports
    await a.send('SONG\n');
    await a.waitFor(1);
    await b.send('SONG\n');
    expect(await b.waitFor(1)).toEqual(['ERR too many connections from your address\r\n']);
    expect(events.find((e) => e.kind === 'rejected')).toMatchObject({ reason: 'per-remote' });
    await a.send('QUIT\n');
    await a.waitFor(2);
    await b.send('SONG\n');
    expect((await b.waitFor(2))[1]).toBe(SONG);
  });

  it('Stop closes the socket and every remote at once; the port can be bound again right away', async () => {
    const { listener, port, events } = await listen();
    const a = await client(port);
    const b = await client(port);
    await a.send('SONG\n');
    await b.send('SONG\n');
    await Promise.all([a.waitFor(1), b.waitFor(1)]);
    const report = await listener.stop();
    expect(report.closed).toBe(2);
    expect(events.filter((e) => e.kind === 'close').map((e) => e.reason)).toEqual(['stop', 'stop']);
    expect(events.at(-1)).toMatchObject({ kind: 'stopped', closed: 2 });
    const again = await listener.start({ host: '127.0.0.1', port });
    expect(again).toEqual({ ok: true, host: '127.0.0.1', port });
  });

  it('refuses to start on a port in use, naming host and port', async () => {
    const blocker = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => blocker.bind(0, '127.0.0.1', resolve));
    const port = blocker.address().port;
    try {
      const result = await new UdpListener().start({ host: '127.0.0.1', port });
      expect(result).toEqual({
        ok: false,
        code: 'EADDRINUSE',
        message: `port ${port} on 127.0.0.1 is already in use`,
      });
    } finally {
      blocker.close();
    }
  });
});

describe('UdpListener with real clients', () => {
  it('answers socat', async () => {
    const { port } = await listen();
    const socat = tool('socat', ['-', `UDP:127.0.0.1:${port}`]);
    socat.send('SONG\n');
    await socat.waitFor(SONG);
    socat.send('HAIKU\n');
    expect(await socat.waitFor('This file is not here.\r\n')).toContain('A haiku on "Error 404"\r\n');
  });

  it('answers ncat -u', async () => {
    const { port, events } = await listen();
    const ncat = tool('ncat', ['-u', '127.0.0.1', String(port)]);
    ncat.send('QUOTE\n');
    await ncat.waitFor('completely different...\r\n');
    ncat.send('nothing\n');
    await ncat.waitFor('Unknown command: nothing\r\n');
    expect(events.filter((e) => e.kind === 'open')).toHaveLength(1);
  });
});
