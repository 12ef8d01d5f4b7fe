import { spawn } from 'node:child_process';
import { promises as fs, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RawClient, eventually, isRefused, occupyPort } from '../helpers/net.js';
import { ROOT, runTs, startServe, type CliProcess } from '../helpers/process.js';

const running: CliProcess[] = [];
afterEach(() => {
  for (const cli of running.splice(0)) if (cli.child.exitCode === null) cli.kill('SIGKILL');
});
async function serve(args: string[] = []): Promise<{ cli: CliProcess; port: number }> {
  const started = await startServe(args);
  running.push(started.cli);
  return started;
}

describe('npm run serve', () => {
  it('prints listening on HOST:PORT with the real port, one line per event, and stops on stdin quit', async () => {
    const { cli, port } = await serve();
    expect(cli.lines[0]).toBe(`listening on 127.0.0.1:${port}`);
    const client = await RawClient.connect(port);
    client.write('SONG\n');
    await client.waitFor('E-I-E-I-O!\r\n');
    await cli.waitForLine(/#1 127\.0\.0\.1:\d+ reply Old McDonald/);
    cli.send('quit\n');
    expect(await cli.exited).toBe(0);
    expect(cli.lines.at(-1)).toBe('stopped (1 connections closed)');
    await client.waitClosed();
    expect(await isRefused(port)).toBe(true);
    expect(cli.lines.slice(1, -1).map((l) => l.split(' ').slice(2, 4).join(' '))).toEqual([
      '127.0.0.1:' + String(client.socket.localPort) + ' open',
      '127.0.0.1:' + String(client.socket.localPort) + ' line',
      '127.0.0.1:' + String(client.socket.localPort) + ' reply',
      '127.0.0.1:' + String(client.socket.localPort) + ' close',
    ]);
  });

  it.each(['STOP\n', '  Quit  \n'])('stops on the stdin line %j', async (line) => {
    const { cli } = await serve(['--quiet']);
    cli.send(line);
    expect(await cli.exited).toBe(0);
    expect(cli.lines).toEqual([expect.stringMatching(/^listening on /), 'stopped (0 connections closed)']);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('stops on %s with clients connected', async (signal) => {
    const { cli, port } = await serve([]);
    const clients = await Promise.all([
      RawClient.connect(port),
      RawClient.connect(port),
      RawClient.connect(port),
    ]);
    clients[0].write('HAI'); // one mid-line
    // A client's connect completes before the server has accepted it: wait for the server to say so.
    await expect.poll(() => cli.lines.filter((l) => l.endsWith(' connected')).length).toBe(3);
    cli.kill(signal);
    expect(await cli.exited).toBe(0);
    expect(cli.lines.at(-1)).toBe('stopped (3 connections closed)');
    await Promise.all(clients.map((c) => c.waitClosed()));
  });

  it('keeps running when stdin ends', async () => {
    const { cli, port } = await serve(['--quiet']);
    cli.child.stdin.end();
    // An exit on end of stdin would come at once; two full exchanges after it show it did not.
    const client = await RawClient.connect(port);
    client.write('QUOTE\n');
    await client.waitFor('different...\r\n');
    client.write('SONG\n');
    await client.waitFor('E-I-E-I-O!\r\n');
    expect(cli.child.exitCode).toBeNull();
    cli.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('prints events as JSON lines with --json', async () => {
    const { cli, port } = await serve(['--json']);
    const client = await RawClient.connect(port);
    client.end('HAIKU\n');
    await client.waitClosed();
    await cli.waitForLine(/"kind":"close"/);
    const events = cli.lines
      .slice(1)
      .map((l) => JSON.parse(l) as { kind: string; conn: number; detail: string });
    expect(events.map((e) => e.kind)).toEqual(['open', 'line', 'reply', 'close']);
    expect(events[1]?.detail).toBe('HAIKU');
    expect(new Set(events.map((e) => e.conn)).size).toBe(1);
  });

  it('applies --mode one-shot, --max-line, --max-connections and --idle-timeout', async () => {
    const { cli, port } = await serve([
      '--mode',
      'one-shot',
      '--max-line',
      '8',
      '--max-connections',
      '1',
      '--idle-timeout',
      '0.3',
    ]);
    const a = await RawClient.connect(port);
    a.write('SONG\nQUOTE\n');
    expect(await a.waitClosed()).toBe('Old McDonald had a farm, E-I-E-I-O!\r\n');
    a.destroy();
    await cli.waitForLine(/#1 .* close /);
    const b = await RawClient.connect(port);
    b.write('123456789\n');
    expect(await b.waitClosed()).toBe('ERR line too long\r\n');
    b.destroy();
    await cli.waitForLine(/#2 .* close /);
    const idle = await RawClient.connect(port);
    await cli.waitForLine(/#3 .* open/);
    const busy = await RawClient.connect(port);
    expect(await busy.waitClosed()).toBe('ERR server busy\r\n');
    expect(await idle.waitClosed()).toBe('ERR idle timeout\r\n');
    await cli.waitForLine(/#4 .* rejected rejected: server busy/);
    await cli.waitForLine(/#3 .* close closed \(idle timeout\)/);
    cli.send('quit\n');
    expect(await cli.exited).toBe(0);
  });

  it('warns on stderr when it listens beyond this machine', async () => {
    const { cli } = await serve(['--quiet', '--host', '0.0.0.0']);
    await eventually(() => cli.stderr.includes('warning:'), 10_000, 'the warning');
    expect(cli.stderr).toMatch(
      /^warning: listening on 0\.0\.0\.0:\d+: other machines on your network can connect\n$/,
    );
    expect(cli.lines[0]).toMatch(/^listening on 0\.0\.0\.0:\d+$/);
    cli.send('quit\n');
    expect(await cli.exited).toBe(0);
  });

  it('does not warn on loopback', async () => {
    const { cli } = await serve(['--quiet']);
    cli.send('quit\n');
    expect(await cli.exited).toBe(0);
    expect(cli.stderr).toBe('');
  });

  it('exits 1 with error: and the message when the port is in use', async () => {
    const busy = await occupyPort();
    const cli = runTs('electron/cli/serve.ts', ['--port', String(busy.port)]);
    running.push(cli);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr).toBe(`error: port ${busy.port} on 127.0.0.1 is already in use\n`);
    expect(cli.stdout).toBe('');
    await busy.release();
  });

  it.each([
    [['--port', 'abc'], '--port needs a number'],
    [['--port', '70000'], 'port must be 0 to 65535'],
    [['--mode', 'chatty'], 'mode must be session or one-shot'],
    [['--frobnicate'], "Unknown option '--frobnicate'"],
    [['stray'], 'stray'],
  ])('exits 2 with usage for the bad option %j', async (args, message) => {
    const cli = runTs('electron/cli/serve.ts', args);
    running.push(cli);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr).toContain(message);
    expect(cli.stderr).toContain('Usage: npm run serve -- [options]');
  });

  it('prints usage and exits 0 with --help', async () => {
    const cli = runTs('electron/cli/serve.ts', ['--help']);
    running.push(cli);
    expect(await cli.exited).toBe(0);
    expect(cli.stdout).toContain('--max-connections');
  });

  it('runs through npm run serve as the README says', async () => {
    const child = spawn('npm', ['run', '--silent', 'serve', '--', '--port', '0', '--quiet'], { cwd: ROOT });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    await eventually(() => /listening on 127\.0\.0\.1:\d+\n/.test(out), 20_000, 'listening line');
    child.stdin.write('stop\n');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(out).toMatch(/^listening on 127\.0\.0\.1:\d+\nstopped \(0 connections closed\)\n$/);
  });

  it('appends every event to --log FILE as JSON lines, losing none on stop', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-log-'));
    const file = path.join(dir, 'events.jsonl');
    await fs.writeFile(file, '{"earlier":"run"}\n');
    const { cli, port } = await serve(['--quiet', '--log', file]);
    const clients = await Promise.all([1, 2, 3].map(() => RawClient.connect(port)));
    for (const c of clients) c.write('SONG\n'.repeat(1000));
    await Promise.all(clients.map((c) => c.waitFor((t) => t.length === 37 * 1000)));
    cli.send('quit\n');
    expect(await cli.exited).toBe(0);
    const lines = (await fs.readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('{"earlier":"run"}');
    const kinds = lines.slice(1).map((l) => (JSON.parse(l) as { kind: string }).kind);
    const count = (k: string): number => kinds.filter((x) => x === k).length;
    expect([
      count('listening'),
      count('open'),
      count('line'),
      count('reply'),
      count('close'),
      count('stopped'),
    ]).toEqual([1, 3, 3000, 3000, 3, 1]);
    expect(kinds.at(-1)).toBe('stopped');
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('leaves a --log FILE valid up to its last complete line when killed mid-flood', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-kill-'));
    const file = path.join(dir, 'events.jsonl');
    const { cli, port } = await serve(['--quiet', '--log', file]);
    // Four clients pipelining 100,000 commands each: far more than the server answers before the kill.
    const perClient = 100_000;
    const clients = await Promise.all([1, 2, 3, 4].map(() => RawClient.connect(port)));
    for (const c of clients) c.write('SONG\n'.repeat(perClient));
    // Mid-flood: the log has had several batches written, and the replies are still coming.
    await eventually(
      () => {
        try {
          return statSync(file).size > 1024 * 1024;
        } catch {
          return false;
        }
      },
      15_000,
      'a megabyte of log',
    );
    cli.kill('SIGKILL');
    expect(await cli.exited).toBeNull(); // killed, not exited
    const received = clients.reduce((sum, c) => sum + c.bytes.length, 0);
    expect(received).toBeLessThan(clients.length * perClient * 37);
    for (const c of clients) c.destroy();

    const text = await fs.readFile(file, 'utf8');
    const lines = text.split('\n');
    lines.pop(); // '' after the last LF, or the fragment a write cut short
    expect(lines.length).toBeGreaterThan(1000);
    const entries = lines.map((line, i) => {
      try {
        return JSON.parse(line) as { seq: number; kind: string };
      } catch {
        throw new Error(
          `line ${i + 1} of ${lines.length} is not JSON: ${JSON.stringify(line.slice(0, 200))}`,
        );
      }
    });
    expect(entries[0]?.kind).toBe('listening');
    for (let i = 1; i < entries.length; i++) {
      const [before, after] = [entries[i - 1]?.seq ?? 0, entries[i]?.seq ?? 0];
      if (!(after > before)) throw new Error(`seq goes from ${before} to ${after} at line ${i + 1}`);
    }
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('serves the command table in --commands FILE', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-table-'));
    const file = path.join(dir, 'table.json');
    await fs.writeFile(
      file,
      JSON.stringify({
        commands: [
          { name: 'PING', reply: 'PONG' },
          { pattern: '^GET (\\w+)$', reply: ['VALUE {1}', 'END'] },
        ],
      }),
    );
    const { cli, port } = await serve(['--quiet', '--commands', file]);
    const client = await RawClient.connect(port);
    client.end('ping\nGET color\nHELP\nSONG\n');
    expect(await client.waitClosed()).toBe(
      'PONG\r\nVALUE color\r\nEND\r\nCommands: HELP PING QUIT\r\nUnknown command: SONG\r\n',
    );
    cli.send('quit\n');
    expect(await cli.exited).toBe(0);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it.each([
    [
      '{\n  "commands": [\n    { "name": "PING", "reply": "PONG" },\n  ]\n}',
      'line 4, column 3: not valid JSON',
    ],
    [
      '{ "commands": [{ "name": "A", "reply": "x" }, { "pattern": "(a", "reply": "y" }] }',
      'rule 2, pattern: invalid pattern',
    ],
    [
      '{ "commands": [{ "name": "A", "reply": 5 }] }',
      'rule 1, reply: reply must be a line of text or a list of lines',
    ],
    ['{ "commands": [{ "name": "A", "reply": "{nope}" }] }', 'rule 1, reply: unknown variable {nope}'],
    [
      '{ "commands": [{ "name": "A", "reply": "x" }, { "name": "a", "reply": "y" }] }',
      'rule 2, name: a is already the name of rule 1',
    ],
  ])('refuses a bad --commands file, naming the place: %j', async (text, message) => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-table-'));
    const file = path.join(dir, 'bad.json');
    await fs.writeFile(file, text);
    const cli = runTs('electron/cli/serve.ts', ['--port', '0', '--commands', file]);
    running.push(cli);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr).toContain(`error: the commands file ${file} was refused:`);
    expect(cli.stderr).toContain(message);
    expect(cli.stdout).toBe('');
    await fs.rm(dir, { recursive: true, force: true });
  });
});
