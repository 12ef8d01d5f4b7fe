import { afterEach, describe, expect, it } from 'vitest';
import { ServerController, exposureWarning } from '../../electron/services/server-controller.js';
import { EMPTY_STATS, type LogRecord, type ServerStatus } from '../../electron/shared/ipc/models.js';
import { DEFAULT_SETTINGS, type ServerSettings } from '../../electron/shared/protocol/settings.js';
import { RawClient, eventually, isRefused, occupyPort } from '../helpers/net.js';
import { SONG, QUOTE } from '../helpers/classic.js';

const SETTINGS: ServerSettings = { ...DEFAULT_SETTINGS, port: 0, maxConnections: 100, idleTimeoutSec: 0 };

const controllers: ServerController[] = [];
afterEach(async () => {
  await Promise.all(controllers.splice(0).map((c) => c.stop()));
});

function recorded(): { controller: ServerController; statuses: ServerStatus[]; entries: LogRecord[] } {
  const controller = new ServerController();
  controllers.push(controller);
  const statuses: ServerStatus[] = [];
  const entries: LogRecord[] = [];
  controller.on('status', (s) => statuses.push(s));
  controller.on('entry', (e) => entries.push(e));
  return { controller, statuses, entries };
}

describe('status', () => {
  it('starts as Stopped', () => {
    expect(new ServerController().status).toEqual({ state: 'stopped', host: '', port: 0, text: 'Stopped' });
  });

  it('goes starting → running with the real port, then stopping → Stopped', async () => {
    const { controller, statuses } = recorded();
    const outcome = await controller.start(SETTINGS);
    if (!outcome.ok) throw new Error(outcome.error);
    const port = outcome.status.port;
    expect(port).toBeGreaterThan(0);
    const running: ServerStatus = {
      state: 'running',
      host: '127.0.0.1',
      port,
      text: `Running on 127.0.0.1:${port}`,
    };
    expect(outcome.status).toEqual(running);
    expect(controller.status).toEqual(running);
    expect(statuses).toEqual([
      { state: 'starting', host: '127.0.0.1', port: 0, text: 'Starting on 127.0.0.1:0…' },
      running,
    ]);

    const stopped = await controller.stop();
    expect(stopped.closed).toBe(0);
    expect(stopped.status).toEqual({ state: 'stopped', host: '', port: 0, text: 'Stopped' });
    expect(statuses.slice(2)).toEqual([
      { ...running, state: 'stopping', text: 'Stopping…' },
      { state: 'stopped', host: '', port: 0, text: 'Stopped' },
    ]);
    expect(await isRefused(port)).toBe(true);
  });

  it('fails on a busy port with the contract message, and changes nothing else', async () => {
    const busy = await occupyPort();
    try {
      const { controller, statuses, entries } = recorded();
      const outcome = await controller.start({ ...SETTINGS, port: busy.port });
      const message = `port ${busy.port} on 127.0.0.1 is already in use`;
      // The failure is an event of the log too, before the status that says it.
      expect(entries.map((e) => `${e.conn} ${e.kind} ${e.detail}`)).toEqual([
        `0 error start failed: ${message}`,
      ]);
      const failed: ServerStatus = { state: 'failed', host: '127.0.0.1', port: busy.port, text: message };
      expect(outcome).toEqual({ ok: false, status: failed, error: message });
      expect(statuses.map((s) => s.state)).toEqual(['starting', 'failed']);
      expect(controller.status).toEqual(failed);
      expect(controller.server.state).toBe('stopped');
      // A failed start stays on screen through a Stop, until the next Start.
      expect((await controller.stop()).status).toEqual(failed);
    } finally {
      await busy.release();
    }
  });

  it('refuses an invalid port with a message naming it', async () => {
    const { controller } = recorded();
    const outcome = await controller.start({ ...SETTINGS, port: 70000 });
    expect(outcome).toMatchObject({
      ok: false,
      error: 'invalid port 70000 on 127.0.0.1: use a whole number from 0 to 65535',
      status: {
        state: 'failed',
        text: 'invalid port 70000 on 127.0.0.1: use a whole number from 0 to 65535',
      },
    });
  });

  it('starts again after a failure', async () => {
    const busy = await occupyPort();
    const { controller } = recorded();
    expect((await controller.start({ ...SETTINGS, port: busy.port })).ok).toBe(false);
    await busy.release();
    const outcome = await controller.start({ ...SETTINGS, port: busy.port });
    expect(outcome.status).toEqual({
      state: 'running',
      host: '127.0.0.1',
      port: busy.port,
      text: `Running on 127.0.0.1:${busy.port}`,
    });
  });

  it('a second Start while running is refused and leaves the running status alone', async () => {
    const { controller, statuses } = recorded();
    const first = await controller.start(SETTINGS);
    const running = first.status;
    const second = await controller.start(SETTINGS);
    expect(second.ok).toBe(false);
    if (!second.ok) expect(second.error).toBe(`the server is already running on 127.0.0.1:${running.port}`);
    expect(second.status).toEqual(running);
    expect(controller.status).toEqual(running);
    expect(statuses.map((s) => s.state)).toEqual(['starting', 'running']);
    expect(controller.server.state).toBe('running');
    expect((await controller.stop()).status.text).toBe('Stopped');
  });

  it('warns when listening on every network (0.0.0.0), and not on loopback', async () => {
    const open = recorded();
    const outcome = await open.controller.start({ ...SETTINGS, host: '0.0.0.0' });
    expect(outcome.status).toMatchObject({
      state: 'running',
      host: '0.0.0.0',
      text: `Running on 0.0.0.0:${outcome.status.port}`,
      warning: `listening on 0.0.0.0:${outcome.status.port}: other machines on your network can connect`,
    });
    const local = recorded();
    const loopback = await local.controller.start(SETTINGS);
    expect(loopback.status.state).toBe('running');
    expect('warning' in loopback.status).toBe(false);
  });

  it('exposureWarning: none for loopback names, a warning naming any other host', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]']) {
      expect(exposureWarning(host, 31310)).toBeUndefined();
    }
    expect(exposureWarning('::', 31310)).toBe(
      'listening on [::]:31310: other machines on your network can connect',
    );
    expect(exposureWarning('192.168.1.10', 80)).toBe(
      'listening on 192.168.1.10:80: other machines on your network can connect',
    );
  });
});

