/**
 * The test client's transports as the window asks for them (docs/window.md):
 * `client:connect` and `client:send` name TCP, TLS (certificate check on or
 * off) or UDP; over TLS the state carries the server's certificate, so a
 * reloaded window shows it; over UDP each send is one datagram and nothing
 * is called connected. Real sockets: a node:tls server and `openssl
 * s_server` with a certificate from certificates.ts, a node:dgram echo and socat.
 */
import { X509Certificate } from 'node:crypto';
import dgram from 'node:dgram';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type net from 'node:net';
import tls from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeSelfSigned } from '../../electron/services/certificates.js';
import { ClientController } from '../../electron/services/client-controller.js';
import type { ClientEvent } from '../../electron/shared/ipc/models.js';
import { eventually } from '../helpers/net.js';
import { killTools, tool } from '../helpers/tools.js';

let pems: { cert: string; key: string };
beforeAll(async () => {
  pems = await makeSelfSigned();
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  killTools();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A TLS server that answers PING with PONG; it counts handshakes that failed. */
async function tlsServer(): Promise<{ port: number; failed: () => number }> {
  let failed = 0;
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ cert: pems.cert, key: pems.key }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      if (chunk.toString().startsWith('PING')) socket.write('PONG\n');
    });
  });
  server.on('tlsClientError', () => (failed += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as net.AddressInfo).port, failed: () => failed };
}

