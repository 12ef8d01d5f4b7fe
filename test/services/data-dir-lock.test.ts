import { spawn, execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockDataDir } from '../../electron/services/data-dir-lock.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-lock-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has run and exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  if (child.pid === undefined) throw new Error('no pid');
  return child.pid;
}

describe('lockDataDir', () => {
  it('takes the lock with this pid, refuses another process while it runs, and releases', async () => {
    const first = await lockDataDir(dir);
    expect(first.ok).toBe(true);
    expect(await fs.readFile(path.join(dir, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
    // Another process asks while this one runs: refused, naming the holder.
    const second = await lockDataDir(dir, { pid: 999_999 });
    expect(second).toMatchObject({ ok: false, holder: process.pid });
    expect(!second.ok && second.message).toContain(`in use by Switchboard process ${process.pid}`);
    if (first.ok) await first.release();
    await expect(fs.stat(path.join(dir, LOCK_FILE))).rejects.toThrow(/ENOENT/);
    expect((await lockDataDir(dir, { pid: 999_999 })).ok).toBe(true);
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const dead = await deadPid();
    await fs.writeFile(path.join(dir, LOCK_FILE), `${dead}\n`);
    const lock = await lockDataDir(dir);
    expect(lock.ok).toBe(true);
    expect(await fs.readFile(path.join(dir, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
  });

  it('makes the folder when missing, and never hangs on a named pipe in place of the lock', async () => {
    const nested = path.join(dir, 'a', 'b');
    expect((await lockDataDir(nested)).ok).toBe(true);
    const other = path.join(dir, 'fifo');
    await fs.mkdir(other);
    execFileSync('mkfifo', [path.join(other, LOCK_FILE)]);
    // Not a lock anyone wrote: stale, replaced by a real one.
    const lock = await lockDataDir(other);
    expect(lock.ok).toBe(true);
    expect((await fs.stat(path.join(other, LOCK_FILE))).isFile()).toBe(true);
  });

  it('releases only its own lock, never one another process took over', async () => {
    const lock = await lockDataDir(dir);
    await fs.writeFile(path.join(dir, LOCK_FILE), '4242\n');
    if (lock.ok) await lock.release();
    expect(await fs.readFile(path.join(dir, LOCK_FILE), 'utf8')).toBe('4242\n');
  });
});
