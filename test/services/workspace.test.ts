import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSelfSigned } from '../../electron/services/certificates.js';
import {
  WorkspaceRunner,
  loadWorkspaceFile,
  type ListenerPlan,
  type WorkspaceEvents,
} from '../../electron/services/workspace.js';
import { RawClient, eventually, timedProbe } from '../helpers/net.js';
import { killTools, tool } from '../helpers/tools.js';
import { UdpClient } from '../helpers/udp.js';

let dir = '';
const runners: WorkspaceRunner[] = [];
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-workspace-'));
});
afterEach(async () => {
  killTools();
  await Promise.all(runners.splice(0).map((r) => r.stop()));
  await fs.rm(dir, { recursive: true, force: true });
});

async function load(workspace: unknown, folder = dir): Promise<ListenerPlan[]> {
  const file = path.join(folder, 'workspace.json');
  await fs.writeFile(file, JSON.stringify(workspace));
  const loaded = await loadWorkspaceFile(file);
  if (!loaded.ok) throw new Error(loaded.message);
  return loaded.listeners;
}

describe('loadWorkspaceFile', () => {
  it('reads tables and certificates relative to the workspace file, and fills in the settings', async () => {
    const sub = path.join(dir, 'sub');
    await fs.mkdir(path.join(sub, 'tables'), { recursive: true });
    await fs.writeFile(
      path.join(sub, 'tables', 't.json'),
      JSON.stringify({ commands: [{ name: 'A', reply: 'b' }] }),
    );
    const pems = await makeSelfSigned();
    await fs.writeFile(path.join(sub, 'c.pem'), pems.cert);
    await fs.writeFile(path.join(sub, 'k.pem'), pems.key);
    const plans = await load(
      {
        listeners: [
          { name: 'one', port: 0, commands: 'tables/t.json', idleTimeoutSec: 5 },
          { name: 'two', port: 0, transport: 'tls', cert: 'c.pem', key: 'k.pem' },
          { name: 'three', port: 0, transport: 'udp', maxDatagramBytes: 100 },
        ],
      },
      sub,
    );
    expect(plans.map((p) => [p.name, p.transport])).toEqual([
      ['one', 'tcp'],
      ['two', 'tls'],
      ['three', 'udp'],
    ]);
    expect(plans[0]?.table.commands).toEqual([{ name: 'A', reply: 'b' }]);
    expect(plans[0]?.settings).toMatchObject({
      host: '127.0.0.1',
      port: 0,
      idleTimeoutSec: 5,
      maxLineBytes: 4096,
    });
    expect(plans[1]?.identity?.source).toBe('user');
    expect(plans[2]?.settings.maxDatagramBytes).toBe(100);
  });

  it('names every file problem with its listener and field', async () => {
    await fs.writeFile(path.join(dir, 'bad.json'), '{ "commands": [ { "name": "A" } ] }');
    const file = path.join(dir, 'workspace.json');
    await fs.writeFile(
      file,
      JSON.stringify({
        listeners: [
          { name: 'a', port: 0, commands: 'missing.json' },
          { name: 'b', port: 0, commands: 'bad.json' },
          { name: 'c', port: 0, forward: 'nowhere' },
          { name: 'd', port: 0, forward: '127.0.0.1:9', forwardTls: { ca: 'no-ca.pem' } },
        ],
      }),
    );
    const loaded = await loadWorkspaceFile(file);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.problems).toEqual([
      `listener 1 "a", commands: cannot read the table file missing.json (${path.join(dir, 'missing.json')}): no such file`,
      expect.stringMatching(
        /^listener 2 "b", commands: the table file bad\.json was refused: rule 1, reply: /,
      ),
      'listener 3 "c", forward: "nowhere" is not HOST:PORT (for example 127.0.0.1:6379)',
      `listener 4 "d", forwardTls.ca: cannot read the CA file no-ca.pem (${path.join(dir, 'no-ca.pem')}): no such file`,
    ]);
    expect(loaded.message.split('\n')[0]).toBe(`the workspace file ${file} was refused:`);
  });
});