/** A UDP server that answers each datagram with `echo: ` and it; it keeps what it got. */
async function udpEcho(): Promise<{ port: number; got: string[] }> {
  const socket = dgram.createSocket('udp4');
  const got: string[] = [];
  socket.on('message', (data, from) => {
    got.push(data.toString());
    socket.send(`echo: ${data.toString()}`, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return { port: socket.address().port, got };
}

function controller(): { client: ClientController; events: ClientEvent[] } {
  const client = new ClientController();
  const events: ClientEvent[] = [];
  client.on('event', (e) => events.push(e));
  cleanups.push(() => client.disconnect());
  return { client, events };
}

const replies = (events: ClientEvent[]): string[] =>
  events.filter((e) => e.kind === 'reply').map((e) => e.text);

describe('the test client over TLS', () => {
  it('with Check certificate on, refuses a self-signed server in words and keeps no certificate', async () => {
    const server = await tlsServer();
    const { client, events } = controller();
    const outcome = await client.connect({ host: '127.0.0.1', port: server.port, transport: 'tls' });
    expect(outcome).toEqual({
      ok: false,
      error: expect.stringMatching(
        new RegExp(
          `^could not connect to 127\\.0\\.0\\.1:${server.port}: the server's certificate is not trusted \\(self[- ]signed certificate\\); turn certificate checks off to connect anyway$`,
        ),
      ) as unknown,
      state: { connected: false, target: { host: '127.0.0.1', port: server.port, transport: 'tls' } },
    });
    expect(outcome.ok ? '' : outcome.error).not.toMatch(/\n\s+at /);
    expect(events.map((e) => e.kind)).toEqual(['connecting']);
    await eventually(() => server.failed() === 1);
  });

  it('with it off, connects, puts the certificate in the state, and talks', async () => {
    const server = await tlsServer();
    const { client, events } = controller();
    const outcome = await client.connect({
      host: '127.0.0.1',
      port: server.port,
      transport: 'tls',
      tlsVerify: false,
    });
    const x509 = new X509Certificate(pems.cert);
    expect(outcome.ok).toBe(true);
    expect(client.state).toEqual({
      connected: true,
      target: { host: '127.0.0.1', port: server.port, transport: 'tls', tlsVerify: false },
      certificate: {
        subject: 'CN=localhost, O=Switchboard (self-signed)',
        issuer: 'CN=localhost, O=Switchboard (self-signed)',
        validFrom: new Date(x509.validFrom).toISOString(),
        validTo: new Date(x509.validTo).toISOString(),
        fingerprint256: x509.fingerprint256,
        protocol: expect.stringMatching(/^TLSv1\.[23]$/) as unknown,
        cipher: expect.stringMatching(/^TLS_|^ECDHE/) as unknown,
        verified: false,
      },
    });
    expect(outcome.state).toEqual(client.state);
    const sent = await client.send({
      host: '127.0.0.1',
      port: server.port,
      line: 'PING',
      lineEnding: 'lf',
      transport: 'tls',
      tlsVerify: false,
    });
    expect(sent.ok).toBe(true);
    await eventually(() => replies(events).includes('PONG'));
    expect(events.filter((e) => e.kind === 'connected')).toHaveLength(1);

    // A send that asks for the check reconnects with it, and is refused: the certificate goes with the connection.
    const checked = await client.send({
      host: '127.0.0.1',
      port: server.port,
      line: 'PING',
      lineEnding: 'lf',
      transport: 'tls',
      tlsVerify: true,
    });
    expect(checked).toMatchObject({ ok: false, error: expect.stringMatching(/not trusted/) as unknown });
    expect(client.state.connected).toBe(false);
    expect(client.state.certificate).toBeUndefined();
  });

  it('a send naming TCP to a TLS port is not TLS: the server sees a failed handshake', async () => {
    const server = await tlsServer();
    const { client } = controller();
    await client.connect({ host: '127.0.0.1', port: server.port, transport: 'tls', tlsVerify: false });
    const sent = await client.send({
      host: '127.0.0.1',
      port: server.port,
      line: 'PING',
      lineEnding: 'lf',
      transport: 'tcp',
    });
    expect(sent.ok).toBe(true);
    expect(client.state.target?.transport).toBe('tcp');
    expect(client.state.certificate).toBeUndefined();
    await eventually(() => server.failed() === 1);
  });
});

describe('the test client against openssl s_server', () => {
  it('shows the certificate openssl presents and exchanges lines both ways', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-client-tls-'));
    cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
    await fs.writeFile(path.join(dir, 'cert.pem'), pems.cert);
    await fs.writeFile(path.join(dir, 'key.pem'), pems.key);
    const server = tool('openssl', [
      's_server',
      '-accept',
      '127.0.0.1:0',
      '-cert',
      path.join(dir, 'cert.pem'),
      '-key',
      path.join(dir, 'key.pem'),
    ]);
    // The whole line, so that the port is not read from half of it.
    await server.waitFor('ACCEPT');
    await eventually(() => /ACCEPT 127\.0\.0\.1:\d+\n/.test(server.stdout));
    const port = Number(/ACCEPT 127\.0\.0\.1:(\d+)/.exec(server.stdout)?.[1]);
    const { client, events } = controller();
    const outcome = await client.connect({ host: '127.0.0.1', port, transport: 'tls', tlsVerify: false });
    expect(outcome.ok).toBe(true);
    expect(client.state.certificate?.fingerprint256).toBe(new X509Certificate(pems.cert).fingerprint256);
    expect(client.state.certificate?.verified).toBe(false);
    await client.send({ host: '127.0.0.1', port, line: 'hello openssl', lineEnding: 'lf' });
    await server.waitFor('hello openssl\n');
    server.send('hello switchboard\n');
    await eventually(() => replies(events).includes('hello switchboard'));
  });
});

describe('the test client over UDP', () => {
  it('sends one datagram per send, shows each reply as a received row, and calls nothing connected', async () => {
    const echo = await udpEcho();
    const { client, events } = controller();
    const request = { host: '127.0.0.1', port: echo.port, lineEnding: 'lf', transport: 'udp' } as const;
    expect((await client.send({ ...request, line: 'one' })).ok).toBe(true);
    expect((await client.send({ ...request, line: 'two' })).ok).toBe(true);
    await eventually(() => replies(events).length === 2);
    expect(echo.got).toEqual(['one\n', 'two\n']);
    expect(replies(events).sort()).toEqual(['echo: one', 'echo: two']);
    expect(events.filter((e) => e.kind === 'connecting')).toEqual([]);
    expect(events.find((e) => e.kind === 'connected')?.text).toBe(
      `UDP: datagrams to 127.0.0.1:${echo.port} (no handshake: only replies show the server is there)`,
    );
    expect(client.state.certificate).toBeUndefined();
    await client.disconnect();
    expect(events.at(-1)).toMatchObject({ kind: 'closed', text: 'UDP socket closed' });
  });

  it('talks to socat', async () => {
    const socat = tool('socat', ['-d', '-d', 'UDP-LISTEN:0,bind=127.0.0.1', 'PIPE']);
    let port = 0;
    await eventually(() => {
      port = Number(/listening on UDP AF=2 127\.0\.0\.1:(\d+)/.exec(socat.stderr)?.[1] ?? 0);
      return port > 0;
    });
    const { client, events } = controller();
    const sent = await client.send({
      host: '127.0.0.1',
      port,
      line: 'hello over UDP',
      lineEnding: 'lf',
      transport: 'udp',
    });
    expect(sent.ok).toBe(true);
    await eventually(() => replies(events).length === 1);
    expect(replies(events)).toEqual(['hello over UDP']);
  });
});
