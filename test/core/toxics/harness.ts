/**
 * A forwarder in front of a scripted upstream, for the toxic tests: each
 * test sets toxics and measures what the client sees through real sockets.
 */
import type net from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach } from 'vitest';
import { Forwarder, type ForwarderEvents } from '../../../electron/core/forwarder.js';
import { checkToxic, type Toxic } from '../../../electron/shared/protocol/toxics.js';
import { PlainServer, RawClient } from '../../helpers/net.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A toxic from its JSON, as the API would take it; throws if refused. */
export function toxic(value: unknown): Toxic {
  const checked = checkToxic(value);
  if (!checked.ok) throw new Error(checked.message);
  return checked.toxic;
}

export interface Rig {
  forwarder: Forwarder;
  upstream: PlainServer;
  port: number;
  connect: () => Promise<RawClient>;
  nextClose: () => Promise<ForwarderEvents['close']>;
}

/** An echo upstream unless told otherwise. */
export async function rig(
  toxics: Toxic[] = [],
  onConnection: (socket: net.Socket) => void = (socket) => socket.pipe(socket),
): Promise<Rig> {
  const upstream = await PlainServer.start(onConnection);
  const forwarder = new Forwarder({ toxics });
  const started = await forwarder.start({
    host: '127.0.0.1',
    port: 0,
    upstream: { host: '127.0.0.1', port: upstream.port },
  });
  if (!started.ok) throw new Error(started.message);
  const clients: RawClient[] = [];
  cleanups.push(async () => {
    for (const c of clients) c.destroy();
    await forwarder.stop();
    await upstream.close();
  });
  return {
    forwarder,
    upstream,
    port: started.port,
    connect: async () => {
      const client = await RawClient.connect(started.port);
      client.socket.setNoDelay(true);
      clients.push(client);
      return client;
    },
    nextClose: () => new Promise((resolve) => forwarder.once('close', resolve)),
  };
}

/** Milliseconds from sending `line` to its echo coming back in full. */
export async function roundTrip(client: RawClient, line: string): Promise<number> {
  const before = client.text.length;
  const t0 = performance.now();
  client.write(line);
  await client.waitFor((text) => text.length >= before + line.length, 10_000);
  return performance.now() - t0;
}
