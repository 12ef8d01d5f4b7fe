import { describe, expect, it } from 'vitest';
import {
  CLASSIC_TABLE,
  TABLE_SCHEMA_ID,
  parseTableFile,
  type CommandTable,
} from '../../../../electron/shared/protocol/command-table';
import {
  readTableFile,
  tableFileName,
  tableFileText,
} from '../../../../renderer/src/components/commands/table-file';
import schema from '../../../../schema/command-table.schema.json';

describe('tableFileText', () => {
  it('points at the published schema’s $id', () => {
    expect(TABLE_SCHEMA_ID).toBe(schema.$id);
  });

  it('writes the table with $schema first, and parseTableFile reads the same table back', () => {
    const table: CommandTable = { name: 'Modem', commands: [{ pattern: '^AT(.*)$', reply: ['OK', ''] }] };
    const text = tableFileText(table);
    expect(text.startsWith(`{\n  "$schema": "${TABLE_SCHEMA_ID}",\n`)).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    const back = parseTableFile(text);
    expect(back).toEqual({ ok: true, table: { $schema: TABLE_SCHEMA_ID, ...table } });
  });

  it('replaces a $schema the table already had', () => {
    const text = tableFileText({ $schema: 'elsewhere', commands: [] });
    expect(JSON.parse(text)).toEqual({ $schema: TABLE_SCHEMA_ID, commands: [] });
  });
});

describe('tableFileName', () => {
  it('names the file after the table', () => {
    expect(tableFileName(CLASSIC_TABLE)).toBe('classic.json');
    expect(tableFileName({ name: '  My Modem (v2) ', commands: [] })).toBe('my-modem-v2.json');
    expect(tableFileName({ commands: [] })).toBe('command-table.json');
    expect(tableFileName({ name: '???', commands: [] })).toBe('command-table.json');
  });
});

describe('readTableFile', () => {
  it('loads a good file', () => {
    expect(readTableFile('{"commands":[{"name":"PING","reply":"PONG"}]}')).toEqual({
      ok: true,
      table: { commands: [{ name: 'PING', reply: 'PONG' }] },
      issues: [],
    });
  });

  it('refuses broken JSON, naming its line and column', () => {
    const result = readTableFile('{\n  "commands": [\n    { "name": "PING" "reply": "PONG" }\n  ]\n}\n');
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.messages).toEqual([
      expect.stringMatching(/^line 3, column 22: not valid JSON: expected "," or "}"/),
    ]);
  });

  it('refuses the wrong shape, naming the rule and field', () => {
    const result = readTableFile('{"commands":[{"name":"A","reply":"a"},{"name":"B","reply":7}]}');
    expect(result).toEqual({ ok: false, messages: [expect.stringMatching(/^rule 2, reply: /)] });
  });

  it('loads a well-formed table with a bad pattern, for the editor to show and the user to fix', () => {
    const result = readTableFile('{"commands":[{"pattern":"(a","reply":"x"}]}');
    expect(result).toEqual({
      ok: true,
      table: { commands: [{ pattern: '(a', reply: 'x' }] },
      issues: [{ rule: 0, field: 'pattern', message: 'invalid pattern: missing closing ): `(a`' }],
    });
  });
});
