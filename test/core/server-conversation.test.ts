import { afterEach, describe, expect, it } from 'vitest';
import type { CommandTable } from '../../electron/core/command-table.js';
import { LineServer } from '../../electron/core/server.js';
import { RawClient, eventually, startServer } from '../helpers/net.js';

const servers: LineServer[] = [];
const clients: RawClient[] = [];

async function serve(table: CommandTable, mode: 'session' | 'one-shot' = 'session'): Promise<number> {
  const server = new LineServer(table);
  servers.push(server);
  const { port } = await startServer({ mode }, server);
  return port;
}

async function connect(port: number): Promise<RawClient> {
  const client = await RawClient.connect(port);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

const SMTP: CommandTable = {
  greeting: '220 mock ESMTP',
  builtins: { quit: false },
  commands: [
    { name: 'HELO', state: 'start', reply: '250 hello {1}' },
    { name: 'DATA', state: 'start', reply: '354 end with .', then: 'data' },
    { pattern: '^\\.$', state: 'data', reply: '250 queued', then: 'start' },
    { pattern: '.*', state: 'data', reply: [] },
    { name: 'QUIT', reply: '221 bye', close: true },
  ],
};

describe('greeting', () => {
  it.each(['session', 'one-shot'] as const)('greets before the client says anything (%s)', async (mode) => {
    const port = await serve({ commands: [], greeting: ['+OK ready', 'you are {conn}'] }, mode);
    const client = await connect(port);
    expect(await client.waitFor((t) => t.includes('you are'))).toMatch(/^\+OK ready\r\nyou are \d+\r\n$/);
    expect(client.isClosed).toBe(false);
  });
});

describe('states', () => {
  it('carries a connection through an SMTP-like conversation, each connection in its own state', async () => {
    const port = await serve(SMTP);
    const a = await connect(port);
    const b = await connect(port);
    await a.waitFor('220 mock ESMTP\r\n');
    await b.waitFor('220 mock ESMTP\r\n');
    a.write('HELO me\r\nDATA\r\nHELO is text now\r\nSubject: hi\r\n');
    await a.waitFor((t) => t.includes('354 end with .\r\n'));
    // b is still in start: its HELO is a command.
    b.write('HELO b\r\n');
    await b.waitFor((t) => t.includes('250 hello b\r\n'));
    a.write('.\r\nQUIT\r\n');
    expect(await a.waitClosed()).toBe(
      '220 mock ESMTP\r\n250 hello me\r\n354 end with .\r\n250 queued\r\n221 bye\r\n',
    );
  });
});

describe('byte replies', () => {
  it('sends the exact bytes, request bytes copied, with no reply ending', async () => {
    const port = await serve({
      commands: [{ bytes: '49 44 20 ?? ??', replyBytes: '00 {req:3:2} FF' }],
      builtins: { help: false, quit: false },
    });
    const client = await connect(port);
    client.write('ID 42\n');
    await eventually(() => client.bytes.length >= 4, undefined, 'the reply');
    expect(client.bytes).toEqual(Buffer.from([0x00, 0x34, 0x32, 0xff]));
  });
});

describe('push', () => {
  it('pushes to every open connection on its period, in the states it names', async () => {
    const port = await serve({
      commands: [{ name: 'ON', reply: 'on', then: 'on' }],
      push: [
        { everyMs: 50, reply: '$GPRMC,{count}' },
        { everyMs: 50, reply: 'only when on', state: 'on' },
      ],
    });
    const a = await connect(port);
    const b = await connect(port);
    await a.waitFor((t) => (t.match(/\$GPRMC/g) ?? []).length >= 3);
    await b.waitFor((t) => (t.match(/\$GPRMC/g) ?? []).length >= 3);
    expect(a.text).not.toContain('only when on');
    a.write('ON\n');
    await a.waitFor((t) => t.includes('only when on'));
    expect(b.text).not.toContain('only when on');
  });

  it('keeps Stop immediate while pushes, greetings and delayed replies wait', async () => {
    const server = new LineServer({
      greeting: 'hi',
      commands: [{ name: 'SLOW', reply: 'late', delayMs: 60_000 }],
      push: [{ everyMs: 60_000, reply: 'tick' }],
    });
    servers.push(server);
    const { port } = await startServer({}, server);
    const client = await connect(port);
    await client.waitFor('hi\r\n');
    client.write('SLOW\n');
    await eventually(() => server.activeConnections === 1);
    const started = Date.now();
    const report = await server.stop();
    expect(report.closed).toBe(1);
    expect(Date.now() - started).toBeLessThan(5000); // immediate; the timers would wait a minute
    await client.waitClosed();
    expect(client.text).toBe('hi\r\n');
  });
});
