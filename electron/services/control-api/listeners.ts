/**
 * The listeners `/switchboard/` routes see: mock servers and forwarders
 * alike, each with its journal of events.
 */
import type { Forwarder } from '../../core/forwarder.js';
import type { LineServer } from '../../core/server.js';
import { formatAddress } from '../../shared/protocol/address.js';
import { trimBlanks } from '../../shared/protocol/text.js';
import { Journal } from './journal.js';

export interface ApiListener {
  readonly name: string;
  readonly kind: 'mock' | 'forward';
  readonly journal: Journal;
  describe(): {
    name: string;
    kind: 'mock' | 'forward';
    state: string;
    listen: string | null;
    upstream?: string;
    connections: number;
  };
}

/** A forwarder's events into a journal: what the client sent as lines, what the upstream sent as replies. */
export function forwarderListener(name: string, forwarder: Forwarder): ApiListener {
  const journal = new Journal();
  forwarder.on('open', (e) =>
    journal.add({ at: e.at, conn: e.conn, kind: 'open', text: formatAddress(e.remoteAddress, e.remotePort) }),
  );
  forwarder.on('data', (e) => {
    for (const frame of e.frames) {
      journal.add({
        at: e.at,
        conn: e.conn,
        kind: e.direction === 'client' ? 'line' : 'reply',
        direction: e.direction,
        text: trimBlanks(frame.toString('utf8')),
      });
    }
  });
  forwarder.on('close', (e) =>
    journal.add({
      at: e.at,
      conn: e.conn,
      kind: 'close',
      text: e.reason + (e.message ? `: ${e.message}` : ''),
    }),
  );
  forwarder.on('error', (e) => journal.add({ at: e.at, conn: e.conn, kind: 'error', text: e.message }));
  return {
    name,
    kind: 'forward',
    journal,
    describe: () => {
      const address = forwarder.address;
      const upstream = forwarder.upstream;
      return {
        name,
        kind: 'forward',
        state: forwarder.state,
        listen: address ? formatAddress(address.host, address.port) : null,
        ...(upstream ? { upstream: formatAddress(upstream.host, upstream.port) } : {}),
        connections: forwarder.activeConnections,
      };
    },
  };
}

/** A mock server's events into a journal. */
export function mockListener(name: string, server: LineServer): ApiListener {
  const journal = new Journal();
  server.on('open', (e) =>
    journal.add({ at: e.at, conn: e.conn, kind: 'open', text: formatAddress(e.remoteAddress, e.remotePort) }),
  );
  server.on('line', (e) => journal.add({ at: e.at, conn: e.conn, kind: 'line', text: e.line }));
  server.on('unknown', (e) => journal.add({ at: e.at, conn: e.conn, kind: 'unknown', text: e.line }));
  server.on('reply', (e) => journal.add({ at: e.at, conn: e.conn, kind: 'reply', text: e.text }));
  server.on('close', (e) =>
    journal.add({
      at: e.at,
      conn: e.conn,
      kind: 'close',
      text: e.reason + (e.message ? `: ${e.message}` : ''),
    }),
  );
  server.on('rejected', (e) => journal.add({ at: e.at, conn: e.conn, kind: 'rejected', text: e.reason }));
  return {
    name,
    kind: 'mock',
    journal,
    describe: () => {
      const address = server.address;
      return {
        name,
        kind: 'mock',
        state: server.state,
        listen: address ? formatAddress(address.host, address.port) : null,
        connections: server.activeConnections,
      };
    },
  };
}
