import { afterEach, describe, expect, it } from 'vitest';
import { LineServer, type ServerEvents } from '../../electron/core/server.js';
import { RawClient, startServer } from '../helpers/net.js';

const servers: LineServer[] = [];
const clients: RawClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** A server with two clients connected (and their ids, in connect order). */
async function twoClients(): Promise<{ server: LineServer; a: RawClient; b: RawClient; ids: number[] }> {
  const server = new LineServer();
  servers.push(server);
  const ids: number[] = [];
  server.on('open', (e) => ids.push(e.conn));
  const { port } = await startServer({}, server);
  const a = await RawClient.connect(port);
  const b = await RawClient.connect(port);
  clients.push(a, b);
  // Both are served once each has had an answer.
  a.write('HELP\n');
  b.write('HELP\n');
  await a.waitFor((t) => t.includes('Commands:'));
  await b.waitFor((t) => t.includes('Commands:'));
  return { server, a, b, ids };
}

describe('sending to connections and closing one', () => {
  it('sends bytes to one connection only, logged as a reply', async () => {
    const { server, a, b, ids } = await twoClients();
    const replies: ServerEvents['reply'][] = [];
    server.on('reply', (e) => replies.push(e));
    expect(server.sendTo(ids[0] ?? -1, Buffer.from('hello a\r\n'))).toBe(true);
    await a.waitFor((t) => t.endsWith('hello a\r\n'));
    expect(replies).toEqual([expect.objectContaining({ conn: ids[0], bytes: 9, text: 'hello a\r\n' })]);
    // b gets it only once broadcast: then it is the next thing it reads.
    b.write('SONG\n');
    await b.waitFor((t) => t.includes('Old McDonald'));
    expect(b.text).not.toContain('hello a');
  });

  it('broadcasts to every open connection and says how many', async () => {
    const { server, a, b } = await twoClients();
    expect(server.broadcast(Buffer.from([0x00, 0xff, 0x0a]))).toBe(2);
    const sent = Buffer.from([0x00, 0xff, 0x0a]);
    for (const client of [a, b]) {
      await client.waitFor(() => client.bytes.subarray(-3).equals(sent));
    }
  });

  it('closes one connection with its reason, leaving the other open', async () => {
    const { server, a, b, ids } = await twoClients();
    const closed = new Promise<ServerEvents['close']>((resolve) => server.on('close', resolve));
    expect(server.closeConnection(ids[0] ?? -1)).toBe(true);
    // The server sends FIN; the client answers with its own, as a client does.
    await a.closed;
    a.socket.end();
    expect(await closed).toMatchObject({ conn: ids[0], reason: 'closed-by-user' });
    expect(server.activeConnections).toBe(1);
    b.write('QUOTE\n');
    await b.waitFor((t) => t.includes('completely different'));
  });

  it('refuses an unknown or closed connection and changes nothing', async () => {
    const { server, ids } = await twoClients();
    expect(server.sendTo(9999, Buffer.from('x'))).toBe(false);
    expect(server.closeConnection(9999)).toBe(false);
    expect(server.closeConnection(ids[0] ?? -1)).toBe(true);
    // Closing now: neither a second close nor a send gets through.
    expect(server.closeConnection(ids[0] ?? -1)).toBe(false);
    expect(server.sendTo(ids[0] ?? -1, Buffer.from('late'))).toBe(false);
    expect(server.broadcast(Buffer.from('to b\r\n'))).toBe(1);
  });
});
