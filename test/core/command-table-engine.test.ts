import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { compileTable, type CommandTable } from '../../electron/core/command-table.js';

const start = { id: 7, state: 'start' };

function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

describe('bytes rules', () => {
  const table = compileTable({
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- our framing's key, not String.prototype.fixed
    framing: { fixed: 4 },
    commands: [
      { bytes: '01 02 03 04', replyBytes: 'AA' },
      { bytes: '01 ?? 03 ??', replyBytes: 'BB' },
      { bytes: 'FF *', replyBytes: 'CC' },
    ],
    builtins: { help: false, quit: false },
  });

  it('matches exact bytes, ?? as any one byte, * as any run, in rule order', () => {
    expect(table.answer(hex('01020304'), start)).toMatchObject({ kind: 'rule', rule: 0, bytes: hex('AA') });
    expect(table.answer(hex('01FF03EE'), start)).toMatchObject({ rule: 1, bytes: hex('BB') });
    expect(table.answer(hex('FF000000'), start)).toMatchObject({ rule: 2, bytes: hex('CC') });
    expect(table.answer(hex('00000000'), start)).toMatchObject({ kind: 'unknown' });
  });

  it('matches the whole request, not a part of it', () => {
    const t = compileTable({
      framing: { raw: { gapMs: 10 } },
      commands: [{ bytes: '01 02', replyBytes: '00' }],
    });
    expect(t.answer(hex('0102'), start)?.kind).toBe('rule');
    expect(t.answer(hex('010203'), start)?.kind).toBe('unknown');
    expect(t.answer(hex('000102'), start)?.kind).toBe('unknown');
  });

  it('places stars without backtracking: many stars on a long request stay linear', () => {
    const stars = Array.from({ length: 200 }, () => '?? *').join(' ');
    const t = compileTable({
      framing: { raw: { gapMs: 10 } },
      commands: [{ bytes: `00 * ${stars} 01 02 03 04 * 7F`, replyBytes: 'AA' }],
    });
    const request = Buffer.alloc(16 * 1024, 0x01);
    request[0] = 0;
    const started = performance.now();
    expect(t.answer(request, start)?.kind).toBe('unknown');
    request[request.length - 1] = 0x7f;
    request.set(hex('01020304'), 9000);
    expect(t.answer(request, start)?.kind).toBe('rule');
    expect(performance.now() - started).toBeLessThan(500); // a few ms; backtracking would take ages
  });

  it('matches bytes rules on line framings too, over the line as it arrived', () => {
    const t = compileTable({ commands: [{ bytes: '48 49 *', reply: 'bytes' }] });
    expect(t.answer('HI there', start)?.text).toBe('bytes\r\n');
    expect(t.respond('HI', 1).text).toBe('bytes\r\n');
  });
});

describe('replyBytes', () => {
  const modbus: CommandTable = {
    framing: { lengthField: { offset: 4, bytes: 2, endian: 'big', adjust: 0 } },
    commands: [
      { bytes: '?? ?? 00 00 00 06 01 03 *', replyBytes: '{req:0:2} 00 00 00 07 01 03 04 00 2A 00 2B' },
    ],
    builtins: { help: false, quit: false },
    unknown: '',
  };

  it('copies request bytes with {req:OFFSET:LENGTH} (a Modbus transaction id)', () => {
    const t = compileTable(modbus);
    const answer = t.answer(hex('1234 0000 0006 01 03 0000 0002'), start);
    expect(answer?.bytes).toEqual(hex('1234 0000 0007 01 03 04 002A 002B'));
    expect(t.replyEnding).toBe('');
  });

  it('copies what exists when a request is shorter than a span it names', () => {
    const t = compileTable({
      framing: { raw: { gapMs: 5 } },
      commands: [{ bytes: '01 *', replyBytes: 'EE {req:1:4} FF' }],
    });
    expect(t.answer(hex('01 AA'), start)?.bytes).toEqual(hex('EE AA FF'));
    expect(t.answer(hex('01'), start)?.bytes).toEqual(hex('EE FF'));
  });

  it('sends fixed bytes as they are, without a reply ending', () => {
    const t = compileTable({ commands: [{ name: 'RAW', replyBytes: '00 FF 0d 0A' }] });
    expect(t.respond('RAW', 1).bytes).toEqual(hex('00FF0D0A'));
  });
});

