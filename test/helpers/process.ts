/**
 * Runs the project's command-line entry points as real processes, the way a
 * user or a script would, and reads what they print.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export class CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  #listeners = new Set<() => void>();
  #lineListeners = new Set<(line: string) => void>();
  /** The stdout text after its last line end, for {@link onLine}. */
  #partial = '';

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env } });
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (s: string) => {
      this.stdout += s;
      if (this.#lineListeners.size > 0) this.#emitLines(s);
      this.#changed();
    });
    this.child.stderr.on('data', (s: string) => {
      this.stderr += s;
      this.#changed();
    });
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code) => {
        this.#changed();
        resolve(code);
      });
    });
  }

  /** Lines printed to stdout so far. */
  get lines(): string[] {
    return this.stdout.split('\n').filter((l) => l !== '');
  }

  /** Waits for a stdout line matching `pattern` and returns its match. */
  async waitForLine(pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    const find = (): RegExpMatchArray | null => {
      for (const line of this.lines) {
        const m = pattern.exec(line);
        if (m) return m;
      }
      return null;
    };
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const m = find();
        if (m) {
          done();
          resolve(m);
        } else if (this.child.exitCode !== null) {
          done();
          reject(
            new Error(
              `exited (${this.child.exitCode}) before printing ${pattern}:\n${this.stdout}\n${this.stderr}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`timed out waiting for ${pattern}; stdout:\n${this.stdout}\nstderr:\n${this.stderr}`),
        );
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      this.#listeners.add(check);
      check();
    });
  }

  send(text: string): void {
    this.child.stdin.write(text);
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.child.kill(signal);
  }

  /**
   * Calls `listener` with each stdout line that arrives from now on (cheap
   * for a process printing thousands of lines, unlike re-reading {@link lines}).
   * Returns a function that removes the listener.
   */
  onLine(listener: (line: string) => void): () => void {
    if (this.#lineListeners.size === 0) this.#partial = '';
    this.#lineListeners.add(listener);
    return () => this.#lineListeners.delete(listener);
  }

  #emitLines(text: string): void {
    const parts = (this.#partial + text).split('\n');
    this.#partial = parts.pop() ?? '';
    for (const line of parts) for (const l of this.#lineListeners) l(line);
  }

  #changed(): void {
    for (const l of this.#listeners) l();
  }
}

/** Runs a TypeScript entry point under tsx, as the npm scripts do. */
export function runTs(script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): CliProcess {
  return new CliProcess(process.execPath, ['--import', 'tsx', path.join(ROOT, script), ...args], env);
}

/** Starts `npm run serve -- …`; resolves once it prints its port. */
export async function startServe(
  args: string[] = [],
): Promise<{ cli: CliProcess; host: string; port: number }> {
  const cli = runTs('electron/cli/serve.ts', ['--port', '0', ...args]);
  const m = await cli.waitForLine(/^listening on (.+):(\d+)$/);
  return { cli, host: m[1] ?? '', port: Number(m[2]) };
}

/** Resident memory of a process, in bytes, from /proc/PID/status (Linux). */
export interface ProcessMemory {
  /** VmRSS: resident now. */
  rss: number;
  /** VmHWM: the highest resident size since start, or since {@link resetPeakMemory}. */
  peak: number;
}

export function readMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (!m?.[1]) throw new Error(`no ${name} in /proc/${pid}/status`);
    return Number(m[1]) * 1024;
  };
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

/**
 * Sockets a process holds open (Linux): its listener, its connections (and
 * its stdio, where that is a socket pair). A server that frees every
 * connection comes back to the count it had before they came.
 */
export function countSockets(pid: number): number {
  let sockets = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) sockets++;
    } catch {
      // closed between the listing and the look
    }
  }
  return sockets;
}

/** Starts the process's VmHWM afresh from its current RSS; false where the kernel does not allow it. */
export function resetPeakMemory(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * Tracks a process's peak resident memory from now on: its RSS sampled
 * every `intervalMs`, and its VmHWM (reset at the start, so that a peak
 * between two samples is not missed either).
 */
export class MemorySampler {
  /** RSS when sampling began, in bytes. */
  readonly baseline: number;
  #peak: number;
  readonly #hwmFromStart: boolean;
  readonly #timer: NodeJS.Timeout;

  constructor(
    readonly pid: number,
    intervalMs = 100,
  ) {
    this.#hwmFromStart = resetPeakMemory(pid);
    this.baseline = readMemory(pid).rss;
    this.#peak = this.baseline;
    this.#timer = setInterval(() => this.sample(), intervalMs);
  }

  sample(): void {
    let now: ProcessMemory;
    try {
      now = readMemory(this.pid);
    } catch {
      return; // the process has exited
    }
    this.#peak = Math.max(this.#peak, now.rss, this.#hwmFromStart ? now.peak : 0);
  }

  /** The highest resident size seen since sampling began, in bytes. */
  get peak(): number {
    return this.#peak;
  }

  /** Takes a last sample and stops; returns the peak. */
  stop(): number {
    this.sample();
    clearInterval(this.#timer);
    return this.#peak;
  }
}
