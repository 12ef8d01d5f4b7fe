/**
 * Forwarding listeners in a workspace (docs/listeners.md): plain TCP with
 * toxics, TLS terminated at the listener, an upstream reached over TLS
 * (checked or not), and datagrams over UDP, driven by openssl, ncat and
 * socat through `npm run serve -- --config FILE`.
 */
import dgram from 'node:dgram';
import { promises as fs } from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSelfSigned } from '../../electron/services/certificates.js';
import { PlainServer, RawClient } from '../helpers/net.js';
import { runTs, type CliProcess } from '../helpers/process.js';
import { killTools, tool } from '../helpers/tools.js';

let dir = '';
const cleanups: (() => unknown)[] = [];
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-workspace-forward-'));
});
afterEach(async () => {
  killTools();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await fs.rm(dir, { recursive: true, force: true });
});

function serve(args: string[]): CliProcess {
  const cli = runTs('electron/cli/serve.ts', args);
  cleanups.push(() => {
    if (cli.child.exitCode === null) cli.kill('SIGKILL');
  });
  return cli;
}

async function portOf(cli: CliProcess, name: string): Promise<number> {
  const m = await cli.waitForLine(new RegExp(`^listening on 127\\.0\\.0\\.1:(\\d+) \\(${name}\\)$`));
  return Number(m[1]);
}

async function echoServer(): Promise<PlainServer> {
  const server = await PlainServer.start((socket) => socket.pipe(socket));
  cleanups.push(() => server.close());
  return server;
}

/** A TLS echo server with a self-signed certificate for localhost and 127.0.0.1; its PEM. */
async function tlsEcho(): Promise<{ port: number; cert: string; received: () => string }> {
  const pems = await makeSelfSigned();
  let received = '';
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ cert: pems.cert, key: pems.key }, (socket) => {
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as net.AddressInfo).port, cert: pems.cert, received: () => received };
}

async function udpEcho(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => socket.send(msg, rinfo.port, rinfo.address));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return socket.address().port;
}