describe('reply: [] and the unknown reply ""', () => {
  it('sends nothing, and still closes or moves state when the rule says so', () => {
    const t = compileTable({
      commands: [
        { name: 'HUSH', reply: [] },
        { name: 'BYE', reply: [], close: true, then: 'gone' },
        { name: 'X', state: 'gone', reply: 'x' },
      ],
      unknown: '',
    });
    expect(t.answer('HUSH', start)).toMatchObject({ bytes: Buffer.alloc(0), text: '', close: false });
    expect(t.answer('BYE', start)).toMatchObject({ bytes: Buffer.alloc(0), close: true, nextState: 'gone' });
    expect(t.answer('what', start)).toMatchObject({ kind: 'unknown', bytes: Buffer.alloc(0) });
  });
});

describe('built-ins', () => {
  it('lets rules of the same name answer when the builtins are off', () => {
    const t = compileTable({
      commands: [
        { name: 'QUIT', reply: '221 Bye', close: true },
        { name: 'HELP', reply: '214 no help' },
      ],
      builtins: { help: false, quit: false },
    });
    expect(t.answer('quit', start)).toMatchObject({ kind: 'rule', text: '221 Bye\r\n', close: true });
    expect(t.answer('HELP', start)).toMatchObject({ kind: 'rule', text: '214 no help\r\n' });
    expect(t.names).toEqual(['HELP', 'QUIT']);
  });

  it('answers QUIT and HELP as unknown when off and no rule takes them', () => {
    const t = compileTable({ commands: [], builtins: { help: false, quit: false } });
    expect(t.answer('QUIT', start)?.kind).toBe('unknown');
    expect(t.answer('HELP', start)?.kind).toBe('unknown');
  });
});

describe('states', () => {
  const smtp = compileTable({
    greeting: '220 mock ESMTP',
    commands: [
      { name: 'HELO', state: 'start', reply: '250 hello {1}' },
      { name: 'DATA', state: 'start', reply: '354 end with .', then: 'data' },
      { pattern: '^\\.$', state: 'data', reply: '250 queued', then: 'start' },
      { pattern: '.*', state: 'data', reply: [] },
      { name: 'QUIT', reply: '221 bye', close: true },
    ],
    builtins: { quit: false },
  });

  it('matches a rule only in its states, and moves the connection with then', () => {
    expect(smtp.answer('HELO me', start)).toMatchObject({ text: '250 hello me\r\n', nextState: null });
    expect(smtp.answer('DATA', start)).toMatchObject({ text: '354 end with .\r\n', nextState: 'data' });
    const data = { id: 7, state: 'data' };
    expect(smtp.answer('HELO inside the mail', data)).toMatchObject({ rule: 3, bytes: Buffer.alloc(0) });
    expect(smtp.answer('.', data)).toMatchObject({ text: '250 queued\r\n', nextState: 'start' });
    expect(smtp.answer('.', start)?.kind).toBe('unknown');
    // In order: the catch-all of the data state comes before QUIT.
    expect(smtp.answer('QUIT', data)).toMatchObject({ rule: 3, close: false });
    expect(smtp.answer('QUIT', start)).toMatchObject({ text: '221 bye\r\n', close: true });
  });

  it('answers with a rule without a state in every state', () => {
    const t = compileTable({
      commands: [
        { name: 'PING', reply: 'pong' },
        { name: 'GO', reply: 'went', then: 'away' },
        { name: 'BACK', state: 'away', reply: 'back', then: 'start' },
      ],
    });
    expect(t.answer('PING', { id: 1, state: 'away' })?.text).toBe('pong\r\n');
    expect(t.answer('BACK', start)?.kind).toBe('unknown');
  });

  it('lists every state the table names, start first', () => {
    expect(smtp.states).toEqual(['start', 'data']);
  });

  it('lets one name answer differently in different states', () => {
    const t = compileTable({
      commands: [
        { name: 'NEXT', state: 'start', reply: 'one', then: 'two' },
        { name: 'NEXT', state: 'two', reply: 'two', then: 'start' },
      ],
    });
    expect(t.answer('NEXT', start)).toMatchObject({ text: 'one\r\n', nextState: 'two' });
    expect(t.answer('NEXT', { id: 1, state: 'two' })).toMatchObject({ text: 'two\r\n', nextState: 'start' });
  });
});

