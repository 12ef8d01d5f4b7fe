/**
 * `npm run bench`: Switchboard against a bare `net` reference server, side
 * by side in the same run, with the log pipeline on as the app runs it.
 *
 *   npm run bench                    the full suite (about 6 minutes)
 *   npm run bench -- --quick         fewer runs, shorter, no 10,000-connection cases
 *   npm run bench -- --only stop,memory
 *   npm run bench -- --profile DIR   CPU profiles of every Switchboard server child
 *   npm run bench -- --build         rebuild the window (out/renderer) before the flood
 *   npm run bench -- --root DIR      measure another checkout (e.g. a git worktree of an older commit)
 *
 * Figures go to stdout as one table; progress goes to stderr.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { benchCrash } from './crash.js';
import { benchFlood } from './flood.js';
import { benchForward } from './forward.js';
import { ROOT } from '../helpers/process.js';
import {
  describeMachine,
  formatTable,
  loadAverage,
  progress,
  since,
  type BenchOptions,
  type Row,
} from './lib.js';
import { benchMemory } from './memory.js';
import { benchMountebank } from './mountebank.js';
import { benchOneShot } from './one-shot.js';
import { benchSession } from './session.js';
import { benchStop } from './stop-latency.js';

const BENCHES: Record<string, (options: BenchOptions) => Promise<Row[]>> = {
  stop: benchStop,
  'one-shot': benchOneShot,
  session: benchSession,
  memory: benchMemory,
  flood: benchFlood,
  forward: benchForward,
  crash: benchCrash,
  mountebank: benchMountebank,
};

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      profile: { type: 'string' },
      build: { type: 'boolean', default: false },
      root: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      `Usage: npm run bench -- [--quick] [--only ${Object.keys(BENCHES).join(',')}] [--profile DIR] [--build] [--root DIR]\n`,
    );
    return 0;
  }
  const only = values.only?.split(',').map((s) => s.trim()) ?? Object.keys(BENCHES);
  const unknown = only.filter((name) => !(name in BENCHES));
  if (unknown.length > 0) {
    process.stderr.write(`error: unknown benchmark ${unknown.join(', ')}\n`);
    return 2;
  }
  const tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-bench-'));
  const profileDir = values.profile === undefined ? null : path.resolve(values.profile);
  if (profileDir) await fs.mkdir(profileDir, { recursive: true });
  const options: BenchOptions = {
    quick: values.quick,
    tmpDir,
    profileDir,
    buildWindow: values.build,
    root: values.root === undefined ? ROOT : path.resolve(values.root),
  };

  process.stdout.write(`Switchboard benchmarks${options.quick ? ' (--quick)' : ''}\n`);
  process.stdout.write(`machine: ${describeMachine()}\n`);
  if (options.root !== ROOT) process.stdout.write(`Switchboard measured: ${options.root}\n`);
  process.stdout.write(`load average at start: ${loadAverage()}\n\n`);
  const t0 = performance.now();
  const rows: Row[] = [];
  try {
    for (const name of only) {
      const bench = BENCHES[name];
      if (!bench) continue;
      process.stderr.write(`${name}…\n`);
      const t = performance.now();
      rows.push(...(await bench(options)));
      progress(`${name} done in ${since(t)}`);
    }
  } finally {
    await fs.rm(tmpDir, { recursive: true, force: true });
  }
  process.stdout.write(`${formatTable(rows)}\n\n`);
  const missed = rows.filter((r) => r.verdict === 'MISS').length;
  const judged = rows.filter((r) => r.verdict !== '').length;
  process.stdout.write(
    `${judged - missed} of ${judged} targets met; whole run ${since(t0)}; load average at end: ${loadAverage()}\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
