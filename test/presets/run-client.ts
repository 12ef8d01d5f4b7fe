/**
 * Starts `npm run serve` with one of the presets in presets/ and runs a real
 * client program against it, the way a user would point that client at the mock.
 */
import { execFile } from 'node:child_process';
import { afterEach } from 'vitest';
import { startServe, type CliProcess } from '../helpers/process.js';

const running: CliProcess[] = [];

/** Registers the cleanup of every server {@link servePreset} starts; call once per test file. */
export function stopServersAfterEach(): void {
  afterEach(() => {
    for (const cli of running.splice(0)) if (cli.child.exitCode === null) cli.kill('SIGKILL');
  });
}

/** Serves `presets/NAME.json` on a free port. */
export async function servePreset(name: string): Promise<{ cli: CliProcess; port: number }> {
  const started = await startServe(['--commands', `presets/${name}.json`]);
  running.push(started.cli);
  return started;
}

export interface ClientRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a client program to its end. A client that hangs (a reply the mock
 * never sends) is killed after `timeoutMs` and reported with what it printed.
 */
export function runClient(
  command: string,
  args: string[],
  options: { input?: string; timeoutMs?: number } = {},
): Promise<ClientRun> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { timeout: options.timeoutMs ?? 20_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** Runs a Python script (argv[1] is the port) and returns its run. */
export function runPython(script: string, port: number): Promise<ClientRun> {
  return runClient('python3', ['-c', script, String(port)]);
}