describe('greeting and push', () => {
  it('greets with a line or lines, with the connection id', () => {
    const t = compileTable({ commands: [], greeting: ['+OK POP3 ready', 'conn {conn}'] });
    expect(t.greeting({ id: 42 })).toMatchObject({ text: '+OK POP3 ready\r\nconn 42\r\n' });
    expect(compileTable({ commands: [] }).greeting({ id: 1 })).toBeNull();
  });

  it('gives each push its period, its states and a render function', () => {
    const t = compileTable({
      commands: [{ name: 'GO', reply: 'ok', then: 'on' }],
      push: [
        { everyMs: 1000, reply: '$GPRMC,{conn},{count}' },
        { everyMs: 250, replyBytes: '00 01', state: 'on' },
      ],
    });
    const [nmea, beat] = t.pushes;
    expect(nmea).toMatchObject({ everyMs: 1000, states: null });
    expect(nmea?.render({ id: 3 }).text).toBe('$GPRMC,3,1\r\n');
    expect(nmea?.render({ id: 4 }).text).toBe('$GPRMC,4,2\r\n');
    expect(beat?.appliesTo('start')).toBe(false);
    expect(beat?.appliesTo('on')).toBe(true);
    expect(beat?.render({ id: 3 }).bytes).toEqual(hex('0001'));
  });
});

describe('framing, replyEnding and toxics, typed for the server', () => {
  it('defaults to lf with CRLF reply endings, and nothing else', () => {
    const t = compileTable({ commands: [] });
    expect(t.framing).toEqual({ kind: 'lf' });
    expect(t.replyEnding).toBe('\r\n');
    expect(t.toxics).toEqual([]);
  });

  it('ends reply lines with the table’s replyEnding', () => {
    const t = compileTable({
      framing: 'cr',
      replyEnding: '\r',
      commands: [{ name: 'AT', reply: ['', 'OK'] }],
    });
    expect(t.answer('at', start)?.text).toBe('\rOK\r');
    expect(t.framing).toEqual({ kind: 'cr' });
  });

  it('reads non-line requests as Latin-1 text for name and pattern rules, untrimmed', () => {
    const t = compileTable({
      framing: { delimiter: '\u0000\u00ff' },
      commands: [{ pattern: '^ x\\xFF(.)$', reply: 'got {1}' }],
    });
    expect(t.answer(Buffer.from([0x20, 0x78, 0xff, 0x41]), start)?.text).toBe('got A');
    expect(t.framing).toEqual({ kind: 'delimiter', delimiter: Uint8Array.from([0, 255]) });
  });

  it('fills in the toxics’ defaults', () => {
    const t = compileTable({
      commands: [],
      toxics: [{ name: 'slow', type: 'latency', attributes: { latency: 100 } }],
    });
    expect(t.toxics).toEqual([
      {
        name: 'slow',
        type: 'latency',
        stream: 'downstream',
        toxicity: 1,
        attributes: { latency: 100, jitter: 0 },
      },
    ]);
  });
});

describe('escaping every echoed variable', () => {
  it('escapes control bytes and bidi or invisible characters in {line}, {args} and groups', () => {
    const t = compileTable({
      commands: [
        { name: 'ECHO', reply: '{args}|{1}' },
        { pattern: '^say (.*)$', reply: '{1}' },
      ],
    });
    expect(t.answer('ECHO a\u202eb\x1b', start)?.text).toBe('a\\u{202E}b\\x1B|a\\u{202E}b\\x1B\r\n');
    expect(t.answer('say \u200bhi\ufeff', start)?.text).toBe('\\u{200B}hi\\u{FEFF}\r\n');
    expect(t.answer('\u2066x', start)?.text).toBe('Unknown command: \\u{2066}x\r\n');
  });

  it('cuts an echo past 65,536 characters, so a raised max line cannot blow a reply up', () => {
    const t = compileTable({ commands: [] });
    const text = t.answer('x'.repeat(100_000), start)?.text ?? '';
    expect(text).toBe(`Unknown command: ${'x'.repeat(65_536)}…\r\n`);
  });
});

describe('bytes rules on line framings', () => {
  it('see the line trimmed of spaces and tabs, given as text or as bytes', () => {
    const t = compileTable({ commands: [{ bytes: '41 42', reply: 'ab' }] });
    expect(t.answer(Buffer.from(' \tAB  '), start)?.text).toBe('ab\r\n');
    expect(t.answer(' AB ', start)?.text).toBe('ab\r\n');
    expect(t.answer(Buffer.from(' \t '), start)).toBeNull();
  });
});
