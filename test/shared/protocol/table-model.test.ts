import { describe, expect, it } from 'vitest';
import {
  checkTable,
  parseTableFile,
  type TableIssue,
} from '../../../electron/shared/protocol/command-table.js';
import { parseBytePattern } from '../../../electron/shared/protocol/byte-pattern.js';
import { parseByteTemplate } from '../../../electron/shared/protocol/templates.js';
import { resolveFraming, resolveReplyEnding } from '../../../electron/shared/protocol/table-framing.js';
import { TOXIC_TYPES } from '../../../electron/shared/protocol/toxics.js';

function issues(value: unknown): TableIssue[] {
  const check = checkTable(value);
  if (check.ok) throw new Error(`expected ${JSON.stringify(value)} to be refused`);
  return check.issues;
}

function accepted(value: unknown): void {
  const check = checkTable(value);
  if (!check.ok) throw new Error(JSON.stringify(check.issues));
}

const rules = [{ name: 'A', reply: 'a' }];

describe('framing', () => {
  it.each([
    ['lf', { kind: 'lf' }],
    ['crlf', { kind: 'crlf' }],
    ['cr', { kind: 'cr' }],
    ['nul', { kind: 'nul' }],
    [{ delimiter: '\u0000\u0003' }, { kind: 'delimiter', delimiter: Uint8Array.from([0, 3]) }],
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- our framing's key, not String.prototype.fixed
    [{ fixed: 12 }, { kind: 'fixed', size: 12 }],
    [
      { lengthField: { offset: 4, bytes: 2, endian: 'big', adjust: 0 } },
      { kind: 'lengthField', offset: 4, bytes: 2, endian: 'big', adjust: 0 },
    ],
    [
      { lengthField: { offset: 0, bytes: 4 } },
      { kind: 'lengthField', offset: 0, bytes: 4, endian: 'big', adjust: 0 },
    ],
    [{ raw: { gapMs: 20 } }, { kind: 'raw', gapMs: 20 }],
  ])('accepts %j and gives it one typed shape', (framing, resolved) => {
    accepted({ commands: rules, framing });
    expect(resolveFraming(framing as Parameters<typeof resolveFraming>[0])).toEqual(resolved);
  });

  it.each([
    ['an unknown name', 'crcr', 'framing'],
    ['an empty delimiter', { delimiter: '' }, 'framing'],
    ['a delimiter beyond bytes', { delimiter: '\u2028' }, 'framing'],
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- our framing's key, not String.prototype.fixed
    ['a fixed size of 0', { fixed: 0 }, 'framing'],
    ['a length field of 3 bytes', { lengthField: { offset: 0, bytes: 3 } }, 'framing'],
    [
      'a length field endianness of "middle"',
      { lengthField: { offset: 0, bytes: 2, endian: 'middle' } },
      'framing',
    ],
    ['a raw gap of 0', { raw: { gapMs: 0 } }, 'framing'],
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- our framing's key, not String.prototype.fixed
    ['two kinds at once', { fixed: 2, raw: { gapMs: 5 } }, 'framing'],
  ])('refuses %s, at the framing field', (_what, framing, field) => {
    const found = issues({ commands: rules, framing });
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((i) => i.field?.startsWith(field))).toBe(true);
  });

  it('defaults replyEnding to CRLF for line framings and nothing for the others', () => {
    expect(resolveReplyEnding(undefined, { kind: 'lf' })).toBe('\r\n');
    expect(resolveReplyEnding(undefined, { kind: 'nul' })).toBe('\r\n');
    expect(resolveReplyEnding(undefined, { kind: 'fixed', size: 4 })).toBe('');
    expect(resolveReplyEnding('\n', { kind: 'raw', gapMs: 5 })).toBe('\n');
    expect(issues({ commands: rules, replyEnding: 5 })).toEqual([
      { field: 'replyEnding', message: 'replyEnding must be text, such as "\\r\\n"' },
    ]);
  });
});

