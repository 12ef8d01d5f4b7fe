/**
 * The rule tester's answers (CommandsService.try) against a real server on
 * port 0: the same table, the same input, the same bytes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandTable } from '../../electron/shared/protocol/command-table.js';
import { compileTable } from '../../electron/core/command-table.js';
import { LineServer } from '../../electron/core/server.js';
import { tryTable } from '../../electron/services/commands-service.js';
import { DEFAULT_SETTINGS } from '../../electron/shared/protocol/settings.js';
import { hexPairs, type TrialOutcome } from '../../electron/shared/protocol/table-trial.js';
import type { FramingField } from '../../electron/shared/protocol/table-framing.js';
import { RawClient, startServer } from '../helpers/net.js';
import { fixedFraming } from '../core/framing/harness.js';

const servers: LineServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

const SMTP: CommandTable = {
  greeting: '220 mock ESMTP',
  framing: 'crlf',
  builtins: { quit: false },
  commands: [
    { name: 'HELO', state: 'start', reply: '250 hello {1}' },
    { name: 'DATA', state: 'start', reply: '354 end with .', then: 'data' },
    { pattern: '^\\.$', state: 'data', reply: '250 queued', then: 'start' },
    { pattern: '.*', state: 'data', reply: [] },
    { name: 'QUIT', reply: '221 bye', close: true },
  ],
};

const MODBUS: CommandTable = {
  framing: { lengthField: { offset: 4, bytes: 2, endian: 'big', adjust: 0 } },
  builtins: { help: false, quit: false },
  commands: [
    { bytes: '?? ?? 00 00 00 06 ?? 03 *', replyBytes: '{req:0:2} 00 00 00 07 {req:6:1} 03 04 00 2a 00 2b' },
  ],
  unknown: '',
};

const FRAMINGS: [string, FramingField][] = [
  ['raw', { raw: { gapMs: 20 } }],
  ['fixed', fixedFraming(3)],
  ['delimiter', { delimiter: '\u0000\u00ff' }],
  ['nul', 'nul'],
  ['cr', 'cr'],
];

/** What the server sends after its greeting for `input`, sent whole and then half-closed. */
async function serverReply(table: CommandTable, input: Buffer): Promise<Buffer> {
  const server = new LineServer(table);
  servers.push(server);
  const { port } = await startServer({}, server);
  const client = await RawClient.connect(port);
  const greeting = compileTable(table).greeting({ id: 0 });
  if (greeting) await client.waitFor((t) => t.length >= greeting.bytes.length);
  const skip = client.bytes.length;
  client.end(input);
  await client.waitClosed();
  return client.bytes.subarray(skip);
}

function trialBytes(outcome: TrialOutcome): Buffer {
  if (!outcome.ok) throw new Error(outcome.error);
  const hex = outcome.frames.map((f) => f.answer?.hex ?? '').join(' ');
  return Buffer.from(hex.replace(/\s+/g, ''), 'hex');
}

