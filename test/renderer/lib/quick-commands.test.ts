import { describe, expect, it } from 'vitest';
import { CLASSIC_TABLE } from '../../../electron/shared/protocol/command-table';
import type { ServerStatus } from '../../../electron/shared/ipc/models';
import {
  helpCommands,
  isOwnServer,
  quickCommands,
  tableCommands,
} from '../../../renderer/src/lib/quick-commands';
import { RUNNING, STOPPED, clientEvent } from '../fake-bridge';

const OTHER = { host: '10.0.0.5', port: 7000 };

describe('tableCommands', () => {
  it('lists the named rules in order, then HELP and QUIT', () => {
    expect(tableCommands(CLASSIC_TABLE)).toEqual(['SONG', 'QUOTE', 'HAIKU', 'POEM', 'HELP', 'QUIT']);
  });

  it('leaves out pattern rules, repeats and the built-ins a table turns off', () => {
    expect(
      tableCommands({
        commands: [
          { name: 'PING', reply: 'PONG' },
          { pattern: '^GET (\\w+)$', reply: 'VALUE {1}' },
          { name: 'ping', reply: 'again' },
          { name: 'QUIT', reply: 'custom bye', close: true },
        ],
        builtins: { help: false },
      }),
    ).toEqual(['PING', 'QUIT']);
    expect(tableCommands({ commands: [], builtins: { help: false, quit: false } })).toEqual([]);
  });
});

describe('helpCommands', () => {
  const session = [
    clientEvent(1, 'connecting', 'connecting to 10.0.0.5:7000…'),
    clientEvent(2, 'connected', 'connected to 10.0.0.5:7000'),
    clientEvent(3, 'sent', 'HELP'),
    clientEvent(4, 'reply', 'Commands: STATUS  RESET status'),
  ];

  it('reads the names from the newest HELP reply of the current session', () => {
    expect(helpCommands(session, OTHER)).toEqual(['STATUS', 'RESET']);
    const later = [...session, clientEvent(5, 'reply', 'Commands: A B')];
    expect(helpCommands(later, OTHER)).toEqual(['A', 'B']);
  });

  it('ignores a reply from another server or an earlier session', () => {
    expect(helpCommands(session, { host: '10.0.0.6', port: 7000 })).toBeNull();
    const reconnected = [...session, clientEvent(5, 'connected', 'connected to 10.0.0.5:7000')];
    expect(helpCommands(reconnected, OTHER)).toBeNull();
  });

  it('matches IPv6 targets as the transcript writes them', () => {
    const v6 = [clientEvent(1, 'connected', 'connected to [::1]:9'), clientEvent(2, 'reply', 'Commands: X')];
    expect(helpCommands(v6, { host: '::1', port: 9 })).toEqual(['X']);
  });

  it('has nothing without a connect in the transcript', () => {
    expect(helpCommands([clientEvent(1, 'reply', 'Commands: A')], OTHER)).toBeNull();
  });
});

describe('isOwnServer', () => {
  const at = (host: string): ServerStatus => ({ ...RUNNING, host, text: `Running on ${host}:31310` });

  it('knows the running server by its address, loopback names included', () => {
    expect(isOwnServer({ host: '127.0.0.1', port: 31310 }, RUNNING)).toBe(true);
    expect(isOwnServer({ host: 'localhost', port: 31310 }, RUNNING)).toBe(true);
    expect(isOwnServer({ host: '::1', port: 31310 }, at('0.0.0.0'))).toBe(true);
    expect(isOwnServer({ host: '192.168.1.9', port: 31310 }, at('192.168.1.9'))).toBe(true);
  });

  it('knows another server when it sees one', () => {
    expect(isOwnServer({ host: '127.0.0.1', port: 31311 }, RUNNING)).toBe(false);
    expect(isOwnServer({ host: '192.168.1.9', port: 31310 }, RUNNING)).toBe(false);
    expect(isOwnServer({ host: '127.0.0.1', port: 31310 }, STOPPED)).toBe(false);
  });
});

describe('quickCommands', () => {
  it('uses the table for our server, HELP for another, and offers HELP when it knows nothing', () => {
    const own = { host: '127.0.0.1', port: 31310 };
    expect(quickCommands({ table: CLASSIC_TABLE, transcript: [], target: own, status: RUNNING })).toEqual({
      source: 'table',
      commands: ['SONG', 'QUOTE', 'HAIKU', 'POEM', 'HELP', 'QUIT'],
    });
    const transcript = [
      clientEvent(1, 'connected', 'connected to 10.0.0.5:7000'),
      clientEvent(2, 'reply', 'Commands: STATUS RESET'),
    ];
    expect(quickCommands({ table: CLASSIC_TABLE, transcript, target: OTHER, status: RUNNING })).toEqual({
      source: 'help',
      commands: ['STATUS', 'RESET'],
    });
    expect(quickCommands({ table: CLASSIC_TABLE, transcript: [], target: OTHER, status: RUNNING })).toEqual({
      source: 'none',
      commands: ['HELP'],
    });
    expect(quickCommands({ table: null, transcript: [], target: null, status: RUNNING }).source).toBe('none');
  });

  it('keeps the table’s order for HELP’s sorted list of the same names, as when the server is stopped', () => {
    const own = { host: '127.0.0.1', port: 31310 };
    const transcript = [
      clientEvent(1, 'connected', 'connected to 127.0.0.1:31310'),
      clientEvent(2, 'reply', 'Commands: HAIKU HELP POEM QUIT QUOTE SONG'),
    ];
    const running = quickCommands({ table: CLASSIC_TABLE, transcript, target: own, status: RUNNING });
    const stopped = quickCommands({ table: CLASSIC_TABLE, transcript, target: own, status: STOPPED });
    expect(stopped).toEqual({ source: 'help', commands: running.commands });
    expect(stopped.commands).toEqual(['SONG', 'QUOTE', 'HAIKU', 'POEM', 'HELP', 'QUIT']);
    // A list with a name the table lacks is another server's: its own order stays.
    const other = [
      clientEvent(1, 'connected', 'connected to 127.0.0.1:31310'),
      clientEvent(2, 'reply', 'Commands: SONG STATUS HELP'),
    ];
    expect(
      quickCommands({ table: CLASSIC_TABLE, transcript: other, target: own, status: STOPPED }).commands,
    ).toEqual(['SONG', 'STATUS', 'HELP']);
  });
});