describe('WorkspaceRunner', () => {
  it('runs TCP, TLS and UDP listeners, names the listener of every entry, and stops them all with one total', async () => {
    const plans = await load({
      listeners: [
        { name: 'tcp', port: 0 },
        { name: 'tls', port: 0, transport: 'tls' },
        { name: 'udp', port: 0, transport: 'udp' },
      ],
    });
    const runner = new WorkspaceRunner(plans, { dataDir: path.join(dir, 'data') });
    runners.push(runner);
    const entries: WorkspaceEvents['entry'][] = [];
    runner.on('entry', (e) => entries.push(e));
    const outcomes = await runner.start();
    expect(outcomes.map((o) => o.ok && o.name)).toEqual(['tcp', 'tls', 'udp']);
    const [tcpPort, tlsPort, udpPort] = outcomes.map((o) => (o.ok ? o.port : 0));
    expect(outcomes[1]).toMatchObject({ fingerprint: expect.stringMatching(/^[0-9A-F:]{95}$/) as unknown });

    const tcp = await RawClient.connect(tcpPort ?? 0);
    tcp.write('SONG\n');
    await tcp.waitFor('E-I-E-I-O!\r\n');
    const secure = tls.connect({ port: tlsPort ?? 0, host: '127.0.0.1', rejectUnauthorized: false });
    secure.on('error', () => undefined);
    await new Promise<void>((resolve) => secure.once('secureConnect', resolve));
    const udp = await UdpClient.open(udpPort ?? 0);
    await udp.send('SONG\n');
    await udp.waitFor(1);
    await eventually(() => entries.filter((e) => e.entry.kind === 'open').length === 3);
    expect(runner.activeConnections).toEqual({ tcp: 1, tls: 1, udp: 1 });
    const opens = entries.filter((e) => e.entry.kind === 'open');
    expect(opens.map((e) => e.listener).sort()).toEqual(['tcp', 'tls', 'udp']);
    expect(opens.find((e) => e.listener === 'tls')?.entry.detail).toMatch(/^connected over TLSv1\.3, TLS_/);

    expect(await runner.stop()).toEqual({ closed: 3 });
    expect(
      entries
        .filter((e) => e.entry.kind === 'stopped')
        .map((e) => e.listener)
        .sort(),
    ).toEqual(['tcp', 'tls', 'udp']);
    // The LogEntry itself carries its listener, for the log file and the window.
    for (const e of entries) expect(e.entry.listener).toBe(e.listener);
    const seqs = entries.map((e) => e.entry.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    secure.destroy();
    await udp.close();
  });

  it('keeps answering on one listener while another is flooded with datagrams', async () => {
    const plans = await load({
      listeners: [
        { name: 'tcp', port: 0 },
        { name: 'udp', port: 0, transport: 'udp' },
      ],
    });
    const runner = new WorkspaceRunner(plans, { dataDir: path.join(dir, 'data') });
    runners.push(runner);
    let udpLines = 0;
    runner.on('entry', (e) => {
      if (e.listener === 'udp' && e.entry.kind === 'line') udpLines++;
    });
    const [tcp, udp] = await runner.start();
    if (!tcp?.ok || !udp?.ok) throw new Error('a listener did not start');
    const flood = tool('sh', [
      '-c',
      `yes SONG | head -c 2000000 | ncat -u --send-only 127.0.0.1 ${udp.port}`,
    ]);
    await eventually(() => udpLines >= 1000, 20_000, 'the flood to arrive');
    const { ms } = await timedProbe(tcp.port, 'SONG\n', 'Old McDonald had a farm, E-I-E-I-O!\r\n');
    expect(ms).toBeLessThan(2000);
    flood.kill();
  });
});