describe('the rule tester', () => {
  it('answers an SMTP conversation as the server does, state by state', async () => {
    const input = 'HELO me\r\nDATA\r\nHELO is text now\r\n.\r\nQUIT\r\n';
    const outcome = tryTable({ table: SMTP, input, inputMode: 'text' }, DEFAULT_SETTINGS.maxLineBytes);
    expect(outcome.ok && outcome.frames.map((f) => [f.text, f.state, f.answer?.rule])).toEqual([
      ['HELO me', 'start', 0],
      ['DATA', 'start', 1],
      ['HELO is text now', 'data', 3],
      ['.', 'data', 2],
      ['QUIT', 'start', 4],
    ]);
    expect(outcome.ok && outcome.closed).toBe(true);
    expect(trialBytes(outcome)).toEqual(await serverReply(SMTP, Buffer.from(input)));
    expect(outcome.ok && outcome.greeting).toEqual({
      hex: hexPairs(Buffer.from('220 mock ESMTP\r\n')),
      text: '220 mock ESMTP\r\n',
      bytes: 16,
    });
  });

  it('starts in the state it is given', () => {
    const outcome = tryTable(
      { table: SMTP, input: 'HELO x', inputMode: 'text', state: 'data' },
      DEFAULT_SETTINGS.maxLineBytes,
    );
    expect(outcome.ok && outcome.frames[0]?.answer).toMatchObject({ kind: 'rule', rule: 3, bytes: 0 });
  });

  it('cuts binary frames by their length field and copies request bytes into the reply', async () => {
    const request = Buffer.from('0001000000061103006b0003' + '0002000000061103', 'hex');
    const outcome = tryTable(
      { table: MODBUS, input: request.toString('hex'), inputMode: 'hex' },
      DEFAULT_SETTINGS.maxLineBytes,
    );
    if (!outcome.ok) throw new Error(outcome.error);
    expect(outcome.frames).toHaveLength(1);
    expect(outcome.frames[0]?.answer?.hex).toBe('00 01 00 00 00 07 11 03 04 00 2a 00 2b');
    // The second frame is cut short: dropped, as the server drops it.
    expect(outcome.leftover).toBe('00 02 00 00 00 06 11 03');
    expect(trialBytes(outcome)).toEqual(await serverReply(MODBUS, request));
  });

  it('answers HELP and unknown lines with the escapes and the reply ending the server uses', async () => {
    const table: CommandTable = { commands: [{ name: 'PING', reply: 'PONG {line}' }], replyEnding: '\n' };
    const input = 'ping  x\nHELP\n\u202Eevil\x1b[2J\n\n';
    const outcome = tryTable({ table, input, inputMode: 'text' }, DEFAULT_SETTINGS.maxLineBytes);
    expect(outcome.ok && outcome.frames.map((f) => f.answer?.kind ?? null)).toEqual([
      'rule',
      'help',
      'unknown',
      null,
    ]);
    expect(trialBytes(outcome)).toEqual(await serverReply(table, Buffer.from(input)));
  });

  it('reads hex and escapes as the test client does, and refuses bad input or an unknown state', () => {
    const max = DEFAULT_SETTINGS.maxLineBytes;
    const escaped = tryTable({ table: SMTP, input: 'HELO a\\r\\nHELO b', inputMode: 'escapes' }, max);
    expect(escaped.ok && escaped.frames.map((f) => f.text)).toEqual(['HELO a', 'HELO b']);
    expect(tryTable({ table: SMTP, input: '4', inputMode: 'hex' }, max)).toMatchObject({
      ok: false,
      error: expect.stringContaining('no pair') as string,
    });
    expect(tryTable({ table: SMTP, input: 'x', inputMode: 'text', state: 'nowhere' }, max)).toEqual({
      ok: false,
      error: 'the table has no state nowhere (states: start, data)',
    });
    expect(
      tryTable({ table: { commands: [{ name: 'a b', reply: '' }] }, input: 'x', inputMode: 'text' }, max),
    ).toMatchObject({ ok: false, error: expect.stringContaining('rule 1, name') as string });
  });

  it.each(FRAMINGS)('cuts and answers with %s framing as the server does', async (_name, framing) => {
    const table: CommandTable = {
      framing,
      builtins: { help: false, quit: false },
      unknown: '?{line}',
      commands: [
        { bytes: '41 *', replyBytes: '3c {req:0:1} 3e' },
        { pattern: '^B(.)', reply: 'b={1} #{count}' },
      ],
    };
    const input = Buffer.from('AxyB\r\nz\u0000\u00ffBqA\u0000\rC', 'latin1');
    const outcome = tryTable(
      { table, input: input.toString('hex'), inputMode: 'hex' },
      DEFAULT_SETTINGS.maxLineBytes,
    );
    if (!outcome.ok) throw new Error(outcome.error);
    expect(outcome.frames.length).toBeGreaterThan(0);
    expect(trialBytes(outcome)).toEqual(await serverReply(table, input));
  });

  it('marks a request over the max line, which the server refuses', () => {
    const outcome = tryTable({ table: SMTP, input: 'x'.repeat(50) + '\r\n', inputMode: 'text' }, 10);
    expect(outcome.ok && outcome.frames).toEqual([
      { hex: '', text: '', bytes: 0, overLimit: true, state: 'start', answer: null },
    ]);
  });
});
