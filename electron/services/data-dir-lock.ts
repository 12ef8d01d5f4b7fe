/**
 * One process per data folder: a lock file holding the owner's pid, made
 * with O_EXCL so that of two processes starting at once exactly one gets
 * it. The desktop app has Electron's single-instance lock; browser mode and
 * anything else that writes the folder (the log, settings, tables) take
 * this one, so a second instance cannot move the first one's live log aside
 * or overwrite its settings.
 *
 * A lock left by a process that no longer runs (killed, crashed) is taken
 * over. A pid reused by an unrelated process after a crash makes the lock
 * look held: the message names the pid and the file to delete.
 */
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'switchboard.lock';

export type DataDirLock =
  | { ok: true; file: string; release(): Promise<void> }
  | { ok: false; holder: number | null; message: string };

export interface LockOptions {
  pid?: number;
  /** Whether a process runs; default: signal 0. */
  isRunning?: (pid: number) => boolean;
}

/** Takes the lock on `dir` (made if missing), or says who holds it. */
export async function lockDataDir(dir: string, options: LockOptions = {}): Promise<DataDirLock> {
  const pid = options.pid ?? process.pid;
  const isRunning = options.isRunning ?? processRuns;
  const file = path.join(dir, LOCK_FILE);
  await fs.mkdir(dir, { recursive: true });
  // A few rounds: a stale lock removed here may be taken by another starter first.
  for (let round = 0; round < 3; round++) {
    try {
      const handle = await fs.open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
      try {
        await handle.writeFile(`${pid}\n`);
      } finally {
        await handle.close();
      }
      return { ok: true, file, release: () => release(file, pid) };
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
    }
    const holder = await readHolder(file);
    if (holder === pid) return { ok: true, file, release: () => release(file, pid) };
    if (holder !== null && isRunning(holder)) {
      return {
        ok: false,
        holder,
        message:
          `the data folder ${dir} is in use by Switchboard process ${holder}; ` +
          `stop that one first, or give this one another folder with --data-dir ` +
          `(if no such process is Switchboard, delete ${file})`,
      };
    }
    if (holder === null && (await youngerThan(file, 2000))) {
      // Just made by a starter that has not written its pid yet.
      return {
        ok: false,
        holder: null,
        message: `the data folder ${dir} is being taken by another Switchboard process (${file})`,
      };
    }
    // Stale: its process is gone.
    await fs.rm(file, { force: true });
  }
  return { ok: false, holder: null, message: `could not take the lock ${file}: others keep taking it` };
}

/** The pid in the lock file, or null when it holds none (or is not a small regular file). */
async function readHolder(file: string): Promise<number | null> {
  let handle: fs.FileHandle;
  try {
    // O_NONBLOCK: a FIFO put there must not hang the start.
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size > 64) return null;
    const text = (await handle.readFile('utf8')).trim();
    const n = Number(text);
    return /^\d+$/.test(text) && Number.isSafeInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}

async function youngerThan(file: string, ms: number): Promise<boolean> {
  const stat = await fs.lstat(file).catch(() => null);
  return stat !== null && stat.isFile() && Date.now() - stat.mtimeMs < ms;
}

async function release(file: string, pid: number): Promise<void> {
  // Only our own: never a lock another process took over meanwhile.
  if ((await readHolder(file)) === pid) await fs.rm(file, { force: true });
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return isCode(error, 'EPERM');
  }
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
