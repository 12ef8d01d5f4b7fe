/**
 * 7. kill -9 during a flood with `--log`: Switchboard headless pipelines
 * `SONG` on 50 connections with its durable log on, and is killed with
 * SIGKILL mid-flood. Every line before the last must be whole (none torn),
 * and the newest row must be at most 50 ms older than the kill: what a crash
 * can lose is the log's batch window (README.md, performance). The last line
 * may be cut: Linux stops a write to a file at a page when the writer gets
 * SIGKILL, so a kill mid-write leaves a fragment, which the next start
 * repairs before it appends (README.md, the log file). Those are counted apart.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readLines } from '../helpers/file-lines.js';
import {
  ms,
  openConnections,
  progress,
  row,
  sleep,
  startSwitchboard,
  verdict,
  type BenchOptions,
  type Row,
} from './lib.js';

const SECTION = '7. kill -9 during a flood, durable log on';
const CONNECTIONS = 50;
const INFLIGHT = 16;
const LOSS_TARGET_MS = 50;

export async function benchCrash(options: BenchOptions): Promise<Row[]> {
  const runs = options.quick ? 2 : 5;
  const losses: number[] = [];
  let torn = 0;
  let cutTails = 0;
  let rows = 0;
  for (let run = 0; run < runs; run++) {
    const server = await startSwitchboard(options);
    const file = logFileOf(server.cli.child.spawnargs);
    const sockets = await openConnections(server.port, CONNECTIONS, CONNECTIONS);
    const batch = Buffer.from('SONG\n'.repeat(INFLIGHT));
    for (const socket of sockets) {
      socket.on('data', () => {
        if (!socket.destroyed) socket.write(batch);
      });
      socket.write(batch);
    }
    // Long enough to be well into the flood, at a time that varies from run to run.
    await sleep(700 + run * 137);
    const killedAt = Date.now();
    server.cli.kill('SIGKILL');
    await server.cli.exited;
    for (const s of sockets) s.destroy();
    let newest = 0;
    const tail = await readLines(file, (line) => {
      if (line === '') return;
      try {
        newest = Math.max(newest, (JSON.parse(line) as { at: number }).at);
        rows++;
      } catch {
        torn++;
      }
    });
    // What follows the last LF: empty unless the kill cut the last write.
    if (tail !== '') cutTails++;
    losses.push(killedAt - newest);
    await fs.rm(file, { force: true });
  }
  const worst = Math.max(...losses);
  progress(
    `kill -9: newest row ${losses.map((l) => ms(l)).join(', ')} before the kill; ${torn} torn lines, ${cutTails} cut last lines`,
  );
  return [
    row(SECTION, `newest row before the kill (worst of ${runs})`, {
      switchboard: ms(worst),
      target: `≤ ${LOSS_TARGET_MS} ms missing`,
      verdict: verdict(worst <= LOSS_TARGET_MS),
    }),
    row(SECTION, 'torn lines before the last', {
      switchboard: `${torn} (of ${rows.toLocaleString('en-US')} rows)`,
      target: 'none',
      verdict: verdict(torn === 0),
    }),
    row(SECTION, 'last line cut by the kill (repaired at next start)', {
      switchboard: `${cutTails} of ${runs} runs`,
    }),
  ];
}

/** The `--log FILE` a server was started with. */
function logFileOf(args: readonly string[]): string {
  const i = args.indexOf('--log');
  const file = i === -1 ? undefined : args[i + 1];
  if (!file) throw new Error('the server was started without --log');
  return path.resolve(file);
}
