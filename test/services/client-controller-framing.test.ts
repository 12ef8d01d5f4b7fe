/**
 * The test client's framings and line endings: it cuts what it receives as
 * the chosen framing does and appends the chosen line ending, against real
 * servers on port 0.
 */
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientController } from '../../electron/services/client-controller.js';
import type { ClientEvent } from '../../electron/shared/ipc/models.js';
import { PlainServer, eventually } from '../helpers/net.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function plainServer(onConnection?: (socket: net.Socket) => void): Promise<PlainServer> {
  const server = await PlainServer.start(onConnection);
  cleanups.push(() => server.close());
  return server;
}

function controller(): { client: ClientController; events: ClientEvent[] } {
  const client = new ClientController();
  const events: ClientEvent[] = [];
  client.on('event', (e) => events.push(e));
  cleanups.push(() => client.disconnect());
  return { client, events };
}

const replies = (events: ClientEvent[]): string[] =>
  events.filter((e) => e.kind === 'reply').map((e) => `${e.text}${e.unterminated ? ' …' : ''}`);

describe('the test client’s framing and line ending', () => {
  it('appends CR and cuts replies at CR, as a modem speaks', async () => {
    const server = await plainServer((socket) => socket.write('OK\rCONNECT 9600\r\nNO CARRIER'));
    const { client, events } = controller();
    const outcome = await client.send({
      host: '127.0.0.1',
      port: server.port,
      line: 'ATD123',
      lineEnding: 'cr',
      framing: 'cr',
    });
    expect(outcome.ok).toBe(true);
    expect(await server.waitForBytes(7)).toEqual(Buffer.from('ATD123\r'));
    await eventually(() => replies(events).length === 3, undefined, 'three replies');
    // CR ends a line; the LF after it is skipped; the last line waits for its CR.
    expect(replies(events)).toEqual(['OK', 'CONNECT 9600', '\\x0ANO CARRIER …']);
  });

  it('cuts at NUL, and with LF framing the same bytes are one line', async () => {
    const server = await plainServer((socket) => socket.write('one\0two\0\n'));
    const nul = controller();
    await nul.client.connect({ host: '127.0.0.1', port: server.port, framing: 'nul' });
    await eventually(() => replies(nul.events).length === 3, undefined, 'NUL frames');
    expect(replies(nul.events)).toEqual(['one', 'two', '\\x0A …']);

    const lf = controller();
    await lf.client.connect({ host: '127.0.0.1', port: server.port });
    await eventually(() => replies(lf.events).length === 1, undefined, 'an LF line');
    expect(replies(lf.events)).toEqual(['one\\x00two\\x00']);
  });

  it('reconnects when the framing changes, to cut the new conversation the new way', async () => {
    const server = await plainServer((socket) => socket.write('a|b|'));
    const { client, events } = controller();
    await client.connect({ host: '127.0.0.1', port: server.port });
    await eventually(() => replies(events).length === 1, undefined, 'the bytes as one unended line');
    expect(replies(events)).toEqual(['a|b| …']);
    await client.connect({ host: '127.0.0.1', port: server.port, framing: { delimiter: '|' } });
    await eventually(() => replies(events).length === 3, undefined, 'delimited frames');
    expect(events.filter((e) => e.kind === 'connected')).toHaveLength(2);
    expect(replies(events).slice(-2)).toEqual(['a', 'b']);
  });
});

describe('the framing and line ending main accepts from the window', () => {
  it('takes every framing of the table schema and refuses a bad one before anything connects', async () => {
    const { invokeChannels } = await import('../../electron/shared/ipc/ipc-contract.js');
    const shape = invokeChannels['client:send'].request;
    const base = { host: '127.0.0.1', port: 1, line: 'x', lineEnding: 'cr' };
    for (const framing of [
      'lf',
      'crlf',
      'cr',
      'nul',
      { delimiter: '\r\n' },
      { fixed: 8 },
      { raw: { gapMs: 50 } },
    ]) {
      expect(shape.safeParse({ ...base, framing }).success).toBe(true);
    }
    expect(shape.safeParse({ ...base, framing: { fixed: 0 } }).success).toBe(false);
    expect(shape.safeParse({ ...base, framing: 'crcr' }).success).toBe(false);
    expect(shape.safeParse({ ...base, lineEnding: 'lfcr' }).success).toBe(false);
    expect(
      invokeChannels['client:connect'].request.safeParse({ host: 'h', port: 1, framing: 'cr' }).success,
    ).toBe(true);
  });
});
