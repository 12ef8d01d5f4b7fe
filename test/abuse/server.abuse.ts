/**
 * Hostile and broken clients against a real `npm run serve` process (issue 5).
 *
 * Each case misbehaves in its own way, then a probe client must still get
 * SONG answered at once, and Stop (stdin `quit`) must still close every
 * connection at once. The server's peak memory in each case is printed in a
 * table at the end. Run with `npm run test:abuse`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { escapeControlChars, trimBlanks } from '../../electron/shared/protocol/text.js';
import { RawClient, eventually, forEachConcurrently } from '../helpers/net.js';
import { HAIKU, QUOTE, SONG } from '../helpers/classic.js';
import { abuseCase, formatReports, reports, sleep } from './harness.js';

afterAll(() => {
  if (reports.length > 0)
    console.log(`\nServer under abuse (npm run serve, one process per case):\n${formatReports(reports)}\n`);
});

describe('hostile and broken clients', () => {
  it('slowloris: one client sends a line a byte a second, 200 more dribble a byte a second', async () => {
    await abuseCase('slowloris (1 + 200 clients, 1 B/s)', ['--quiet'], async ({ port }) => {
      const loris = await RawClient.connect(port);
      const crowd: RawClient[] = [];
      await forEachConcurrently(200, 20, async () => {
        crowd.push(await RawClient.connect(port));
      });
      // Half of the crowd spell QUOTE\n over six seconds; the other half never finish a line.
      const spells = (i: number): boolean => i % 2 === 0;
      const word = 'SONG\r\n';
      let tick = 0;
      const dribble = (): void => {
        if (tick < word.length) loris.write(word.charAt(tick));
        crowd.forEach((c, i) => c.write(spells(i) ? 'QUOTE\n'.charAt(tick % 6) : 'x'));
        tick++;
      };
      dribble();
      const timer = setInterval(dribble, 1000);
      try {
        // Nothing answers the loris before its last byte, five seconds from now.
        await sleep(4500);
        expect(loris.text).toBe('');
        expect(await loris.waitFor(SONG, 3000)).toBe(SONG);
        await eventually(
          () => crowd.every((c, i) => !spells(i) || c.text === QUOTE),
          3000,
          'a QUOTE for every client that spelled one',
        );
      } catch (error) {
        clearInterval(timer);
        for (const c of [loris, ...crowd]) c.destroy();
        throw error;
      }
      // They go on dribbling while the probe runs and until Stop.
      return {
        open: [loris, ...crowd],
        serverOpen: 201,
        cleanup: () => clearInterval(timer),
        note: `${tick} s of dribbling`,
      };
    });
  });

  it('3000 connections opened and abandoned: at once, mid-line, mid-reply, or reset', async () => {
    await abuseCase('3000 connections abandoned', ['--json'], async ({ port, events, untilServerHolds }) => {
      const total = 3000;
      await forEachConcurrently(total, 100, async (i) => {
        const client = await RawClient.connect(port);
        switch (i % 4) {
          case 0: // connect and go
            break;
          case 1: // half a line
            client.write('HAI');
            break;
          case 2: // ask for replies, never read them
            client.write('HAIKU\n'.repeat(20));
            break;
          case 3: // half a line, then a reset
            client.write('SON');
            client.socket.resetAndDestroy();
            return;
        }
        client.destroy();
      });
      // The server holds none of them (a slow machine may have turned a few away as busy)...
      await untilServerHolds(0);
      // ...and has logged a close for every one it opened.
      await eventually(
        () => events.count('close') >= events.count('open'),
        20_000,
        'a close for every open',
      ).catch((error: unknown) => {
        const counts = ['open', 'close', 'rejected'].map((k) => `${k} ${events.count(k)}`).join(', ');
        throw new Error(`${String(error)} (of ${total}: ${counts})`);
      });
      // A client that resets at once can be gone before a busy server accepts it, and the
      // kernel then drops it unseen; every other one reached the server.
      const resets = total / 4;
      const seen = events.count('open') + events.count('rejected');
      expect(seen).toBeGreaterThanOrEqual(total - resets);
      expect(seen).toBeLessThanOrEqual(total);
      return {
        open: [],
        serverOpen: 0,
        note: `${events.count('rejected')} turned away as busy, ${total - seen} gone before accept`,
      };
    });
  });

  it('a client sends HAIKU 100,000 times and never reads: the server stops reading, its memory stays bounded', async () => {
    await abuseCase('HAIKU x100,000, never read', ['--quiet'], async ({ port }) => {
      const hog = await RawClient.connect(port);
      hog.socket.pause(); // never read
      const request = Buffer.from('HAIKU\n'.repeat(100_000)); // asks for 10.4 MB of replies
      hog.write(request);
      // Let the server fill what it may and sit there, while memory is watched.
      await sleep(3000);
      const unsent = hog.socket.writableLength;
      return {
        open: [hog],
        serverOpen: 1,
        note: `${(request.length / 1024).toFixed(0)} KiB sent, ${(unsent / 1024).toFixed(0)} KiB still unsent after 3 s`,
      };
    });
  });

  it('200 clients each pipeline HAIKU 100,000 times and never read: a newcomer is still answered at once', async () => {
    await abuseCase('200 x HAIKU x100,000, never read', ['--quiet'], async ({ port }) => {
      const request = Buffer.from('HAIKU\n'.repeat(100_000));
      const hogs: RawClient[] = [];
      await forEachConcurrently(200, 20, async () => {
        const hog = await RawClient.connect(port);
        hog.socket.pause(); // never read
        hog.write(request);
        hogs.push(hog);
      });
      // The server is busy for seconds answering them into the socket buffers; the probe comes in the middle of it.
      await sleep(1000);
      return { open: hogs, serverOpen: hogs.length };
    });
  });

  it('binary garbage and NUL bytes: every line is answered with its bytes escaped, nothing crashes', async () => {
    await abuseCase('binary garbage, NUL and 0xFF', ['--quiet'], async ({ port }) => {
      const seed = Date.now() >>> 0;
      const random = xorshift(seed);
      const inputs: Buffer[] = [];
      for (let i = 0; i < 20; i++) {
        const bytes = Buffer.alloc(64 * 1024);
        for (let j = 0; j < bytes.length; j++) bytes[j] = random() & 0xff;
        // NUL and 0xFF for sure, and a line end at least every 1000 bytes so that no line is over the limit.
        for (let j = 7; j < bytes.length; j += 97) bytes[j] = j % 2 === 0 ? 0x00 : 0xff;
        for (let j = 999; j < bytes.length; j += 1000) bytes[j] = 0x0a;
        inputs.push(bytes);
      }
      inputs.push(
        Buffer.from(
          [0x00, 0xff, 0x00, 0x0d, 0xff, 0x1b, 0x5b, 0x32, 0x4a, 0x7f, 0x0a].flatMap((b) =>
            Array<number>(50).fill(b),
          ),
        ),
      );
      inputs.push(
        Buffer.concat(Array.from({ length: 200 }, () => Buffer.from('\x00\xff\x00\r\n', 'latin1'))),
      );
      const clients = await Promise.all(inputs.map(() => RawClient.connect(port)));
      clients.forEach((client, i) => {
        const input = inputs[i] ?? Buffer.alloc(0);
        // In random chunks, then a half-close: the last fragment counts as a line.
        for (let from = 0; from < input.length;) {
          const size = 1 + (random() % 8192);
          client.write(input.subarray(from, from + size));
          from += size;
        }
        client.end();
      });
      let lines = 0;
      for (const [i, client] of clients.entries()) {
        const reply = await client.waitClosed(10_000);
        const expected = unknownReplies(inputs[i] ?? Buffer.alloc(0));
        lines += expected.split('\r\n').length - 1;
        expect(reply, `client ${i}, seed ${seed}`).toBe(expected);
        // No control byte reaches the client but the CR LF that end each line.
        // eslint-disable-next-line no-control-regex -- control bytes are what this looks for
        expect(/[\x00-\x08\x0A-\x1F\x7F]/.test(reply.replaceAll('\r\n', ''))).toBe(false);
        client.destroy();
      }
      return { open: [], serverOpen: 0, note: `${lines} lines echoed escaped` };
    });
  });

  it('overlong lines: 1 MB without a line end gets ERR line too long and a close', async () => {
    await abuseCase('overlong lines (1 MB, no LF)', ['--quiet'], async ({ port }) => {
      const megabyte = Buffer.alloc(1024 * 1024, 'A');
      const plain = await Promise.all(Array.from({ length: 10 }, () => RawClient.connect(port)));
      const afterSong = await Promise.all(Array.from({ length: 5 }, () => RawClient.connect(port)));
      for (const c of plain) c.write(megabyte);
      for (const c of afterSong) c.write(Buffer.concat([Buffer.from('SONG\n'), megabyte]));
      for (const c of plain) expect(await c.waitClosed(10_000)).toBe('ERR line too long\r\n');
      for (const c of afterSong) expect(await c.waitClosed(10_000)).toBe(`${SONG}ERR line too long\r\n`);
      for (const c of [...plain, ...afterSong]) c.destroy();
      return { open: [], serverOpen: 0 };
    });
  });

  it('connections reset in the middle of a reply', async () => {
    await abuseCase('reset mid-reply (SO_LINGER 0)', ['--quiet'], async ({ port, untilServerHolds }) => {
      const count = 60;
      await forEachConcurrently(count, 10, async (i) => {
        const client = await RawClient.connect(port);
        client.write('HAIKU\n'.repeat(10_000));
        // Half reset at once, half once the replies are flowing.
        if (i % 2 === 1) await client.waitFor('A haiku', 5000);
        client.socket.resetAndDestroy();
      });
      await untilServerHolds(0);
      return { open: [], serverOpen: 0 };
    });
  });

  it('half-open sockets: clients end their side and never read; the server finishes and frees them', async () => {
    await abuseCase('half-open (end, never read)', ['--quiet'], async ({ port, untilServerHolds }) => {
      const finishing = await Promise.all(Array.from({ length: 200 }, () => RawClient.connect(port)));
      finishing.forEach((client, i) => {
        client.socket.pause(); // never read (until the checks below)
        client.end(i % 4 === 0 ? '' : 'HAIKU\n'.repeat(100)); // 10 KB of replies each, or none at all
      });
      // The server answers every line, closes and frees each of them without the client reading...
      await untilServerHolds(0);
      // ...having sent every reply and its FIN.
      for (const [i, client] of finishing.entries()) {
        client.socket.resume();
        expect(await client.waitClosed()).toBe(i % 4 === 0 ? '' : HAIKU.repeat(100));
        client.destroy();
      }
      // A few ask for more (31 MB each) than socket buffers take: the server holds them, and Stop closes them.
      const stuck = await Promise.all(Array.from({ length: 3 }, () => RawClient.connect(port)));
      for (const client of stuck) {
        client.socket.pause();
        client.end('HAIKU\n'.repeat(300_000));
      }
      await sleep(1500);
      return {
        open: stuck,
        serverOpen: stuck.length,
        note: `${finishing.length} finished, ${stuck.length} stuck`,
      };
    });
  });

  it('a connect flood past the connection limit: 100 admitted, the other 400 told ERR server busy', async () => {
    await abuseCase(
      'connect flood (500 at a limit of 100)',
      ['--json', '--max-connections', '100'],
      async ({ port, events }) => {
        const clients = await Promise.all(Array.from({ length: 500 }, () => RawClient.connect(port)));
        await eventually(
          () => clients.filter((c) => c.isClosed).length >= 400,
          10_000,
          '400 clients turned away',
        );
        await sleep(300); // and no more than 400
        const rejected = clients.filter((c) => c.isClosed);
        const admitted = clients.filter((c) => !c.isClosed);
        expect(rejected).toHaveLength(400);
        for (const c of rejected) expect(c.text).toBe('ERR server busy\r\n');
        await events.until('rejected', 400);
        expect(events.count('rejected')).toBe(400);
        expect(events.count('open')).toBe(100);
        for (const c of rejected) c.destroy();
        // The admitted ones are served.
        for (const c of admitted) c.write('QUOTE\n');
        for (const c of admitted) expect(await c.waitFor(QUOTE)).toBe(QUOTE);
        // One leaves, so that the probe has a place.
        const [leaving, ...staying] = admitted;
        leaving?.destroy();
        await events.until('close', 1);
        return { open: staying, serverOpen: staying.length, note: `${events.count('rejected')} rejected` };
      },
    );
  });
});

/** What the classic table answers to `input` (half-closed after it) when no line is a command. */
function unknownReplies(input: Buffer): string {
  const parts: Buffer[] = [];
  let from = 0;
  for (let lf = input.indexOf(0x0a); lf !== -1; lf = input.indexOf(0x0a, from)) {
    const end = lf > from && input[lf - 1] === 0x0d ? lf - 1 : lf;
    parts.push(input.subarray(from, end));
    from = lf + 1;
  }
  parts.push(input.subarray(from)); // the final fragment, a line at EOF
  return parts
    .map((raw) => trimBlanks(raw.toString('utf8')))
    .filter((line) => line !== '')
    .map((line) => `Unknown command: ${escapeControlChars(line)}\r\n`)
    .join('');
}

/** A small seeded generator (xorshift32), so that a failure names the seed that made it. */
function xorshift(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}
