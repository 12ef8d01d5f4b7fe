import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { CLASSIC_TABLE } from '../../electron/shared/protocol/command-table.js';
import { commandTableSchemaText } from '../../scripts/command-table-schema.js';
import { ROOT } from '../helpers/process.js';

const FILE = path.join(ROOT, 'schema', 'command-table.schema.json');
const published = readFileSync(FILE, 'utf8');
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(published) as object);

describe('the published command table schema', () => {
  it('is exactly what the app validates with (run npm run schema after changing it)', () => {
    expect(published).toBe(commandTableSchemaText());
  });

  it('accepts the smallest useful file of docs/command-tables.md and the classic table', () => {
    const example = {
      commands: [
        { name: 'PING', reply: 'PONG' },
        { pattern: '^GET (\\w+)$', reply: ['VALUE {1}', 'END'] },
      ],
    };
    expect(validate(example)).toBe(true);
    expect(validate(CLASSIC_TABLE)).toBe(true);
    expect(validate({ ...CLASSIC_TABLE, builtins: { help: false, quit: true }, unknown: '? {line}' })).toBe(
      true,
    );
  });

  it('accepts a table using every field of the format', () => {
    const table = {
      name: 'Everything',
      framing: { lengthField: { offset: 4, bytes: 2, endian: 'big', adjust: 0 } },
      replyEnding: '',
      greeting: ['220 hello', 'conn {conn}'],
      commands: [
        { bytes: '?? ?? 00 00 * ', replyBytes: '{req:0:2} 00 01', state: ['start', 'busy'] },
        { name: 'GO', reply: [], then: 'busy', delayMs: 5, close: false },
        { pattern: '^x(.)$', state: 'busy', reply: '{1}', then: 'start' },
      ],
      push: [{ everyMs: 1000, reply: 'tick {count}', state: 'busy' }],
      builtins: { help: false, quit: false },
      unknown: '',
      toxics: [
        { name: 'slow', type: 'latency', stream: 'upstream', toxicity: 0.5, attributes: { latency: 10 } },
      ],
    };
    expect(validate(table)).toBe(true);
    for (const framing of [
      'lf',
      'crlf',
      'cr',
      'nul',
      { delimiter: '\u0000' },
      { fixed: 8 },
      { raw: { gapMs: 5 } },
    ]) {
      expect(validate({ commands: [], framing })).toBe(true);
    }
  });

  it.each([
    ['a rule with both a name and a pattern', { commands: [{ name: 'A', pattern: 'a', reply: 'x' }] }],
    ['a rule with neither', { commands: [{ reply: 'x' }] }],
    ['an unknown key', { commands: [{ name: 'A', reply: 'x', colour: 'red' }] }],
    ['a rule with no reply', { commands: [{ name: 'A' }] }],
    ['a negative delay', { commands: [{ name: 'A', reply: 'x', delayMs: -1 }] }],
    ['no commands', {}],
    ['a rule with both reply and replyBytes', { commands: [{ name: 'A', reply: 'x', replyBytes: '00' }] }],
    ['a rule with both a name and bytes', { commands: [{ name: 'A', bytes: '00', reply: 'x' }] }],
    ['an unknown framing', { commands: [], framing: 'lfcr' }],
    ['an unknown toxic type', { commands: [], toxics: [{ name: 'x', type: 'lag' }] }],
    [
      'a toxic attribute of another type',
      { commands: [], toxics: [{ name: 'x', type: 'timeout', attributes: { rate: 1 } }] },
    ],
    ['a push with both replies', { commands: [], push: [{ everyMs: 100, reply: 'x', replyBytes: '00' }] }],
  ])('refuses %s', (_what, table) => {
    expect(validate(table)).toBe(false);
  });
});
