import { X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSelfSigned } from '../../electron/services/certificates.js';
import { RawClient, occupyPort } from '../helpers/net.js';
import { runTs, type CliProcess } from '../helpers/process.js';
import { killTools, tool } from '../helpers/tools.js';
import { UdpClient } from '../helpers/udp.js';

let dir = '';
const running: CliProcess[] = [];
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-workspace-'));
});
afterEach(async () => {
  killTools();
  for (const cli of running.splice(0)) if (cli.child.exitCode === null) cli.kill('SIGKILL');
  await fs.rm(dir, { recursive: true, force: true });
});

function serve(args: string[]): CliProcess {
  const cli = runTs('electron/cli/serve.ts', args);
  running.push(cli);
  return cli;
}

async function writeWorkspace(workspace: unknown, name = 'workspace.json'): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, JSON.stringify(workspace, null, 2));
  return file;
}

/** Waits for `listening on HOST:PORT (NAME)` and returns the port. */
async function portOf(cli: CliProcess, name: string): Promise<number> {
  const m = await cli.waitForLine(new RegExp(`^listening on 127\\.0\\.0\\.1:(\\d+) \\(${name}\\)$`));
  return Number(m[1]);
}

const SONG = 'Old McDonald had a farm, E-I-E-I-O!\r\n';

