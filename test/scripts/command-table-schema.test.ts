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

  it('accepts the smallest useful file of CONTRACT §5 and the classic table', () => {
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

  it.each([
    ['a rule with both a name and a pattern', { commands: [{ name: 'A', pattern: 'a', reply: 'x' }] }],
    ['a rule with neither', { commands: [{ reply: 'x' }] }],
    ['an unknown key', { commands: [{ name: 'A', reply: 'x', colour: 'red' }] }],
    ['a rule with no reply', { commands: [{ name: 'A' }] }],
    ['a negative delay', { commands: [{ name: 'A', reply: 'x', delayMs: -1 }] }],
    ['no commands', {}],
  ])('refuses %s', (_what, table) => {
    expect(validate(table)).toBe(false);
  });
});
