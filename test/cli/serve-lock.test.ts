/**
 * `npm run serve -- --data-dir DIR` holds the data folder as browser mode
 * does (docs/command-line.md): a second instance on the same folder, a
 * serve or a browser-mode host, names the holder's pid and exits 1; once
 * the first stops, the folder is free again. Real processes throughout.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../electron/services/data-dir-lock.js';
import { runTs, startServe, type CliProcess } from '../helpers/process.js';

let dir = '';
const running: CliProcess[] = [];

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-serve-lock-'));
});
afterEach(async () => {
  for (const cli of running.splice(0)) {
    if (cli.child.exitCode === null) {
      cli.child.kill('SIGKILL');
      await cli.exited;
    }
  }
  await fs.rm(dir, { recursive: true, force: true });
});

async function serve(dataDir: string): Promise<CliProcess> {
  const { cli } = await startServe(['--data-dir', dataDir]);
  running.push(cli);
  return cli;
}

async function stop(cli: CliProcess): Promise<void> {
  cli.child.stdin.write('quit\n');
  expect(await cli.exited).toBe(0);
}

describe('serve --data-dir takes the data folder’s lock', () => {
  it('refuses a second serve on the same folder, naming the holder, and frees the folder at Stop', async () => {
    const data = path.join(dir, 'data');
    const first = await serve(data);
    const pid = first.child.pid ?? -1;
    expect(await fs.readFile(path.join(data, LOCK_FILE), 'utf8')).toBe(`${pid}\n`);

    const second = runTs('electron/cli/serve.ts', ['--port', '0', '--data-dir', data]);
    running.push(second);
    expect(await second.exited).toBe(1);
    expect(second.stderr).toContain(`error: the data folder ${data} is in use by Switchboard process ${pid}`);
    expect(second.stdout).not.toContain('listening on');

    // Browser mode shares the lock: it is refused too.
    const web = runTs('electron/cli/web.ts', ['--port', '0', '--data-dir', data]);
    running.push(web);
    expect(await web.exited).toBe(1);
    expect(web.stderr).toContain(`in use by Switchboard process ${pid}`);

    await stop(first);
    await expect(fs.access(path.join(data, LOCK_FILE))).rejects.toThrow();
    const third = await serve(data);
    await stop(third);
  });

  it('takes no lock without --data-dir, and another folder is no conflict', async () => {
    const a = await serve(path.join(dir, 'a'));
    const b = await serve(path.join(dir, 'b'));
    const { cli: plain } = await startServe([]);
    running.push(plain);
    await Promise.all([stop(a), stop(b), stop(plain)]);
  });
});