describe('forwarding listeners in a workspace', () => {
  it('relays TCP with toxics, terminates TLS, reaches TLS upstreams and forwards UDP, naming each listener', async () => {
    const echo = await echoServer();
    const secure = await tlsEcho();
    const udp = await udpEcho();
    await fs.writeFile(path.join(dir, 'upstream.pem'), secure.cert);
    const file = path.join(dir, 'workspace.json');
    await fs.writeFile(
      file,
      JSON.stringify({
        listeners: [
          {
            name: 'relay',
            port: 0,
            forward: `127.0.0.1:${echo.port}`,
            toxics: [{ name: 'slow', type: 'latency', attributes: { latency: 150 } }],
          },
          {
            name: 'mock',
            port: 0,
            commands: { commands: [{ name: 'PING', reply: 'PONG' }] },
            toxics: [{ name: 'slices', type: 'slicer', attributes: { average_size: 2, delay: 20_000 } }],
          },
          { name: 'front', port: 0, transport: 'tls', forward: `127.0.0.1:${echo.port}` },
          { name: 'back', port: 0, forward: `127.0.0.1:${secure.port}`, forwardTls: { verify: false } },
          {
            name: 'checked',
            port: 0,
            forward: `127.0.0.1:${secure.port}`,
            forwardTls: { ca: 'upstream.pem' },
          },
          { name: 'strict', port: 0, forward: `127.0.0.1:${secure.port}`, forwardTls: true },
          { name: 'dgram', port: 0, transport: 'udp', forward: `127.0.0.1:${udp}`, idleTimeoutSec: 0 },
        ],
      }),
    );
    const cli = serve(['--config', file, '--data-dir', path.join(dir, 'data')]);
    const ports: Record<string, number> = {};
    for (const name of ['relay', 'mock', 'front', 'back', 'checked', 'strict', 'dgram'])
      ports[name] = await portOf(cli, name);

    // TCP through a latency toxic, both ways in the log.
    const relay = await RawClient.connect(ports.relay ?? 0);
    cleanups.push(() => relay.destroy());
    const t0 = performance.now();
    relay.write('hello\n');
    await relay.waitFor('hello\n');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(145);
    await cli.waitForLine(/ \(relay\) #1 127\.0\.0\.1:\d+ line client: hello$/);
    await cli.waitForLine(/ \(relay\) #1 127\.0\.0\.1:\d+ reply upstream: hello$/);

    // A mock listener's toxics: PONG and its line end (6 bytes) in slices of 2, 20 ms apart.
    const mock = await RawClient.connect(ports.mock ?? 0);
    cleanups.push(() => mock.destroy());
    const reads: number[] = [];
    mock.socket.on('data', (chunk: Buffer) => reads.push(chunk.length));
    const t1 = performance.now();
    mock.write('PING\n');
    await mock.waitFor('PONG\r\n');
    // Three slices, two pauses of 20 ms between them.
    expect(performance.now() - t1).toBeGreaterThanOrEqual(38);
    expect(reads.length).toBeGreaterThan(1);

    // TLS from the client, plain to the upstream: the log shows the plain bytes.
    const openssl = tool('openssl', ['s_client', '-connect', `127.0.0.1:${ports.front}`, '-quiet']);
    openssl.send('secret over tls\n');
    await openssl.waitFor('secret over tls\n');
    await cli.waitForLine(/ \(front\) #1 127\.0\.0\.1:\d+ open connected over TLSv1\.3, TLS_/);
    await cli.waitForLine(/ \(front\) #1 127\.0\.0\.1:\d+ line client: secret over tls$/);
    const ncat = tool('ncat', ['--ssl', '127.0.0.1', String(ports.front)]);
    ncat.send('by ncat\n');
    await ncat.waitFor('by ncat\n');

    // Plain from the client, TLS to the upstream: unchecked, and checked against the given CA.
    for (const name of ['back', 'checked']) {
      const client = await RawClient.connect(ports[name] ?? 0);
      cleanups.push(() => client.destroy());
      client.write(`via ${name}\n`);
      await client.waitFor(`via ${name}\n`);
      expect(secure.received()).toContain(`via ${name}\n`);
    }
    // Checked against the system's CAs, the self-signed upstream is refused, and the log says why.
    const strict = await RawClient.connect(ports.strict ?? 0);
    cleanups.push(() => strict.destroy());
    strict.write('never\n');
    await strict.waitClosed();
    expect(strict.text).toBe('');
    await cli.waitForLine(
      / \(strict\) #1 127\.0\.0\.1:\d+ close closed \(unreachable: cannot reach upstream 127\.0\.0\.1:\d+: self[- ]signed certificate/,
    );

    // Datagrams both ways, per remote: socat and ncat -u each get their own answer.
    const socat = tool('socat', ['-', `UDP:127.0.0.1:${ports.dgram}`]);
    socat.send('ping from socat\n');
    await socat.waitFor('ping from socat\n');
    const ncatUdp = tool('ncat', ['-u', '127.0.0.1', String(ports.dgram)]);
    ncatUdp.send('ping from ncat\n');
    await ncatUdp.waitFor('ping from ncat\n');
    expect(socat.stdout).toBe('ping from socat\n');
    await cli.waitForLine(/ \(dgram\) #1 127\.0\.0\.1:\d+ line client: ping from socat$/);
    await cli.waitForLine(/ \(dgram\) #2 127\.0\.0\.1:\d+ reply upstream: ping from ncat$/);

    cli.send('quit\n');
    expect(await cli.exited).toBe(0);
    expect(cli.lines.at(-1)).toMatch(/^stopped \(\d+ connections closed\)$/);
  });

  it('serves the control API beside the workspace, which lists and drives its listeners', async () => {
    const echo = await echoServer();
    const file = path.join(dir, 'workspace.json');
    await fs.writeFile(
      file,
      JSON.stringify({ listeners: [{ name: 'relay', port: 0, forward: `127.0.0.1:${echo.port}` }] }),
    );
    const cli = serve(['--config', file, '--api', '0']);
    const port = await portOf(cli, 'relay');
    const api = (await cli.waitForLine(/^api on (http:\/\/127\.0\.0\.1:\d+)$/))[1] ?? '';
    const listed: unknown = await (await fetch(`${api}/switchboard/listeners`)).json();
    expect(listed).toEqual([
      {
        name: 'relay',
        kind: 'forward',
        transport: 'tcp',
        state: 'running',
        listen: `127.0.0.1:${port}`,
        upstream: `127.0.0.1:${echo.port}`,
        connections: 0,
      },
    ]);
    const made = await fetch(`${api}/switchboard/listeners`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'extra',
        port: 0,
        commands: { commands: [{ name: 'HI', reply: 'hey' }] },
      }),
    });
    expect(made.status).toBe(201);
    const { listen } = (await made.json()) as { listen: string };
    const client = await RawClient.connect(Number(listen.split(':')[1]));
    cleanups.push(() => client.destroy());
    client.write('HI\n');
    await client.waitFor('hey\r\n');
    // A listener made through the API is one of the workspace's: its events name it.
    await cli.waitForLine(/ \(extra\) #1 127\.0\.0\.1:\d+ reply hey \(5 bytes\)$/);
    cli.send('quit\n');
    expect(await cli.exited).toBe(0);
    expect(cli.lines.at(-1)).toBe('stopped (1 connections closed)');
  });
});