describe('bytes rules and replyBytes', () => {
  it('accepts hex pairs in any case, ??, * and spaces', () => {
    accepted({
      framing: { raw: { gapMs: 5 } },
      commands: [{ bytes: '0a Ff ?? * 00', replyBytes: '00 {req:0:1}' }],
    });
    expect(parseBytePattern('01 ** 02')).toEqual({ segments: [[1], [2]], size: 2, searchWeight: 1 });
  });

  it.each([
    ['0', 'odd hex digit 0 at character 1: write each byte as two hex digits'],
    ['01 2', 'odd hex digit 2 at character 4: write each byte as two hex digits'],
    ['0G', 'odd hex digit 0 at character 1: write each byte as two hex digits'],
    ['xx', '"x" at character 1 is not a hex digit, ?? or *'],
    ['01 ?', 'lone ? at character 4: write ?? for any one byte'],
    ['', 'bytes names no byte: write hex pairs, ?? or *'],
  ])('refuses the hex pattern %j at its rule and field', (bytes, message) => {
    expect(
      issues({
        commands: [
          { name: 'A', reply: 'a' },
          { bytes, replyBytes: '00' },
        ],
      }),
    ).toEqual([{ rule: 1, field: 'bytes', message }]);
  });

  it.each([
    ['0', 'odd hex digit 0 at character 1: write each byte as two hex digits'],
    ['{line}', '{line} at character 1: the only variable in replyBytes is {req:OFFSET:LENGTH}'],
    ['00 {req:1}', '{req:1} at character 4: the only variable in replyBytes is {req:OFFSET:LENGTH}'],
    ['{req:0:0}', '{req:0:0} at character 1 copies nothing: give a length of 1 or more'],
  ])('refuses the byte template %j', (replyBytes, message) => {
    expect(issues({ commands: [{ name: 'A', replyBytes }] })).toEqual([
      { rule: 0, field: 'replyBytes', message },
    ]);
  });

  it('parses a byte template into fixed bytes and copied spans', () => {
    expect(parseByteTemplate('01 02{req:0:2} FF')).toEqual([
      Uint8Array.from([1, 2]),
      { offset: 0, length: 2 },
      Uint8Array.from([255]),
    ]);
  });

  it('refuses a {req:…} outside a fixed-size frame, naming the rule', () => {
    expect(issues({ framing: { fixed: 4 }, commands: [{ bytes: '*', replyBytes: '{req:2:3}' }] })).toEqual([
      {
        rule: 0,
        field: 'replyBytes',
        message: '{req:2:3} reaches byte 5, but every request it answers has 4 bytes',
      },
    ]);
    expect(
      issues({ framing: { raw: { gapMs: 5 } }, commands: [{ bytes: '01 02', replyBytes: '{req:1:2}' }] }),
    ).toEqual([
      {
        rule: 0,
        field: 'replyBytes',
        message: '{req:1:2} reaches byte 3, but every request it answers has 2 bytes',
      },
    ]);
    // A length field's frames vary: what exists is copied at match time.
    accepted({
      framing: { lengthField: { offset: 0, bytes: 1 } },
      commands: [{ bytes: '*', replyBytes: '{req:2:30}' }],
    });
  });

  it('refuses a rule with both reply and replyBytes, or neither', () => {
    const message = 'a rule answers with one of reply or replyBytes (exactly one)';
    expect(issues({ commands: [{ name: 'A', reply: 'a', replyBytes: '00' }] })).toEqual([
      { rule: 0, field: 'reply', message },
    ]);
    expect(issues({ commands: [{ name: 'A' }] })).toEqual([{ rule: 0, field: 'reply', message }]);
  });

  it('accepts reply: [] (sends nothing)', () => {
    accepted({ commands: [{ name: 'A', reply: [] }] });
  });
});

describe('greeting, push and states', () => {
  it('accepts the conversation fields', () => {
    accepted({
      greeting: ['220 mock', 'at {time}'],
      commands: [
        { name: 'DATA', state: 'start', reply: '354', then: 'data' },
        { pattern: '^\\.$', state: ['data'], reply: '250', then: 'start' },
      ],
      push: [
        { everyMs: 1000, reply: '$GPRMC,{count}' },
        { everyMs: 50, replyBytes: '00', state: ['data', 'start'] },
      ],
    });
  });

  it('refuses an unknown state in then, naming the rule', () => {
    expect(issues({ commands: [{ name: 'A', reply: 'a', then: 'dta' }] })).toEqual([
      {
        rule: 0,
        field: 'then',
        message: 'then names the state dta, which no rule or push is in (states: start)',
      },
    ]);
  });

  it('refuses a push in a state no then reaches, naming the push', () => {
    expect(issues({ commands: rules, push: [{ everyMs: 100, reply: 'x', state: 'never' }] })).toEqual([
      {
        field: 'push[0].state',
        message: 'no connection ever reaches the state never: no rule’s then names it'.replace('’', "'"),
      },
    ]);
  });

  it.each([
    ['a push too often', { everyMs: 10, reply: 'x' }, 'push[0].everyMs', 'everyMs must be at least 50'],
    [
      'a push without a period',
      { reply: 'x' },
      'push[0].everyMs',
      'everyMs must be a number of milliseconds',
    ],
    [
      'a push with both replies',
      { everyMs: 100, reply: 'x', replyBytes: '00' },
      'push[0].reply',
      'a push sends one of reply or replyBytes (exactly one)',
    ],
    [
      'a push echoing a group',
      { everyMs: 100, reply: '{1}' },
      'push[0].reply',
      '{1}: there is no request here to take groups from',
    ],
    [
      'a push copying request bytes',
      { everyMs: 100, replyBytes: '{req:0:1}' },
      'push[0].replyBytes',
      '{req:0:1}: there is no request to copy from here',
    ],
  ])('refuses %s at its place', (_what, entry, field, message) => {
    expect(issues({ commands: rules, push: [entry] })).toEqual([{ field, message }]);
  });

  it('refuses a greeting echoing a group, and an empty state list', () => {
    expect(issues({ commands: rules, greeting: 'hi {2}' })).toEqual([
      { field: 'greeting', message: '{2}: there is no request here to take groups from' },
    ]);
    expect(issues({ commands: [{ name: 'A', reply: 'a', state: [] }] })).toEqual([
      { rule: 0, field: 'state', message: 'state lists at least one state' },
    ]);
  });

  it('refuses two rules of one name that can answer in the same state', () => {
    expect(
      issues({
        commands: [
          { name: 'A', state: ['x', 'y'], reply: 'a' },
          { name: 'a', state: 'y', reply: 'b' },
          { name: 'A', state: 'z', reply: 'c' },
        ],
      }),
    ).toEqual([{ rule: 1, field: 'name', message: 'a is already the name of rule 1 in the same state' }]);
  });
});

