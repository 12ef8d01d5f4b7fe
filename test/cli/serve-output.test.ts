/**
 * `npm run serve` printing events to a reader that stops reading: its
 * memory stays bounded, `quit` still exits, and the reader is told how many
 * events it missed once it reads again.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RawClient, closedPort } from '../helpers/net.js';
import { ROOT, readMemory } from '../helpers/process.js';
import { SONG } from '../helpers/classic.js';

const MB = 1024 * 1024;

const children: ChildProcessWithoutNullStreams[] = [];
const floods: RawClient[] = [];
afterEach(() => {
  for (const c of floods.splice(0)) c.destroy();
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts the server with its stdout piped to us, but not read (a paused stream reads nothing more once its buffer is full). */
async function serveUnread(): Promise<{ child: ChildProcessWithoutNullStreams; port: number }> {
  const port = await closedPort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'electron/cli/serve.ts'), '--port', String(port)],
    {
      cwd: ROOT,
    },
  );
  children.push(child);
  child.stdout.pause();
  // Wait until it listens: a connect succeeds.
  for (let i = 0; ; i++) {
    try {
      (await RawClient.connect(port)).destroy();
      break;
    } catch (error) {
      if (i > 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return { child, port };
}

/** Clients that pipeline SONG as fast as they are answered, reading (and dropping) every reply: two events per line. */
async function floodEvents(port: number): Promise<void> {
  const burst = Buffer.from('SONG\n'.repeat(1000));
  for (let i = 0; i < 10; i++) {
    const client = await RawClient.connect(port);
    floods.push(client);
    client.socket.removeAllListeners('data');
    let answered = 0;
    client.socket.on('data', (chunk: Buffer) => {
      answered += chunk.length;
      // Ask again once the last burst is answered.
      if (answered >= 1000 * SONG.length) {
        answered -= 1000 * SONG.length;
        if (client.socket.writable) client.write(burst);
      }
    });
    client.write(burst);
  }
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

describe('npm run serve with a reader that stalls', () => {
  it('keeps its memory bounded while nobody reads its output, and quit still exits at once', async () => {
    const { child, port } = await serveUnread();
    const pid = child.pid ?? 0;
    await floodEvents(port);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = readMemory(pid).rss;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const growth = (readMemory(pid).rss - before) / MB;
    expect(growth, 'MB grown in 3 s of events nobody read').toBeLessThan(32);
    const t0 = Date.now();
    child.stdin.write('quit\n');
    const code = await Promise.race([
      exited(child),
      new Promise<string>((resolve) => setTimeout(() => resolve('still running after 5 s'), 5000)),
    ]);
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('tells the reader how many events it missed once it reads again', async () => {
    const { child, port } = await serveUnread();
    await floodEvents(port);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    let text = '';
    child.stdout.setEncoding('utf8');
    const missed = new Promise<string>((resolve) => {
      child.stdout.on('data', (s: string) => {
        text += s;
        const m = /^(\d+) events not printed/m.exec(text);
        if (m?.[1]) resolve(m[1]);
      });
    });
    child.stdout.resume();
    expect(Number(await missed)).toBeGreaterThan(0);
    for (const c of floods.splice(0)) c.destroy();
    child.stdin.write('quit\n');
    expect(await exited(child)).toBe(0);
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/^stopped \(\d+ connections closed\)$/);
  });
});
