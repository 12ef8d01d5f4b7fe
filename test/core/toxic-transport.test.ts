/**
 * Toxics on a mock listener (docs/forwarding.md, "Faults"): a line server
 * answering through the toxics, measured through real sockets.
 */
import type net from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { LineServer, type ServerEvents } from '../../electron/core/server.js';
import type { CommandTable } from '../../electron/core/command-table.js';
import { TlsListener } from '../../electron/core/tls-listener.js';
import { tcpTransport } from '../../electron/core/transport.js';
import { makeSelfSigned } from '../../electron/services/certificates.js';
import { checkToxic, type Toxic } from '../../electron/shared/protocol/toxics.js';
import { RawClient, eventually } from '../helpers/net.js';

const servers: LineServer[] = [];
const clients: RawClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.stop();
});

function toxic(value: unknown): Toxic {
  const checked = checkToxic(value);
  if (!checked.ok) throw new Error(checked.message);
  return checked.toxic;
}

/** The BIG reply: two lines of 50,000 characters, 100,004 bytes. */
const HALF = 'x'.repeat(50_000);
const BIG = `${HALF}\r\n${HALF}`;
const TABLE: CommandTable = {
  commands: [
    { name: 'PING', reply: 'PONG' },
    { name: 'BIG', reply: [HALF, HALF] },
    { name: 'SHORT', reply: 'y'.repeat(105) },
  ],
};

async function serve(
  table: CommandTable = TABLE,
  toxics: Toxic[] = [],
): Promise<{ server: LineServer; connect: () => Promise<RawClient> }> {
  const server = new LineServer(table);
  server.setToxics(toxics);
  servers.push(server);
  const started = await server.start({ host: '127.0.0.1', port: 0 });
  if (!started.ok) throw new Error(started.message);
  return {
    server,
    connect: async () => {
      const client = await RawClient.connect(started.port);
      client.socket.setNoDelay(true);
      clients.push(client);
      return client;
    },
  };
}

