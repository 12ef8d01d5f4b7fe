/**
 * Slow clients at the connection limit against a real `npm run serve`
 * process (issue 10, "Slowloris at the limit"): clients that dribble a line
 * forever must not hold every slot, and one address must not take them all.
 * Small settings keep the cases quick; the defaults are the same code.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { RawClient, eventually, forEachConcurrently } from '../helpers/net.js';
import { QUOTE } from '../helpers/classic.js';
import { abuseCase, formatReports, reports } from './harness.js';

afterAll(() => {
  if (reports.length > 0)
    console.log(
      `\nSlow clients at the limit (npm run serve, one process per case):\n${formatReports(reports)}\n`,
    );
});

/** Every 200 ms, one more byte of a line that never ends, on every client. */
function dribble(clients: readonly RawClient[]): () => void {
  const timer = setInterval(() => {
    for (const c of clients) if (c.socket.writable) c.write('x');
  }, 200);
  return () => clearInterval(timer);
}

/** QUOTE on a connection from another loopback address (Linux answers on all of 127.0.0.0/8); its time in ms. */
function probeFrom(localAddress: string, port: number): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    let text = '';
    socket.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.length < QUOTE.length) return;
      socket.destroy();
      if (text === QUOTE) resolve(performance.now() - t0);
      else reject(new Error(`the probe from ${localAddress} got ${JSON.stringify(text)}`));
    });
    socket.on('error', reject);
    socket.write('QUOTE\n');
  });
}

describe('slow clients at the limit', () => {
  it('100 clients dribble unfinished lines at a limit of 100: the line timeout frees every slot', async () => {
    await abuseCase(
      'slowloris at the limit (line timeout 1 s)',
      ['--json', '--max-connections', '100', '--line-timeout', '1', '--idle-timeout', '300'],
      async ({ port, events }) => {
        const loris: RawClient[] = [];
        await forEachConcurrently(100, 20, async () => {
          const c = await RawClient.connect(port);
          c.write('SONG'); // a line begun...
          loris.push(c);
        });
        const stop = dribble(loris); // ...and never finished, though never silent either
        try {
          await events.until('open', 100);
          // Every slot is held: a newcomer is turned away...
          const newcomer = await RawClient.connect(port);
          expect(await newcomer.waitClosed()).toBe('ERR server busy\r\n');
          newcomer.destroy();
          // ...until the line timeout closes the slow ones, each told why.
          for (const c of loris) expect(await c.waitClosed(10_000)).toMatch(/ERR line timeout\r\n$/);
          await events.until('close', 100);
        } finally {
          stop();
        }
        for (const c of loris) c.destroy();
        return { open: [], serverOpen: 0, note: `${events.count('close')} cut by the line timeout` };
      },
    );
  });

  it('one address opens 100 slow connections at a limit of 100 and a share of 50: another address is served', async () => {
    await abuseCase(
      'one address at its share (50 of 100)',
      ['--json', '--max-connections', '100', '--max-per-remote', '50'],
      async ({ port, events }) => {
        const loris: RawClient[] = [];
        await forEachConcurrently(100, 20, async () => {
          const c = await RawClient.connect(port);
          c.write('SONG');
          loris.push(c);
        });
        const stop = dribble(loris);
        try {
          await eventually(() => loris.filter((c) => c.isClosed).length >= 50, 10_000, '50 turned away');
          const turnedAway = loris.filter((c) => c.isClosed);
          expect(turnedAway).toHaveLength(50);
          for (const c of turnedAway) expect(c.text).toBe('ERR too many connections from your address\r\n');
          await events.until('rejected', 50);
          expect(events.count('open')).toBe(50);
          // Another address still gets in at once while the 50 hold their places.
          const worstProbeMs = Math.max(
            await probeFrom('127.0.0.2', port),
            await probeFrom('127.0.0.3', port),
          );
          // One slow client leaves, so that the harness's own probe (from 127.0.0.1) has a place.
          const staying = loris.filter((c) => !c.isClosed);
          for (const c of turnedAway) c.destroy();
          staying.pop()?.destroy();
          await events.until('close', 3);
          return { open: staying, serverOpen: staying.length, worstProbeMs, note: '50 turned away' };
        } finally {
          stop();
        }
      },
    );
  });
});
