/**
 * Runs programs nobody here wrote (openssl, ncat, socat) as clients, the
 * way a user would from a terminal.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { eventually } from './net.js';

export class ToolProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(command: string, args: string[]) {
    this.child = spawn(command, args);
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (s: string) => (this.stdout += s));
    this.child.stderr.on('data', (s: string) => (this.stderr += s));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  send(text: string): void {
    this.child.stdin.write(text);
  }

  /** Waits until stdout contains `text`. */
  async waitFor(text: string, timeoutMs = 10_000): Promise<string> {
    try {
      await eventually(() => this.stdout.includes(text), timeoutMs, JSON.stringify(text));
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new Error(
        `${this.child.spawnfile}: ${why}; stdout ${JSON.stringify(this.stdout)}, stderr ${JSON.stringify(this.stderr)}`,
      );
    }
    return this.stdout;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

const running: ToolProcess[] = [];

/** Starts a tool; {@link killTools} (in afterEach) ends whatever is left. */
export function tool(command: string, args: string[]): ToolProcess {
  const p = new ToolProcess(command, args);
  running.push(p);
  return p;
}

export function killTools(): void {
  for (const p of running.splice(0)) p.kill();
}