describe('npm run serve -- --config FILE', () => {
  it('runs a TCP, a TLS and a UDP listener, names each in every line, and stops them all at once', async () => {
    await fs.mkdir(path.join(dir, 'tables'));
    await fs.writeFile(
      path.join(dir, 'tables', 'sensor.json'),
      JSON.stringify({ commands: [{ name: 'READ', reply: 'temp=21.5' }] }),
    );
    const file = await writeWorkspace({
      listeners: [
        { name: 'plain', port: 0 },
        {
          name: 'secure',
          port: 0,
          transport: 'tls',
          commands: { commands: [{ name: 'PING', reply: 'PONG' }] },
        },
        { name: 'sensor', port: 0, transport: 'udp', commands: 'tables/sensor.json' },
      ],
    });
    const cli = serve(['--config', file, '--data-dir', path.join(dir, 'data')]);
    const [plain, secure, sensor] = [
      await portOf(cli, 'plain'),
      await portOf(cli, 'secure'),
      await portOf(cli, 'sensor'),
    ];
    const fingerprint = await cli.waitForLine(
      /^tls fingerprint SHA256 ((?:[0-9A-F]{2}:){31}[0-9A-F]{2}) \(secure\)$/,
    );
    const kept = new X509Certificate(await fs.readFile(path.join(dir, 'data', 'tls', 'cert.pem')));
    expect(fingerprint[1]).toBe(kept.fingerprint256);

    const tcp = await RawClient.connect(plain);
    tcp.write('SONG\n');
    await tcp.waitFor(SONG);
    const openssl = tool('openssl', ['s_client', '-connect', `127.0.0.1:${secure}`, '-quiet']);
    openssl.send('PING\n');
    await openssl.waitFor('PONG\r\n');
    const udp = await UdpClient.open(sensor);
    await udp.send('READ\n');
    expect(await udp.waitFor(1)).toEqual(['temp=21.5\r\n']);

    await cli.waitForLine(/ \(plain\) #1 127\.0\.0\.1:\d+ reply Old McDonald/);
    await cli.waitForLine(/ \(secure\) #1 127\.0\.0\.1:\d+ open connected over TLSv1\.3, TLS_/);
    await cli.waitForLine(/ \(secure\) #1 127\.0\.0\.1:\d+ reply PONG/);
    await cli.waitForLine(/ \(sensor\) #1 127\.0\.0\.1:\d+ reply temp=21\.5/);
    cli.send('quit\n');
    expect(await cli.exited).toBe(0);
    expect(cli.lines.at(-1)).toBe('stopped (3 connections closed)');
    await tcp.waitClosed();
    await udp.close();
    // Every event line names its listener.
    const events = cli.lines.filter((l) => /^\d{4}-/.test(l));
    expect(events.length).toBeGreaterThanOrEqual(9);
    for (const line of events) expect(line).toMatch(/^\S+ \((plain|secure|sensor)\) /);
  });

  it('prints JSON events with the listener named', async () => {
    const file = await writeWorkspace({ listeners: [{ name: 'one', port: 0 }] });
    const cli = serve(['--config', file, '--json']);
    const port = await portOf(cli, 'one');
    const tcp = await RawClient.connect(port);
    tcp.end('SONG\n');
    await tcp.waitClosed();
    const line = await cli.waitForLine(/"kind":"close"/);
    expect(JSON.parse(line.input ?? '')).toMatchObject({ kind: 'close', listener: 'one' });
    cli.send('stop\n');
    expect(await cli.exited).toBe(0);
  });

  it('lets the other listeners serve when one cannot start', async () => {
    const busy = await occupyPort();
    try {
      const file = await writeWorkspace({
        listeners: [
          { name: 'taken', port: busy.port },
          { name: 'free', port: 0 },
        ],
      });
      const cli = serve(['--config', file]);
      const port = await portOf(cli, 'free');
      const tcp = await RawClient.connect(port);
      tcp.write('SONG\n');
      await tcp.waitFor(SONG);
      expect(cli.stderr).toBe(`error: listener "taken": port ${busy.port} on 127.0.0.1 is already in use\n`);
      cli.send('quit\n');
      expect(await cli.exited).toBe(0);
      expect(cli.lines.at(-1)).toBe('stopped (1 connections closed)');
    } finally {
      await busy.release();
    }
  });

  it('exits 1 when no listener can start', async () => {
    const busy = await occupyPort();
    try {
      const file = await writeWorkspace({ listeners: [{ name: 'taken', port: busy.port }] });
      const cli = serve(['--config', file]);
      expect(await cli.exited).toBe(1);
      expect(cli.stderr).toBe(`error: listener "taken": port ${busy.port} on 127.0.0.1 is already in use\n`);
    } finally {
      await busy.release();
    }
  });

  it.each([
    [
      'two listeners on one port',
      {
        listeners: [
          { name: 'a', port: 5555 },
          { name: 'b', port: 5555, transport: 'tls' },
        ],
      },
      'listener 2 "b", port: TCP port 127.0.0.1:5555 is already taken by listener 1 "a" on 127.0.0.1:5555',
    ],
    [
      'an unknown transport',
      { listeners: [{ name: 'a', port: 0, transport: 'quic' }] },
      'listener 1 "a", transport: transport must be tcp, tls or udp',
    ],
    [
      'a missing table file',
      {
        listeners: [
          { name: 'a', port: 0 },
          { name: 'b', port: 0, commands: 'missing.json' },
        ],
      },
      'listener 2 "b", commands: cannot read the table file missing.json',
    ],
    [
      'a missing certificate',
      { listeners: [{ name: 'a', port: 0, transport: 'tls', cert: 'c.pem', key: 'k.pem' }] },
      'listener 1 "a", cert: cannot read the certificate file',
    ],
  ])('refuses a workspace with %s, naming the place', async (_what, workspace, message) => {
    const file = await writeWorkspace(workspace);
    const cli = serve(['--config', file]);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr).toContain(`error: the workspace file ${file} was refused:\n  ${message}`);
    expect(cli.stdout).toBe('');
  });

  it('refuses a missing workspace file', async () => {
    const file = path.join(dir, 'nope.json');
    const cli = serve(['--config', file]);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr).toBe(`error: cannot read the workspace file ${file}: no such file\n`);
  });
});

describe('npm run serve -- --tls / --udp', () => {
  it('serves TLS with a self-signed certificate kept in --data-dir, and reuses it', async () => {
    const dataDir = path.join(dir, 'data');
    const fingerprints: string[] = [];
    for (let run = 0; run < 2; run++) {
      const cli = serve(['--tls', '--port', '0', '--data-dir', dataDir]);
      const m = await cli.waitForLine(/^listening on 127\.0\.0\.1:(\d+)$/);
      const fp = await cli.waitForLine(/^tls fingerprint SHA256 (\S+)$/);
      fingerprints.push(fp[1] ?? '');
      const ncat = tool('ncat', ['--ssl', '127.0.0.1', String(m[1])]);
      ncat.send('SONG\n');
      await ncat.waitFor(SONG);
      await cli.waitForLine(/#1 127\.0\.0\.1:\d+ open connected over TLSv1\.[23], /);
      cli.send('quit\n');
      expect(await cli.exited).toBe(0);
      expect(cli.lines.at(-1)).toBe('stopped (1 connections closed)');
    }
    expect(fingerprints[1]).toBe(fingerprints[0]);
    expect((await fs.stat(path.join(dataDir, 'tls', 'key.pem'))).mode & 0o777).toBe(0o600);
  });

  it("serves TLS with the user's certificate, which openssl s_client verifies", async () => {
    const pems = await makeSelfSigned();
    const cert = path.join(dir, 'user.crt');
    const key = path.join(dir, 'user.key');
    await fs.writeFile(cert, pems.cert);
    await fs.writeFile(key, pems.key);
    const cli = serve([
      '--tls',
      '--cert',
      cert,
      '--key',
      key,
      '--port',
      '0',
      '--data-dir',
      path.join(dir, 'data'),
    ]);
    const m = await cli.waitForLine(/^listening on 127\.0\.0\.1:(\d+)$/);
    const fp = await cli.waitForLine(/^tls fingerprint SHA256 (\S+)$/);
    expect(fp[1]).toBe(new X509Certificate(pems.cert).fingerprint256);
    const openssl = tool('openssl', [
      's_client',
      '-connect',
      `127.0.0.1:${m[1]}`,
      '-CAfile',
      cert,
      '-verify_return_error',
      '-verify_hostname',
      'localhost',
      '-quiet',
    ]);
    openssl.send('QUOTE\n');
    await openssl.waitFor('completely different...\r\n');
    // Nothing was generated: the user's certificate is used as it is (the folder holds only serve's lock).
    expect(await fs.readdir(path.join(dir, 'data'))).toEqual(['switchboard.lock']);
    cli.send('quit\n');
    expect(await cli.exited).toBe(0);
  });

  it('logs a plain-TCP client on a TLS port as its own event, and tells the client', async () => {
    const cli = serve(['--tls', '--port', '0', '--data-dir', path.join(dir, 'data')]);
    const m = await cli.waitForLine(/^listening on 127\.0\.0\.1:(\d+)$/);
    const tcp = await RawClient.connect(Number(m[1]));
    tcp.write('SONG\n');
    expect(await tcp.waitClosed()).toBe('ERR this port speaks TLS: connect with a TLS client\r\n');
    await cli.waitForLine(/ server rejected this client spoke plain TCP to a TLS port \(first byte 0x53/);
    const strict = tool('openssl', [
      's_client',
      '-connect',
      `127.0.0.1:${m[1]}`,
      '-verify_return_error',
      '-quiet',
    ]);
    await strict.exited;
    await cli.waitForLine(
      /rejected TLS handshake failed: tlsv1 alert unknown ca \(the client does not trust this certificate\)/,
    );
    cli.send('quit\n');
    expect(await cli.exited).toBe(0);
    expect(cli.lines.at(-1)).toBe('stopped (0 connections closed)');
  });

  it.each([
    [
      'a missing certificate',
      (d: string) => ['--cert', path.join(d, 'no.crt'), '--key', path.join(d, 'no.key')],
      /^error: cannot read the certificate file .*no\.crt: no such file\n$/,
    ],
    [
      'a mismatched key',
      'mismatch',
      /^error: the key in .*b\.key does not belong to the certificate in .*a\.crt\n$/,
    ],
  ] as const)('refuses %s with error: and exit 1', async (_what, args, message) => {
    let flags: string[];
    if (args === 'mismatch') {
      const [a, b] = [await makeSelfSigned(), await makeSelfSigned()];
      await fs.writeFile(path.join(dir, 'a.crt'), a.cert);
      await fs.writeFile(path.join(dir, 'b.key'), b.key);
      flags = ['--cert', path.join(dir, 'a.crt'), '--key', path.join(dir, 'b.key')];
    } else {
      flags = args(dir);
    }
    const cli = serve(['--tls', '--port', '0', ...flags]);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr).toMatch(message);
    expect(cli.stdout).toBe('');
  });

  it('serves UDP with --udp, answering ncat -u', async () => {
    const cli = serve(['--udp', '--port', '0']);
    const m = await cli.waitForLine(/^listening on 127\.0\.0\.1:(\d+)$/);
    const ncat = tool('ncat', ['-u', '127.0.0.1', String(m[1])]);
    ncat.send('SONG\n');
    await ncat.waitFor(SONG);
    await cli.waitForLine(/#1 127\.0\.0\.1:\d+ reply Old McDonald/);
    cli.send('quit\n');
    expect(await cli.exited).toBe(0);
    expect(cli.lines.at(-1)).toBe('stopped (1 connections closed)');
  });

  it.each([
    [
      ['--config', 'x.json', '--port', '0'],
      '--config takes every listener from the file: give --port there, not here',
    ],
    [['--udp', '--tls'], '--udp cannot be combined with --tls, --cert or --key'],
    [['--tls', '--cert', 'a.crt'], '--cert and --key go together: give both or neither'],
  ])('exits 2 with usage for %j', async (args, message) => {
    const cli = serve(args);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr).toContain(`error: ${message}\n`);
    expect(cli.stderr).toContain('--config FILE');
  });
});