describe('toxics', () => {
  it.each(TOXIC_TYPES.map((type) => [type]))('accepts a %s toxic with defaults', (type) => {
    accepted({ commands: rules, toxics: [{ name: `t-${type}`, type }] });
  });

  it('accepts every attribute Toxiproxy gives each type', () => {
    accepted({
      commands: rules,
      toxics: [
        {
          name: 'a',
          type: 'latency',
          stream: 'upstream',
          toxicity: 0.5,
          attributes: { latency: 100, jitter: 10 },
        },
        { name: 'b', type: 'bandwidth', attributes: { rate: 64 } },
        { name: 'c', type: 'slow_close', attributes: { delay: 1000 } },
        { name: 'd', type: 'timeout', attributes: { timeout: 0 } },
        { name: 'e', type: 'reset_peer', attributes: { timeout: 500 } },
        { name: 'f', type: 'slicer', attributes: { average_size: 10, size_variation: 5, delay: 100 } },
        { name: 'g', type: 'limit_data', stream: 'downstream', toxicity: 0, attributes: { bytes: 1024 } },
      ],
    });
  });

  it.each([
    ['an unknown type', { name: 'x', type: 'lag' }, 'toxics[0].type'],
    [
      'an attribute of another type',
      { name: 'x', type: 'latency', attributes: { rate: 5 } },
      'toxics[0].attributes',
    ],
    [
      'a negative attribute',
      { name: 'x', type: 'latency', attributes: { latency: -1 } },
      'toxics[0].attributes.latency',
    ],
    ['toxicity over 1', { name: 'x', type: 'timeout', toxicity: 1.5 }, 'toxics[0].toxicity'],
    ['a sideways stream', { name: 'x', type: 'timeout', stream: 'sideways' }, 'toxics[0].stream'],
    ['no name', { type: 'timeout' }, 'toxics[0].name'],
  ])('refuses %s at its place', (_what, toxic, field) => {
    const found = issues({ commands: rules, toxics: [toxic] });
    expect(found.map((i) => i.field)).toEqual([field]);
  });

  it('refuses two toxics of one name', () => {
    expect(
      issues({
        commands: rules,
        toxics: [
          { name: 'x', type: 'timeout' },
          { name: 'x', type: 'latency' },
        ],
      }),
    ).toEqual([{ field: 'toxics[1].name', message: 'x is already the name of toxic 1' }]);
  });
});

describe('a file with every field', () => {
  it('is read and checked as a whole', () => {
    const text = JSON.stringify({
      name: 'Modbus',
      framing: { lengthField: { offset: 4, bytes: 2, endian: 'big', adjust: 0 } },
      replyEnding: '',
      greeting: 'hello',
      commands: [{ bytes: '?? ?? 00 00 ?? ?? 01 03 *', replyBytes: '{req:0:2} 00 00 00 05 01 03 02 00 2A' }],
      push: [{ everyMs: 1000, replyBytes: '00' }],
      builtins: { help: false, quit: false },
      unknown: '',
      toxics: [{ name: 'slow', type: 'latency', attributes: { latency: 50 } }],
    });
    expect(parseTableFile(text).ok).toBe(true);
  });
});
