import { describe, expect, it } from 'vitest';
import { rulesFromConversation, tableWithConversation } from '../../../renderer/src/lib/conversation-rules';
import { CLASSIC_TABLE } from '../../../electron/shared/protocol/command-table';
import { logEntry } from '../fake-bridge';

const mock = [
  logEntry(1, { kind: 'open', detail: 'connected' }),
  logEntry(2, { kind: 'reply', dir: 'out', text: '220 ready\r\n', detail: '220 ready (11 bytes)' }),
  logEntry(3, { kind: 'line', dir: 'in', text: 'GET a.b', detail: 'GET a.b' }),
  logEntry(4, { kind: 'reply', dir: 'out', text: 'VALUE {1}\r\nEND\r\n', detail: 'x' }),
  logEntry(5, { kind: 'line', dir: 'in', text: 'NOOP', detail: 'NOOP' }),
  // The same line again: the first answer is the one kept.
  logEntry(6, { kind: 'line', dir: 'in', text: 'GET a.b', detail: 'GET a.b' }),
  logEntry(7, { kind: 'reply', dir: 'out', text: 'other\r\n', detail: 'other' }),
  logEntry(8, { kind: 'close', detail: 'closed (client closed); 1 bytes in, 1 out, 0.100 s' }),
];

describe('rules from a conversation', () => {
  it('makes one exact rule per line, answered by what came back, and the greeting from before', () => {
    expect(rulesFromConversation(mock)).toEqual({
      rules: [
        { pattern: '^GET a\\.b$', reply: ['VALUE {{1}', 'END'] },
        { pattern: '^NOOP$', reply: [] },
      ],
      greeting: ['220 ready'],
    });
  });

  it('closes after the answer that ended the conversation (QUIT, a closing rule, the upstream)', () => {
    const quit = [
      logEntry(1, { kind: 'line', text: 'QUIT', detail: 'QUIT' }),
      logEntry(2, { kind: 'reply', text: 'Bye.\r\n', detail: 'Bye. (6 bytes)' }),
      logEntry(3, { kind: 'close', detail: 'closed (QUIT); 6 bytes in, 6 out, 0.010 s' }),
    ];
    expect(rulesFromConversation(quit).rules).toEqual([{ pattern: '^QUIT$', reply: ['Bye.'], close: true }]);
    const upstream = [
      logEntry(1, { kind: 'line', direction: 'client', text: 'BYE', detail: '' }),
      logEntry(2, { kind: 'close', detail: 'closed (upstream closed); 5 bytes in, 0 out, 0.010 s' }),
    ];
    expect(rulesFromConversation(upstream).rules).toEqual([{ pattern: '^BYE$', reply: [], close: true }]);
    // The client hanging up is not the answer's doing.
    expect(rulesFromConversation(mock).rules.some((r) => r.close)).toBe(false);
  });

  it('reads forwarded rows: each upstream frame is a reply line', () => {
    const forwarded = [
      logEntry(1, { kind: 'line', direction: 'client', text: 'PING', detail: 'client → upstream: PING' }),
      logEntry(2, {
        kind: 'reply',
        direction: 'upstream',
        text: '+PONG',
        detail: 'upstream → client: +PONG',
      }),
      logEntry(3, { kind: 'line', direction: 'client', text: 'GET k', detail: '' }),
      logEntry(4, { kind: 'reply', direction: 'upstream', text: '$1', detail: '' }),
      logEntry(5, { kind: 'reply', direction: 'upstream', text: 'v', detail: '' }),
    ];
    expect(rulesFromConversation(forwarded).rules).toEqual([
      { pattern: '^PING$', reply: ['+PONG'] },
      { pattern: '^GET k$', reply: ['$1', 'v'] },
    ]);
  });

  it('puts the new rules first, keeps the table’s, and adds a greeting only where there is none', () => {
    const table = {
      ...CLASSIC_TABLE,
      commands: [{ pattern: '^NOOP$', reply: 'kept' }, ...CLASSIC_TABLE.commands],
    };
    const made = tableWithConversation(table, mock);
    expect(made.commands.slice(0, 3)).toEqual([
      { pattern: '^GET a\\.b$', reply: ['VALUE {{1}', 'END'] },
      { pattern: '^NOOP$', reply: 'kept' },
      CLASSIC_TABLE.commands[0],
    ]);
    expect(made.greeting).toEqual(['220 ready']);
    expect(tableWithConversation({ ...table, greeting: 'hi' }, mock).greeting).toBe('hi');
  });
});
