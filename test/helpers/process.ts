/**
 * Runs the project's command-line entry points as real processes, the way a
 * user or a script would, and reads what they print.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export class CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  #listeners = new Set<() => void>();

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env } });
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (s: string) => {
      this.stdout += s;
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