describe('stats and log entries', () => {
  it('counts connections, commands, rejections and bytes exactly', async () => {
    const { controller, entries } = recorded();
    const outcome = await controller.start({ ...SETTINGS, maxConnections: 1 });
    const port = outcome.status.port;
    expect(controller.stats).toEqual(EMPTY_STATS);

    const a = await RawClient.connect(port);
    const aPort = a.socket.localPort ?? 0;
    a.write('SONG\nQUOTE\n');
    await a.waitFor(SONG + QUOTE);
    // Bytes move while the connection is open, not only when it closes.
    expect(controller.stats).toMatchObject({
      active: 1,
      total: 1,
      commands: 2,
      bytesIn: Buffer.byteLength('SONG\nQUOTE\n'),
      bytesOut: Buffer.byteLength(SONG + QUOTE),
    });

    const b = await RawClient.connect(port);
    const bPort = b.socket.localPort ?? 0;
    expect(await b.waitClosed()).toBe('ERR server busy\r\n');
    await eventually(() => controller.stats.rejected === 1);

    a.end('nope\n');
    await a.waitClosed();
    await eventually(() => controller.stats.active === 0);
    const unknown = 'Unknown command: nope\r\n';
    expect(controller.stats).toEqual({
      ...EMPTY_STATS,
      total: 1,
      commands: 3,
      bytesIn: Buffer.byteLength('SONG\nQUOTE\nnope\n'),
      bytesOut: Buffer.byteLength(SONG + QUOTE + unknown),
      rejected: 1,
    });

    await controller.stop();
    expect(entries.map((e) => e.kind)).toEqual([
      'listening',
      'open',
      'line',
      'reply',
      'line',
      'reply',
      'rejected',
      'line',
      'reply',
      'close',
      'stopped',
    ]);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    const remote = `127.0.0.1:${aPort}`;
    expect(
      entries.filter((e) => e.conn !== 0 && e.kind !== 'rejected').every((e) => e.remote === remote),
    ).toBe(true);
    expect(entries[6]?.remote).toBe(`127.0.0.1:${bPort}`);
    expect(entries.at(-1)?.detail).toBe('stopped (0 connections closed)');
  });

  it('stats is a copy the caller cannot change', () => {
    const { controller } = recorded();
    const stats = controller.stats;
    stats.total = 99;
    expect(controller.stats.total).toBe(0);
  });

  it('Stop closes open connections, reports how many, and the counters follow', async () => {
    const { controller, entries } = recorded();
    const { status } = await controller.start(SETTINGS);
    const clients = await Promise.all([RawClient.connect(status.port), RawClient.connect(status.port)]);
    await eventually(() => controller.stats.active === 2);
    const report = await controller.stop();
    expect(report.closed).toBe(2);
    await Promise.all(clients.map((c) => c.waitClosed()));
    expect(controller.stats).toMatchObject({ active: 0, total: 2 });
    expect(entries.filter((e) => e.kind === 'close').map((e) => e.detail)).toEqual([
      expect.stringMatching(/^closed \(server stopped\); 0 bytes in, 0 out, /),
      expect.stringMatching(/^closed \(server stopped\); 0 bytes in, 0 out, /),
    ]);
    expect(entries.at(-1)?.detail).toBe('stopped (2 connections closed)');
  });

  it('entry seq keeps increasing across restarts', async () => {
    const { controller, entries } = recorded();
    await controller.start(SETTINGS);
    await controller.stop();
    await controller.start(SETTINGS);
    await controller.stop();
    expect(entries.map((e) => `${e.seq} ${e.kind}`)).toEqual([
      '1 listening',
      '2 stopped',
      '3 listening',
      '4 stopped',
    ]);
  });

  it('log rows carry typed fields: direction, exact text, bytes, close reason', async () => {
    const { controller, entries } = recorded();
    const { status } = await controller.start(SETTINGS);
    const c = await RawClient.connect(status.port);
    c.write('HAIKU\nQUIT\n');
    await c.waitClosed();
    c.end();
    await eventually(() => entries.some((e) => e.kind === 'close'));
    const line = entries.find((e) => e.kind === 'line');
    expect(line).toMatchObject({ dir: 'in', text: 'HAIKU', bytes: 6 });
    const reply = entries.find((e) => e.kind === 'reply');
    expect(reply?.dir).toBe('out');
    expect(reply?.text).toContain('\r\n  You step in the stream,\r\n');
    expect(reply?.bytes).toBe(Buffer.byteLength(reply?.text ?? ''));
    const close = entries.find((e) => e.kind === 'close');
    expect(close).toMatchObject({ reason: 'quit', bytesIn: 11, bytesOut: (reply?.bytes ?? 0) + 6 });
    expect(close?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('resetStats starts a new measurement: counters and chart from zero, open connections kept', async () => {
    const { controller } = recorded();
    const { status } = await controller.start(SETTINGS);
    const open = await RawClient.connect(status.port);
    open.write('SONG\n');
    await open.waitFor(SONG);
    await eventually(() => controller.stats.commands === 1);
    controller.resetStats();
    expect(controller.stats).toEqual({
      active: 1,
      total: 0,
      commands: 0,
      bytesIn: 0,
      bytesOut: 0,
      rejected: 0,
      errors: 0,
    });
    expect(controller.series.commands.every((n) => n === 0)).toBe(true);
    // What the open connection sends next counts; what it sent before does not come back at its close.
    open.write('QUOTE\n');
    await open.waitFor(QUOTE);
    open.end();
    await eventually(() => controller.stats.active === 0);
    expect(controller.stats).toMatchObject({ commands: 1, bytesIn: 6, bytesOut: Buffer.byteLength(QUOTE) });
  });
});
