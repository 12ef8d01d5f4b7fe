/**
 * The durable log's backpressure (docs/server-limits.md): when the disk is
 * slower than the clients, the server stops reading from them until the log
 * has caught up. Memory stays bounded, every event reaches the file, and the
 * clients are slowed, never dropped.
 */
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LineServer, TURN_LINE_BUDGET } from '../../electron/core/server.js';
import { holdWhileBehind, LogFile, type OpenLogFile } from '../../electron/services/log-file.js';
import { ServerController } from '../../electron/services/server-controller.js';
import type { LogRecord } from '../../electron/shared/ipc/models.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'switchboard-backpressure-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** A disk that takes no write until the test opens the gate. */
function gatedDisk(): { open: OpenLogFile; release: () => void } {
  let opened: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (opened = resolve));
  const open: OpenLogFile = async (name) => {
    const handle = await fs.open(name, 'a+');
    const writev = handle.writev.bind(handle);
    handle.writev = async <T extends readonly NodeJS.ArrayBufferView[]>(buffers: T) => {
      await gate;
      return writev(buffers);
    };
    return handle;
  };
  return { open, release: () => opened() };
}

/** Resolves after `n` turns of the event loop: time for a server that still reads to answer more. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('the durable log behind a slow disk', () => {
  it('holds the clients until it catches up, keeps memory bounded and loses no event', async () => {
    const LINES = 6000;
    const BEHIND = 64 * 1024;
    const file = path.join(dir, 'log.jsonl');
    const disk = gatedDisk();
    const log = new LogFile({ file, open: disk.open, behindBytes: BEHIND, caughtUpBytes: 16 * 1024 });
    const server = new LineServer();
    const controller = new ServerController(server);
    controller.addSink(log);
    holdWhileBehind(log, server);
    let lines = 0;
    let mostQueued = 0;
    controller.addSink({
      append: () => (mostQueued = Math.max(mostQueued, log.queuedBytes)),
      appendRows: ({ batch }) => {
        lines += batch.kinds.slice(0, batch.length).filter((k) => k === 0).length;
        mostQueued = Math.max(mostQueued, log.queuedBytes);
      },
    });
    const started = await controller.start({ ...server.config, host: '127.0.0.1', port: 0 });
    expect(started.ok).toBe(true);

    const behind = new Promise<void>((resolve) => log.on('behind', ({ behind: b }) => b && resolve()));
    const client = net.connect({ port: started.status.port, host: '127.0.0.1' });
    let replies = 0;
    let closed = false;
    const clientClosed = new Promise((resolve) => client.on('close', resolve));
    const allReplies = new Promise<void>((resolve) => {
      client.on('data', (chunk: Buffer) => {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) replies++;
        if (replies >= LINES) resolve();
      });
    });
    client.on('close', () => (closed = true));
    client.write('SONG\n'.repeat(LINES));

    await behind;
    expect(server.readingHeld).toBe(true);
    const linesWhenBehind = lines;
    await turns(20);
    // Held: nothing more is read or answered while the disk takes nothing.
    expect(lines).toBe(linesWhenBehind);
    expect(lines).toBeLessThan(LINES);
    expect(replies).toBeLessThan(LINES);

    disk.release();
    await allReplies;
    expect(replies).toBe(LINES);
    expect(closed).toBe(false);
    client.end();
    await clientClosed; // the server answered the half-close by closing (reason eof)
    await controller.stop();
    await log.close();
    expect(server.readingHeld).toBe(false);

    // Bounded: the bound, plus at most what one turn answers (a line and its reply, ~200 bytes each).
    expect(mostQueued).toBeLessThan(BEHIND + TURN_LINE_BUDGET * 2 * 200);
    const rows = (await fs.readFile(file, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as LogRecord);
    // Everything: one row per event, numbered without a gap.
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(rows.filter((r) => r.kind === 'line')).toHaveLength(LINES);
    expect(rows.filter((r) => r.kind === 'reply')).toHaveLength(LINES);
    expect(rows.find((r) => r.kind === 'close')).toMatchObject({ reason: 'eof', bytesIn: LINES * 5 });
    expect(log.dropped).toBe(0);
  });
});