/** Milliseconds from sending `line` to `expect` having arrived after what was there. */
async function roundTrip(client: RawClient, line: string, reply: string): Promise<number> {
  const before = client.text.length;
  const t0 = performance.now();
  client.write(line);
  await client.waitFor((text) => text.length >= before + reply.length, 10_000);
  return performance.now() - t0;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function nextEvent<K extends keyof ServerEvents>(server: LineServer, event: K): Promise<ServerEvents[K]> {
  return new Promise((resolve) => {
    const off = server.on(event, (e) => {
      off();
      resolve(e);
    });
  });
}

describe('toxics on a mock listener', () => {
  it('latency downstream adds the latency asked to each round trip, within a few ms', async () => {
    const { server, connect } = await serve();
    const client = await connect();
    const times = async (): Promise<number> => {
      const rtts: number[] = [];
      for (let i = 0; i < 7; i++) rtts.push(await roundTrip(client, 'PING\n', 'PONG\r\n'));
      return median(rtts);
    };
    // The same connection without and with the toxic: the difference is what the toxic adds.
    const bare = await times();
    server.setToxics([toxic({ type: 'latency', attributes: { latency: 100 } })]);
    const added = (await times()) - bare;
    expect(added).toBeGreaterThanOrEqual(98);
    expect(added).toBeLessThan(100 + 20);
    expect(client.text).toBe('PONG\r\n'.repeat(14));
  });

  it('latency upstream holds the client bytes before the engine sees them', async () => {
    const { server, connect } = await serve(TABLE, [
      toxic({ type: 'latency', stream: 'upstream', attributes: { latency: 150 } }),
    ]);
    const client = await connect();
    const line = nextEvent(server, 'line');
    const t0 = performance.now();
    client.write('PING\n');
    expect((await line).line).toBe('PING');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(145);
    await client.waitFor('PONG\r\n');
  });

  it('applies at once to open connections, and lets go at once when removed', async () => {
    const { server, connect } = await serve();
    const client = await connect();
    expect(await roundTrip(client, 'PING\n', 'PONG\r\n')).toBeLessThan(200);
    server.setToxics([toxic({ type: 'latency', attributes: { latency: 300 } })]);
    expect(server.toxics.map((t) => t.name)).toEqual(['latency_downstream']);
    expect(await roundTrip(client, 'PING\n', 'PONG\r\n')).toBeGreaterThanOrEqual(295);
    // A reply held by the toxic goes out when it is removed, long before its 300 ms.
    const before = client.text.length;
    const t0 = performance.now();
    client.write('PING\n');
    await nextEvent(server, 'reply');
    server.setToxics([]);
    await client.waitFor((t) => t.length >= before + 6);
    expect(performance.now() - t0).toBeLessThan(280);
    expect(client.text).toBe('PONG\r\n'.repeat(3));
  });

  it('bandwidth holds a big reply within 10% of the rate', async () => {
    const rate = 100; // KB/s: the 100 KB reply takes a second
    const { connect } = await serve(TABLE, [toxic({ type: 'bandwidth', attributes: { rate } })]);
    const client = await connect();
    let first = 0;
    let firstBytes = 0;
    client.socket.once('data', (chunk: Buffer) => {
      first = performance.now();
      firstBytes = chunk.length;
    });
    client.write('BIG\n');
    await client.waitFor((t) => t.length >= BIG.length + 2, 20_000);
    const measured = (BIG.length + 2 - firstBytes) / 1000 / ((performance.now() - first) / 1000);
    expect(measured).toBeGreaterThan(rate * 0.9);
    expect(measured).toBeLessThan(rate * 1.1);
    expect(client.text).toBe(`${BIG}\r\n`);
  });

  it('answers pipelined requests whose replies a toxic holds past the output cap, none lost', async () => {
    // Each BIG reply (100 KB) held by the toxic counts as unread output: the
    // server stops reading, and reads on once the toxic has let it all go.
    const { connect } = await serve(TABLE, [toxic({ type: 'bandwidth', attributes: { rate: 2000 } })]);
    const client = await connect();
    client.write('BIG\nBIG\nBIG\nPING\n');
    const whole = `${BIG}\r\n`.repeat(3) + 'PONG\r\n';
    await client.waitFor((t) => t.length >= whole.length, 20_000);
    expect(client.text === whole).toBe(true);
  });

  it('slicer writes the reply in slices of the asked size', async () => {
    const { connect } = await serve(TABLE, [
      toxic({ type: 'slicer', attributes: { average_size: 10, size_variation: 0, delay: 5000 } }),
    ]);
    const client = await connect();
    const reads: number[] = [];
    client.socket.on('data', (chunk: Buffer) => reads.push(chunk.length));
    client.write('SHORT\n');
    await client.waitFor((t) => t.length >= 107);
    expect(client.text).toBe(`${'y'.repeat(105)}\r\n`);
    // 107 bytes: ten slices of 10 and one of 7; reads may join slices, never split one here.
    expect(reads.length).toBeGreaterThan(1);
    for (const size of reads.slice(0, -1)) expect(size % 10).toBe(0);
  });

  it('limit_data closes the connection after exactly the bytes allowed', async () => {
    const { server, connect } = await serve(TABLE, [
      toxic({ type: 'limit_data', attributes: { bytes: 1000 } }),
    ]);
    const client = await connect();
    const closed = nextEvent(server, 'close');
    client.write('BIG\n');
    await client.waitClosed();
    client.end();
    expect(client.bytes.length).toBe(1000);
    expect((await closed).message).toMatch(/limit_data/);
  });

  it('timeout lets nothing through and closes after the timeout', async () => {
    const { server, connect } = await serve(TABLE, [
      toxic({ type: 'timeout', attributes: { timeout: 200 } }),
    ]);
    const closed = nextEvent(server, 'close');
    const t0 = performance.now();
    const client = await connect();
    client.write('PING\n');
    await client.waitClosed();
    client.end();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
    expect(client.text).toBe('');
    expect((await closed).message).toMatch(/timeout/);
  });

  it('timeout 0 on upstream drops the client bytes until removed', async () => {
    // The server's side of each socket, to see bytes arrive that the engine never gets.
    const sockets: net.Socket[] = [];
    const server = new LineServer(TABLE, {
      transport: (onSocket) =>
        tcpTransport((socket, info) => {
          sockets.push(socket);
          onSocket(socket, info);
        }),
    });
    servers.push(server);
    server.setToxics([toxic({ type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } })]);
    const started = await server.start({ host: '127.0.0.1', port: 0 });
    if (!started.ok) throw new Error(started.message);
    const client = await RawClient.connect(started.port);
    clients.push(client);
    const lines: string[] = [];
    server.on('line', (e) => lines.push(e.line));
    client.write('DROPPED\n');
    await eventually(() => (sockets[0]?.bytesRead ?? 0) >= 8);
    server.setToxics([]);
    await roundTrip(client, 'PING\n', 'PONG\r\n');
    expect(client.text).toBe('PONG\r\n');
    expect(lines).toEqual(['PING']);
    expect(client.isClosed).toBe(false);
  });

  it('reset_peer resets the connection (ECONNRESET) the timeout after data came', async () => {
    const { server, connect } = await serve(TABLE, [
      toxic({ type: 'reset_peer', attributes: { timeout: 100 } }),
    ]);
    const client = await connect();
    const error = new Promise<NodeJS.ErrnoException>((resolve) => client.socket.once('error', resolve));
    const closed = nextEvent(server, 'close');
    const t0 = performance.now();
    client.write('PING\n');
    expect((await error).code).toBe('ECONNRESET');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(90);
    expect((await closed).reason).toBe('reset');
  });

  it('slow_close sends QUIT’s Bye. at once and the close after the delay', async () => {
    const { connect } = await serve(TABLE, [toxic({ type: 'slow_close', attributes: { delay: 300 } })]);
    const client = await connect();
    client.write('QUIT\n');
    await client.waitFor('Bye.');
    const t0 = performance.now();
    await client.waitClosed();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(250);
  });

  it('slow_close longer than the close grace still closes only after its delay', async () => {
    const { connect } = await serve(TABLE, [toxic({ type: 'slow_close', attributes: { delay: 2500 } })]);
    const client = await connect();
    const t0 = performance.now();
    client.end('PING\n');
    await client.waitFor('PONG');
    await client.waitClosed(6000);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(2400);
  });

  it('toxicity 0 applies to no connection', async () => {
    const { connect } = await serve(TABLE, [
      toxic({ type: 'timeout', toxicity: 0, attributes: { timeout: 0 } }),
    ]);
    const client = await connect();
    expect(await roundTrip(client, 'PING\n', 'PONG\r\n')).toBeLessThan(1000);
  });

  it('applies the table file’s toxics; a new table with the same toxics keeps those set since', async () => {
    const slow = { name: 'slow', type: 'latency', attributes: { latency: 200 } } as const;
    const table: CommandTable = { ...TABLE, toxics: [slow] };
    const { server, connect } = await serve(table);
    server.setToxics([]); // undone by serve(): start again from the table
    const fresh = new LineServer(table);
    servers.push(fresh);
    expect(fresh.toxics.map((t) => t.name)).toEqual(['slow']);
    const started = await fresh.start({ host: '127.0.0.1', port: 0 });
    if (!started.ok) throw new Error(started.message);
    const client = await RawClient.connect(started.port);
    clients.push(client);
    expect(await roundTrip(client, 'PING\n', 'PONG\r\n')).toBeGreaterThanOrEqual(195);

    // The same toxics in a new table: the ones set through setToxics stay.
    fresh.setToxics([]);
    fresh.setTable({ ...table, commands: [{ name: 'PING', reply: 'PONG2' }] });
    expect(fresh.toxics).toEqual([]);
    // New toxics in the table: they take over.
    fresh.setTable({ ...table, toxics: [{ ...slow, attributes: { latency: 50 } }] });
    expect(fresh.toxics[0]?.attributes).toEqual({ latency: 50, jitter: 0 });
    expect(server.toxics).toEqual([]);
    await connect();
  });

  it('works over TLS too', async () => {
    const tls = new TlsListener(await makeSelfSigned());
    const server = new LineServer(TABLE, { transport: tls.factory });
    servers.push(server);
    server.setToxics([toxic({ type: 'latency', attributes: { latency: 150 } })]);
    const started = await server.start({ host: '127.0.0.1', port: 0 });
    if (!started.ok) throw new Error(started.message);
    const socket = tlsConnect({ host: '127.0.0.1', port: started.port, rejectUnauthorized: false });
    await new Promise<void>((resolve) => socket.once('secureConnect', () => resolve()));
    const t0 = performance.now();
    socket.write('PING\n');
    const got = await new Promise<string>((resolve) =>
      socket.once('data', (c: Buffer) => resolve(String(c))),
    );
    expect(got).toBe('PONG\r\n');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(145);
    socket.destroy();
  });
});
