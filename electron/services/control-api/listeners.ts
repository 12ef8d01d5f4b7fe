/**
 * The listeners `/switchboard/` routes see: mock servers and forwarders
 * alike, each with its journal of events.
 */
import type { Forwarder, ForwarderEvents } from '../../core/forwarder.js';
import type { LineServer, ServerEvents } from '../../core/server.js';
import type { CommandTable } from '../../shared/protocol/command-table.js';
import type { Toxic } from '../../shared/protocol/toxics.js';
import { formatAddress } from '../../shared/protocol/address.js';
import { trimBlanks } from '../../shared/protocol/text.js';
import type { WorkspaceListener } from '../workspace-listener.js';
import { Journal } from './journal.js';

/** What the `/switchboard/` routes may do to a listener; each part is there where the listener allows it. */
export interface ListenerControl {
  /** Starts it again (it keeps its address); a failure is the message to answer with. */
  start?(): Promise<{ ok: true } | { ok: false; message: string }>;
  stop?(): Promise<void>;
  /** The command table it serves, and replacing it (already checked). */
  table?(): CommandTable;
  setTable?(table: CommandTable): void;
  toxics(): readonly Toxic[];
  /** Replaces its toxics; throws with a message when it takes none. */
  setToxics(toxics: readonly Toxic[]): void;
  /** Stops it and lets it go; absent for the command line's own listener. */
  remove?(): Promise<void>;
}

export interface ApiListener {
  readonly name: string;
  readonly kind: 'mock' | 'forward';
  readonly journal: Journal;
  readonly control?: ListenerControl;
  describe(): {
    name: string;
    kind: 'mock' | 'forward';
    state: string;
    listen: string | null;
    upstream?: string;
    connections: number;
    transport?: string;
  };
}

/** What a forwarder (TCP, TLS or UDP) reports, as the journal reads it. */
export interface ForwardJournalSource {
  on<K extends keyof ForwarderEvents>(event: K, listener: (payload: ForwarderEvents[K]) => void): unknown;
}

/** A forwarder's events into a journal: what the client sent as lines, what the upstream sent as replies. */
export function journalForwardEvents(journal: Journal, forwarder: ForwardJournalSource): void {
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
}

/** A forwarder as a listener of the API, with its journal. */
export function forwarderListener(name: string, forwarder: Forwarder): ApiListener {
  const journal = new Journal();
  journalForwardEvents(journal, forwarder);
  return {
    name,
    kind: 'forward',
    journal,
    // Started and stopped as a proxy (enabled), through /proxies/NAME.
    control: {
      toxics: () => forwarder.toxics,
      setToxics: (toxics) => forwarder.setToxics(toxics),
    },
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

/** What the line server and the UDP listener both report, as the journal reads it. */
export interface MockJournalSource {
  on<K extends keyof ServerEvents>(event: K, listener: (payload: ServerEvents[K]) => void): unknown;
}

/** A mock server's events into a journal. */
export function journalMockEvents(journal: Journal, server: MockJournalSource): void {
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
}

/** The command line's mock server as a listener of the API, with its journal. */
export function mockListener(name: string, server: LineServer): ApiListener {
  const journal = new Journal();
  journalMockEvents(journal, server);
  // The settings of its last start, to start it again with.
  let settings = server.config;
  return {
    name,
    kind: 'mock',
    journal,
    control: {
      start: async () => {
        if (server.state !== 'stopped') return { ok: true };
        const started = await server.start(settings);
        return started.ok ? { ok: true } : { ok: false, message: started.message };
      },
      stop: async () => {
        settings = { ...server.config, ...(server.address ? { port: server.address.port } : {}) };
        await server.stop();
      },
      table: () => server.table,
      setTable: (table) => server.setTable(table),
      toxics: () => server.toxics,
      setToxics: (toxics) => server.setToxics(toxics),
    },
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

/** A workspace's listener (or one the API made) as a listener of the API; `remove` lets it go. */
export function workspaceApiListener(listener: WorkspaceListener, remove: () => Promise<void>): ApiListener {
  return {
    name: listener.name,
    kind: listener.kind,
    journal: listener.journal,
    control: {
      start: async () => {
        if (listener.state !== 'stopped') return { ok: true };
        const started = await listener.start();
        return started.ok ? { ok: true } : { ok: false, message: started.error };
      },
      stop: async () => {
        await listener.stop();
      },
      table: () => listener.table,
      setTable: (table) => listener.setTable(table),
      toxics: () => listener.toxics,
      setToxics: (toxics) => listener.setToxics(toxics),
      remove,
    },
    describe: () => listener.describe(),
  };
}
