import { describe, expect, it } from 'vitest';
import { RawClient, eventually, forEachConcurrently } from '../helpers/net.js';
import { CliProcess } from '../helpers/process.js';
import { SONG } from '../helpers/classic.js';

/** `npm run serve -- ARGS` under a shell that lowered the open-file limit first. */
async function serveWithFileLimit(files: number, args: string[]): Promise<{ cli: CliProcess; port: number }> {
  const cli = new CliProcess('bash', [
    '-c',
    `ulimit -n ${files} && exec "$0" --import tsx electron/cli/serve.ts --port 0 "$@"`,
    process.execPath,
    ...args,
  ]);
  const m = await cli.waitForLine(/^listening on (.+):(\d+)$/);
  return { cli, port: Number(m[2]) };
}

describe('npm run serve under a low descriptor limit', () => {
  it('serves fewer connections than asked for, says so once, and tells every newcomer past them ERR server busy', async () => {
    const { cli, port } = await serveWithFileLimit(256, ['--json']);
    try {
      await eventually(() => cli.stderr.includes('warning:'), 5000, 'the warning');
      const warning = /serving at most (\d+) connections at once instead of 1000/.exec(cli.stderr);
      expect(warning, cli.stderr).not.toBeNull();
      const capacity = Number(warning?.[1]);
      expect(capacity).toBeGreaterThan(50);
      expect(capacity).toBeLessThan(256);
      // The condition is an event too, once.
      expect(cli.lines.filter((l) => l.includes('serving at most'))).toHaveLength(1);

      // More clients than descriptors, each asking for a SONG.
      const clients: RawClient[] = [];
      await forEachConcurrently(400, 25, async () => {
        const c = await RawClient.connect(port);
        c.write('SONG\n');
        clients.push(c);
      });
      await eventually(
        () => clients.every((c) => c.text === SONG || c.text === 'ERR server busy\r\n'),
        15_000,
        'an answer for every client',
      ).catch(() => {
        const silent = clients.filter((c) => c.text !== SONG && c.text !== 'ERR server busy\r\n');
        throw new Error(`${silent.length} of 400 clients got no answer: ${JSON.stringify(silent[0]?.text)}`);
      });
      const served = clients.filter((c) => c.text === SONG);
      expect(served).toHaveLength(capacity);
      // A probe while full is turned away at once, not left hanging...
      const busy = await RawClient.connect(port);
      expect(await busy.waitClosed(5000)).toBe('ERR server busy\r\n');
      // ...and served once a place is free.
      served[0]?.destroy();
      await eventually(() => cli.lines.some((l) => l.includes('"kind":"close"')), 5000, 'a close');
      const probe = await RawClient.connect(port);
      probe.write('SONG\n');
      expect(await probe.waitFor(SONG, 5000)).toBe(SONG);
      for (const c of [...clients, busy, probe]) c.destroy();
      cli.send('quit\n');
      expect(await cli.exited).toBe(0);
    } finally {
      if (cli.child.exitCode === null) cli.kill('SIGKILL');
    }
  });
});
