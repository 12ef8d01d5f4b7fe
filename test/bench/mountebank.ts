/**
 * 8. mountebank's TCP imposter beside Switchboard, when mountebank is
 * installed in a scratch folder (never a project dependency):
 *
 *   mkdir /tmp/mb && cd /tmp/mb && npm install mountebank
 *
 * The folder is `MOUNTEBANK_DIR`, default `/tmp/mb`. The imposter answers
 * every request with the `SONG` reply; it gets the session load of 50
 * connections with one command in flight (mountebank answers a packet, not
 * a line, so pipelining is no fair test of it), in alternating slices with
 * the bare reference and Switchboard.
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { occupyPort } from '../helpers/net.js';
import { CliProcess } from '../helpers/process.js';
import {
  connect,
  exitedWithin,
  perSecond,
  progress,
  ratio,
  row,
  sleep,
  startBoth,
  type BenchOptions,
  type Row,
} from './lib.js';
import { load } from './session.js';

const SECTION = '8. Beside mountebank (TCP imposter), 50 connections × 1 in flight';
const SONG_REPLY = 'Old McDonald had a farm, E-I-E-I-O!\r\n';

/** mountebank's command, or why it is not there. */
function findMountebank(): string | { missing: string } {
  const dir = process.env.MOUNTEBANK_DIR ?? '/tmp/mb';
  const bin = path.join(dir, 'node_modules', 'mountebank', 'bin', 'mb');
  return existsSync(bin) ? bin : { missing: `not installed (npm install mountebank in ${dir})` };
}

/** Waits until something accepts connections on `port`. */
async function listening(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      (await connect(port)).destroy();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(100);
    }
  }
}

export async function benchMountebank(options: BenchOptions): Promise<Row[]> {
  const bin = findMountebank();
  if (typeof bin !== 'string') return [row(SECTION, 'mountebank', { switchboard: bin.missing })];
  const dir = await fs.mkdtemp(path.join(options.tmpDir, 'mountebank-'));
  const api = await occupyPort();
  const imposter = await occupyPort();
  await Promise.all([api.release(), imposter.release()]);
  const config = path.join(dir, 'imposters.json');
  await fs.writeFile(
    config,
    JSON.stringify({
      imposters: [
        {
          protocol: 'tcp',
          port: imposter.port,
          mode: 'text',
          stubs: [{ responses: [{ is: { data: SONG_REPLY } }] }],
        },
      ],
    }),
  );
  const mb = new CliProcess(process.execPath, [
    bin,
    'start',
    '--port',
    String(api.port),
    '--configfile',
    config,
    '--noParse',
    '--nologfile',
    '--loglevel',
    'warn',
    '--pidfile',
    path.join(dir, 'mb.pid'),
  ]);
  mb.child.stdin.on('error', () => undefined);
  const { ref, mine } = await startBoth(options, 'session');
  try {
    await listening(imposter.port, 30_000);
    const durationMs = options.quick ? 1000 : 3000;
    const slices = options.quick ? 2 : 4;
    const sums = { ref: 0, mine: 0, mb: 0 };
    for (let i = 0; i < slices; i++) {
      const order: (keyof typeof sums)[] = i % 2 === 0 ? ['ref', 'mine', 'mb'] : ['mb', 'mine', 'ref'];
      for (const who of order) {
        const port = who === 'ref' ? ref.port : who === 'mine' ? mine.port : imposter.port;
        sums[who] += (await load(port, 1, 300, durationMs / slices)) / slices;
      }
    }
    progress(
      `mountebank: ${perSecond(sums.mb)}, Switchboard ${perSecond(sums.mine)}, reference ${perSecond(sums.ref)}`,
    );
    return [
      row(SECTION, 'mountebank TCP imposter: replies', {
        switchboard: perSecond(sums.mb),
        reference: perSecond(sums.ref),
        ratio: ratio(sums.mb / sums.ref),
        target: 'for comparison',
      }),
      row(SECTION, 'Switchboard (--log) in the same slices', {
        switchboard: perSecond(sums.mine),
        reference: perSecond(sums.ref),
        ratio: ratio(sums.mine / sums.ref),
        target: `${ratio(sums.mine / sums.mb)} mountebank`,
      }),
    ];
  } finally {
    await Promise.all([ref.quit(), mine.quit()]);
    mb.kill('SIGTERM');
    await exitedWithin(mb, 10_000);
  }
}
