/**
 * A table file's `"toxics"` on the mock server of `npm run serve --
 * --commands FILE` (docs/forwarding.md, "Faults"), and the same listener's
 * toxics changed through the control API while a client stays connected.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { curl } from '../helpers/curl.js';
import { RawClient } from '../helpers/net.js';
import { startServe, type CliProcess } from '../helpers/process.js';

const dir = mkdtempSync(path.join(tmpdir(), 'switchboard-serve-toxics-'));
const running: CliProcess[] = [];
afterEach(() => {
  for (const cli of running.splice(0)) if (cli.child.exitCode === null) cli.kill('SIGKILL');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function roundTrip(client: RawClient, line: string, reply: string): Promise<number> {
  const before = client.text.length;
  const t0 = performance.now();
  client.write(line);
  await client.waitFor((t) => t.length >= before + reply.length);
  return performance.now() - t0;
}

describe('npm run serve -- --commands FILE with "toxics"', () => {
  it('applies the table’s toxics to the mock’s connections, and the API changes them at once', async () => {
    const file = path.join(dir, 'slow.json');
    writeFileSync(
      file,
      JSON.stringify({
        commands: [{ name: 'PING', reply: 'PONG' }],
        toxics: [{ name: 'slow', type: 'latency', attributes: { latency: 250 } }],
      }),
    );
    const { cli, port } = await startServe(['--commands', file, '--api', '0']);
    running.push(cli);
    const api = (await cli.waitForLine(/^api on (http:\/\/127\.0\.0\.1:\d+)$/))[1] ?? '';
    const client = await RawClient.connect(port);
    expect(await roundTrip(client, 'PING\n', 'PONG\r\n')).toBeGreaterThanOrEqual(245);

    const toxics = `${api}/switchboard/listeners/default/toxics`;
    expect((await curl([toxics])).body).toEqual([
      {
        name: 'slow',
        type: 'latency',
        stream: 'downstream',
        toxicity: 1,
        attributes: { latency: 250, jitter: 0 },
      },
    ]);
    expect((await curl(['-X', 'DELETE', `${toxics}/slow`])).status).toBe(204);
    expect(await roundTrip(client, 'PING\n', 'PONG\r\n')).toBeLessThan(245);
    client.destroy();
    cli.send('quit\n');
    expect(await cli.exited).toBe(0);
  });
});
