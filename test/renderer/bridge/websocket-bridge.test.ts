import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createWebSocketBridge } from '../../../renderer/src/bridge/websocket-bridge';
import { CLOSE_TOO_SLOW, SOCKET_MESSAGE_LIMIT } from '../../../electron/shared/ipc/socket-limits';
import { CLASSIC_TABLE } from '../../../electron/shared/protocol/command-table';

const servers: WebSocketServer[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A socket server that answers every request with ok and counts what it got. */
async function echoServer(): Promise<{ url: string; received: number[]; server: WebSocketServer }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', maxPayload: SOCKET_MESSAGE_LIMIT });
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  const received: number[] = [];
  server.on('connection', (ws) =>
    ws.on('message', (data: Buffer) => {
      received.push(data.length);
      const { id } = JSON.parse(data.toString()) as { id: number };
      ws.send(JSON.stringify({ id, ok: true, value: null }));
    }),
  );
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`, received, server };
}

describe('the browser-mode bridge', () => {
  it('refuses a request bigger than the socket carries before sending it, and keeps the connection', async () => {
    const { url, received } = await echoServer();
    const bridge = createWebSocketBridge(url);
    const huge = { ...CLASSIC_TABLE, unknown: 'x'.repeat(SOCKET_MESSAGE_LIMIT) };
    await expect(bridge.invoke('commands:apply', huge)).rejects.toThrow(
      /^too big to send: 8\.0 MiB, more than the 8 MiB browser mode carries$/,
    );
    expect(received).toEqual([]);
    await expect(bridge.invoke('server:stop')).resolves.toBeNull();
    expect(received).toHaveLength(1);
  });

  it('says why the host dropped the tab', async () => {
    const { url, server } = await echoServer();
    server.removeAllListeners('connection');
    server.on('connection', (ws) =>
      ws.on('message', () => ws.close(CLOSE_TOO_SLOW, 'too slow: 9.0 MiB waited unread')),
    );
    const bridge = createWebSocketBridge(url);
    await expect(bridge.invoke('server:stop')).rejects.toThrow(
      'disconnected from Switchboard: it closed the connection (too slow: 9.0 MiB waited unread)',
    );
  });

  it('tells at once when the open link breaks, and reconnect opens it again', async () => {
    const { url, server } = await echoServer();
    const bridge = createWebSocketBridge(url);
    await expect(bridge.invoke('server:stop')).resolves.toBeNull();
    const reasons: string[] = [];
    bridge.onDisconnect?.((why) => reasons.push(why));
    const closed = new Promise<void>((resolve) => bridge.onDisconnect?.(() => resolve()));
    for (const client of server.clients) client.terminate();
    await closed;
    expect(reasons).toEqual(['its process has exited or restarted']);
    await bridge.reconnect?.();
    await expect(bridge.invoke('server:stop')).resolves.toBeNull();
  });
});
