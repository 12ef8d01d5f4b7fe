/**
 * The test client over TLS (certificate checks on and off, the server's
 * certificate shown) and over UDP (datagrams each way), against real
 * listeners (docs/listeners.md).
 */
import { X509Certificate } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LineClient } from '../../electron/core/line-client.js';
import { LineServer } from '../../electron/core/server.js';
import { TlsListener } from '../../electron/core/tls-listener.js';
import { UdpListener } from '../../electron/core/udp-listener.js';
import { ClientController } from '../../electron/services/client-controller.js';
import { makeSelfSigned } from '../../electron/services/certificates.js';
import type { ClientEvent } from '../../electron/shared/ipc/models.js';
import { eventually } from '../helpers/net.js';

const TABLE = { commands: [{ name: 'PING', reply: 'PONG' }] };
let pems: { cert: string; key: string };
beforeAll(async () => {
  pems = await makeSelfSigned();
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tlsServer(): Promise<number> {
  const server = new LineServer(TABLE, { transport: new TlsListener(pems).factory });
  const started = await server.start({ host: '127.0.0.1', port: 0 });
  if (!started.ok) throw new Error(started.message);
  cleanups.push(() => server.stop());
  return started.port;
}

async function udpServer(): Promise<number> {
  const server = new UdpListener(TABLE);
  const started = await server.start({ host: '127.0.0.1', port: 0 });
  if (!started.ok) throw new Error(started.message);
  cleanups.push(() => server.stop());
  return started.port;
}

function client(): { client: LineClient; lines: string[] } {
  const c = new LineClient();
  const lines: string[] = [];
  c.on('line', ({ text }) => lines.push(text));
  cleanups.push(() => c.close());
  return { client: c, lines };
}

describe('LineClient over TLS', () => {
  it('with checks off, connects to a self-signed server and shows its certificate', async () => {
    const port = await tlsServer();
    const { client: c, lines } = client();
    await c.connect('127.0.0.1', port, { transport: 'tls', tls: { verify: false } });
    const x509 = new X509Certificate(pems.cert);
    expect(c.serverCertificate).toEqual({
      subject: 'CN=localhost, O=Switchboard (self-signed)',
      issuer: 'CN=localhost, O=Switchboard (self-signed)',
      validFrom: new Date(x509.validFrom).toISOString(),
      validTo: new Date(x509.validTo).toISOString(),
      fingerprint256: x509.fingerprint256,
      protocol: 'TLSv1.3',
      cipher: expect.stringMatching(/^TLS_/) as unknown,
      verified: false,
    });
    c.send('PING\n');
    await eventually(() => lines.length > 0);
    expect(lines).toEqual(['PONG']);
  });

  it('with checks on, refuses a self-signed server, saying how to connect anyway', async () => {
    const port = await tlsServer();
    const { client: c } = client();
    await expect(c.connect('127.0.0.1', port, { transport: 'tls', tls: { verify: true } })).rejects.toThrow(
      /could not connect to 127\.0\.0\.1:\d+: the server's certificate is not trusted \(self[- ]signed certificate\); turn certificate checks off/,
    );
    expect(c.connected).toBe(false);
  });

  it('with checks on and the certificate trusted, connects verified', async () => {
    const port = await tlsServer();
    const { client: c } = client();
    await c.connect('127.0.0.1', port, { transport: 'tls', tls: { verify: true, ca: pems.cert } });
    expect(c.serverCertificate?.verified).toBe(true);
  });
});

describe('LineClient over UDP', () => {
  it('sends datagrams and frames each one that comes back', async () => {
    const port = await udpServer();
    const { client: c, lines } = client();
    await c.connect('127.0.0.1', port, { transport: 'udp' });
    expect(c.connected).toBe(true);
    expect(c.serverCertificate).toBeNull();
    c.send('PING\n');
    c.send('HELP\n');
    await eventually(() => lines.length >= 2);
    expect(lines[0]).toBe('PONG');
    expect(lines.slice(1).join('\n')).toMatch(/PING/);
    await c.close();
    expect(c.connected).toBe(false);
  });
});

describe('ClientController over TLS and UDP', () => {
  it('says which certificate it connected to, and talks UDP', async () => {
    const tlsPort = await tlsServer();
    const udpPort = await udpServer();
    const controller = new ClientController();
    cleanups.push(() => controller.disconnect());
    const events: ClientEvent[] = [];
    controller.on('event', (e) => events.push(e));
    await controller.connect({ host: '127.0.0.1', port: tlsPort, transport: 'tls', tlsVerify: false });
    const fingerprint = new X509Certificate(pems.cert).fingerprint256;
    expect(events.find((e) => e.kind === 'connected')?.text).toMatch(
      new RegExp(
        `^connected to 127\\.0\\.0\\.1:${tlsPort} over TLSv1\\.3, TLS_\\w+; certificate CN=localhost, O=Switchboard \\(self-signed\\), issued by CN=localhost, O=Switchboard \\(self-signed\\), valid \\S+ to \\S+, SHA-256 ${fingerprint} \\(not checked\\)$`,
      ),
    );
    expect(controller.serverCertificate?.fingerprint256).toBe(fingerprint);
    // A send to the same host and port keeps the TLS connection.
    const sent = await controller.send({ host: '127.0.0.1', port: tlsPort, line: 'PING', lineEnding: 'lf' });
    expect(sent.ok).toBe(true);
    await eventually(() => events.some((e) => e.kind === 'reply' && e.text === 'PONG'));
    expect(events.filter((e) => e.kind === 'connected')).toHaveLength(1);

    await controller.connect({ host: '127.0.0.1', port: udpPort, transport: 'udp' });
    expect(controller.serverCertificate).toBeNull();
    expect(events.filter((e) => e.kind === 'connected').at(-1)?.text).toBe(
      `UDP: datagrams to 127.0.0.1:${udpPort} (no handshake: only replies show the server is there)`,
    );
  });
});
