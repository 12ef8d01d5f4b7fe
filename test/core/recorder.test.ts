import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Forwarder } from '../../electron/core/forwarder.js';
import {
  MAX_RECORDED_REPLY,
  MAX_RECORDED_REQUEST,
  MAX_RECORDED_RULES,
  Recorder,
  toHex,
} from '../../electron/core/recorder.js';
import { exactPattern } from '../../electron/shared/protocol/literals.js';
import { PlainServer, RawClient } from '../helpers/net.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function recordFrom(
  upstreamPort: number,
): Promise<{ forwarder: Forwarder; recorder: Recorder; port: number }> {
  const forwarder = new Forwarder();
  const recorder = new Recorder(forwarder, `127.0.0.1:${upstreamPort}`);
  const started = await forwarder.start({
    host: '127.0.0.1',
    port: 0,
    upstream: { host: '127.0.0.1', port: upstreamPort },
  });
  if (!started.ok) throw new Error(started.message);
  cleanups.push(() => forwarder.stop());
  return { forwarder, recorder, port: started.port };
}

/** Sends each request and waits for `expected` after it, one at a time. */
async function converse(port: number, steps: [string | Buffer, string][], greeting = ''): Promise<void> {
  const client = await RawClient.connect(port);
  await client.waitFor(greeting);
  let seen = greeting.length;
  for (const [request, expected] of steps) {
    client.write(request);
    seen += expected.length;
    await client.waitFor((t) => t.length >= seen);
  }
  client.end();
  await client.waitClosed();
}

/** A scripted upstream: a greeting, then a reply per line. */
function scripted(greeting: string, replies: Record<string, string>) {
  return (socket: net.Socket): void => {
    socket.write(greeting);
    let held = '';
    socket.on('data', (chunk: Buffer) => {
      held += chunk.toString('latin1');
      for (let lf = held.indexOf('\n'); lf !== -1; lf = held.indexOf('\n')) {
        const line = held.slice(0, lf).replace(/\r$/, '');
        held = held.slice(lf + 1);
        socket.write(Buffer.from(replies[line] ?? '', 'latin1'));
      }
    });
    socket.on('end', () => socket.end());
  };
}

describe('Recorder', () => {
  it('records the greeting, each distinct request as a rule with the exact reply, the first reply kept', async () => {
    let round = 0;
    const replies = { ONE: 'A\r\n', 'TWO x': 'B1\r\nB2\r\n', SILENT: '', '\u0001\u0002': '\u00ff\u0000' };
    const upstream = await PlainServer.start((socket) => {
      round++;
      scripted('220 hello {you}\r\n', round === 1 ? replies : { ONE: 'changed\r\n' })(socket);
    });
    cleanups.push(() => upstream.close());
    const { recorder, port } = await recordFrom(upstream.port);
    await converse(
      port,
      [
        ['ONE\r\n', 'A\r\n'],
        ['TWO x\n', 'B1\r\nB2\r\n'],
        ['SILENT\n', ''],
        ['\n', ''],
        [Buffer.from([1, 2, 0x0a]), '\u00ff\u0000'],
      ],
      '220 hello {you}\r\n',
    );
    await converse(port, [['ONE\n', 'changed\r\n']], '220 hello {you}\r\n');

    expect(recorder.table()).toEqual({
      name: `Recorded from 127.0.0.1:${upstream.port}`,
      framing: 'lf',
      builtins: { help: false, quit: false },
      unknown: '',
      greeting: ['220 hello {{you}'],
      replyEnding: '\r\n',
      commands: [
        { pattern: '^ONE$', replyBytes: toHex(Buffer.from('A\r\n')) },
        { pattern: '^TWO x$', replyBytes: '42 31 0d 0a 42 32 0d 0a' },
        { pattern: '^SILENT$', reply: [] },
        { bytes: '01 02', replyBytes: 'ff 00' },
      ],
    });
    expect(recorder.stats).toMatchObject({ requests: 5, rules: 4, skipped: 0 });
  });

  it('records inline commands to a real redis-server, RESP replies byte for byte', async () => {
    const redis: RedisServer = await startRedis();
    cleanups.push(() => redis.stop());
    const { recorder, forwarder, port } = await recordFrom(redis.port);
    await converse(port, [
      ['PING\r\n', '+PONG\r\n'],
      ['SET greeting hello\r\n', '+OK\r\n'],
      ['GET greeting\r\n', '$5\r\nhello\r\n'],
      ['GET nothing\r\n', '$-1\r\n'],
    ]);
    await forwarder.stop();
    const table = recorder.table();
    expect(table.greeting).toBeUndefined();
    expect(table.commands).toEqual([
      { pattern: '^PING$', replyBytes: toHex(Buffer.from('+PONG\r\n')) },
      { pattern: '^SET greeting hello$', replyBytes: toHex(Buffer.from('+OK\r\n')) },
      { pattern: '^GET greeting$', replyBytes: toHex(Buffer.from('$5\r\nhello\r\n')) },
      { pattern: '^GET nothing$', replyBytes: toHex(Buffer.from('$-1\r\n')) },
    ]);
  });

  it('skips a request longer than the limit, and keeps recording after it', async () => {
    const upstream = await PlainServer.start(scripted('', { OK: '+\r\n' }));
    cleanups.push(() => upstream.close());
    const { recorder, port } = await recordFrom(upstream.port);
    const client = await RawClient.connect(port);
    client.write(Buffer.alloc(MAX_RECORDED_REQUEST + 10, 0x41));
    client.write('\nOK\n');
    await client.waitFor('+\r\n');
    client.destroy();
    expect(recorder.table().commands).toEqual([{ pattern: '^OK$', replyBytes: '2b 0d 0a' }]);
    expect(recorder.stats.skipped).toBe(1);
  });

  it('keeps at most the rule limit, and cuts a reply longer than the reply limit', async () => {
    const huge = Buffer.alloc(MAX_RECORDED_REPLY + 500_000, 0x7a);
    const upstream = await PlainServer.start((socket) => {
      let held = '';
      socket.on('data', (chunk: Buffer) => {
        held += chunk.toString();
        for (let lf = held.indexOf('\n'); lf !== -1; lf = held.indexOf('\n')) {
          const line = held.slice(0, lf);
          held = held.slice(lf + 1);
          socket.write(line === 'HUGE' ? huge : 'ok\n');
        }
      });
    });
    cleanups.push(() => upstream.close());
    const { recorder, port } = await recordFrom(upstream.port);
    await converse(port, [['HUGE\n', 'z'.repeat(huge.length)]]);
    const lines = Array.from({ length: MAX_RECORDED_RULES + 5 }, (_, i) => `R${i}\n`);
    await converse(port, [[lines.join(''), 'ok\n'.repeat(lines.length)]]);
    const table = recorder.table();
    expect(table.commands).toHaveLength(MAX_RECORDED_RULES);
    expect(table.commands[0]?.replyBytes?.length).toBe(MAX_RECORDED_REPLY * 3 - 1);
    expect(recorder.stats.truncated).toBeGreaterThanOrEqual(1);
    expect(recorder.stats.skipped).toBeGreaterThanOrEqual(5);
  });

  it('escapes what a pattern would read as syntax', () => {
    expect(exactPattern('GET a.b*(c)')).toBe('^GET a\\.b\\*\\(c\\)$');
  });
});
