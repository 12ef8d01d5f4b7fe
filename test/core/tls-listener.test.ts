import tls from 'node:tls';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LineServer, type ServerEvents } from '../../electron/core/server.js';
import {
  TlsListener,
  type TlsListenerEvents,
  type TlsListenerOptions,
} from '../../electron/core/tls-listener.js';
import { makeSelfSigned } from '../../electron/services/certificates.js';
import { RawClient, eventually, isRefused } from '../helpers/net.js';
import { killTools, tool } from '../helpers/tools.js';

let pems: { cert: string; key: string };
let dir = '';
beforeAll(async () => {
  pems = await makeSelfSigned();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-tls-listener-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const servers: LineServer[] = [];
afterEach(async () => {
  killTools();
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

const SONG = 'Old McDonald had a farm, E-I-E-I-O!\r\n';

async function listen(options: Partial<TlsListenerOptions> = {}): Promise<{
  server: LineServer;
  port: number;
  opens: ServerEvents['open'][];
  failures: TlsListenerEvents['tlsClientError'][];
}> {
  const transport = new TlsListener({ ...pems, ...options });
  const server = new LineServer(undefined, { transport: transport.factory });
  servers.push(server);
  const opens: ServerEvents['open'][] = [];
  const failures: TlsListenerEvents['tlsClientError'][] = [];
  server.on('open', (e) => opens.push(e));
  transport.on('tlsClientError', (e) => failures.push(e));
  const started = await server.start({ host: '127.0.0.1', port: 0 });
  if (!started.ok) throw new Error(started.message);
  return { server, port: started.port, opens, failures };
}

describe('a TLS line server', () => {
  it('answers openssl s_client, and its open event names the TLS version and cipher', async () => {
    const { port, opens } = await listen();
    const openssl = tool('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-quiet']);
    openssl.send('SONG\n');
    await openssl.waitFor(SONG);
    openssl.send('QUIT\n');
    await openssl.waitFor('Bye.\r\n');
    expect(await openssl.exited).toBe(0);
    expect(opens).toHaveLength(1);
    expect(opens[0]?.remoteAddress).toBe('127.0.0.1');
    expect(opens[0]?.tls?.protocol).toBe('TLSv1.3');
    expect(opens[0]?.tls?.cipher).toMatch(/^TLS_/);
  });

  it("answers ncat --ssl that verifies a user's certificate", async () => {
    const user = await makeSelfSigned();
    const trust = path.join(dir, 'user.crt');
    await fs.writeFile(trust, user.cert);
    const { port } = await listen(user);
    const ncat = tool('ncat', ['--ssl', '--ssl-verify', '--ssl-trustfile', trust, 'localhost', String(port)]);
    ncat.send('HAIKU\n');
    expect(await ncat.waitFor('This file is not here.\r\n')).toContain('A haiku on "Error 404"');
  });

  it('turns a plain-TCP client away with a hint and its own event, never as a connection', async () => {
    const { server, port, opens, failures } = await listen();
    const client = await RawClient.connect(port);
    client.write('SONG\n');
    expect(await client.waitClosed()).toBe('ERR this port speaks TLS: connect with a TLS client\r\n');
    expect(failures).toEqual([
      expect.objectContaining({
        plainTcp: true,
        remotePort: client.socket.localPort,
        message: 'this client spoke plain TCP to a TLS port (first byte 0x53, not a TLS handshake)',
      }),
    ]);
    expect(opens).toEqual([]);
    expect(server.activeConnections).toBe(0);
  });

  it('reports a client that does not trust the certificate as a handshake failure', async () => {
    const { port, opens, failures } = await listen();
    const strict = tool('openssl', [
      's_client',
      '-connect',
      `127.0.0.1:${port}`,
      '-verify_return_error',
      '-quiet',
    ]);
    expect(await strict.exited).not.toBe(0);
    await eventually(() => failures.length > 0);
    expect(failures[0]).toMatchObject({
      plainTcp: false,
      message: 'TLS handshake failed: tlsv1 alert unknown ca (the client does not trust this certificate)',
    });
    expect(opens).toEqual([]);
  });

  it('gives up on a client that sends nothing, or starts a handshake and stalls', async () => {
    const { port, failures } = await listen({ handshakeTimeoutMs: 200 });
    const silent = await RawClient.connect(port);
    const stalled = await RawClient.connect(port);
    stalled.write(Buffer.from([0x16, 0x03, 0x01])); // the start of a ClientHello, and no more
    await Promise.all([silent.waitClosed(), stalled.waitClosed()]);
    await eventually(() => failures.length === 2);
    expect(failures.map((f) => f.message).sort()).toEqual([
      'TLS handshake not finished in time',
      'no TLS handshake within 0.2 s',
    ]);
  });

  it('refuses handshakes past the limit at once, and frees a place when a handshake ends', async () => {
    const { port, failures } = await listen({ maxPendingHandshakes: 2, handshakeTimeoutMs: 1000 });
    const waiting = [await RawClient.connect(port), await RawClient.connect(port)];
    const third = await RawClient.connect(port);
    await third.waitClosed();
    expect(failures).toEqual([
      expect.objectContaining({ message: 'refused: 2 TLS handshakes already in progress' }),
    ]);
    expect(waiting.every((c) => !c.isClosed)).toBe(true);
    // The two silent ones time out, and their places are free.
    await Promise.all(waiting.map((c) => c.waitClosed()));
    await eventually(() => failures.length === 3);
    // A finished handshake frees its place too: more clients than places, one after another, all served.
    for (let i = 0; i < 3; i++) {
      const client = tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false });
      client.on('error', () => undefined);
      await new Promise<void>((resolve) => client.once('secureConnect', resolve));
      client.write('SONG\n');
      await new Promise<void>((resolve) => client.once('data', () => resolve()));
      client.destroy();
    }
    expect(failures).toHaveLength(3);
  });

  it('Stop closes TLS connections and handshakes in progress at once; the port is free right after', async () => {
    const { server, port } = await listen();
    const connected = tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false });
    connected.on('error', () => undefined);
    await new Promise<void>((resolve) => connected.once('secureConnect', resolve));
    await eventually(() => server.activeConnections === 1);
    const silent = await RawClient.connect(port); // never says a word
    const halfway = await RawClient.connect(port);
    halfway.write(Buffer.from([0x16, 0x03, 0x01])); // a handshake begun and never finished
    const closed = new Promise<void>((resolve) => connected.once('close', () => resolve()));
    const report = await server.stop();
    expect(report.closed).toBe(1);
    expect(report.durationMs).toBeLessThan(1000);
    await Promise.all([closed, silent.waitClosed(), halfway.waitClosed()]);
    expect(await isRefused(port)).toBe(true);
    const again = await server.start({ host: '127.0.0.1', port });
    expect(again.ok).toBe(true);
  });

  it('refuses PEM text that is not a certificate and key at once', () => {
    expect(() => new TlsListener({ cert: 'nope', key: pems.key })).toThrow();
  });

  it('serves a plain TCP client when no transport is given', async () => {
    const server = new LineServer();
    servers.push(server);
    const started = await server.start({ host: '127.0.0.1', port: 0 });
    if (!started.ok) throw new Error(started.message);
    const opens: ServerEvents['open'][] = [];
    server.on('open', (e) => opens.push(e));
    const client = await RawClient.connect(started.port);
    client.write('SONG\n');
    await client.waitFor(SONG);
    expect(opens[0]).not.toHaveProperty('tls');
  });
});
