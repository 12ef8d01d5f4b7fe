import { describe, expect, it } from 'vitest';
import {
  lineAndColumn,
  parseJson,
  type JsonSyntaxError,
} from '../../../electron/shared/protocol/json-location.js';

/** Parses `text`, expecting it to be refused, and returns where and why. */
function refused(text: string): JsonSyntaxError {
  const parsed = parseJson(text);
  if (parsed.ok) throw new Error(`expected ${JSON.stringify(text)} to be refused`);
  return parsed.error;
}

describe('valid JSON', () => {
  it.each([
    ['{"commands": [{"name": "PING", "reply": "PONG"}]}', { commands: [{ name: 'PING', reply: 'PONG' }] }],
    ['\r\n  [1, -2.5e3, 0, true, false, null]\n', [1, -2500, 0, true, false, null]],
    ['"tab\\tquote\\"\\u00e9\\/"', 'tab\tquote"é/'],
    ['42', 42],
    ['{}', {}],
  ])('passes %j through as JSON.parse reads it', (text, value) => {
    expect(parseJson(text)).toEqual({ ok: true, value });
  });
});

describe('broken JSON: where it breaks (1-based) and what was expected and found', () => {
  it.each([
    [
      'a trailing comma in an object',
      '{\n  "commands": [],\n}',
      { line: 3, column: 1, message: 'expected a property name in double quotes but found "}"' },
    ],
    [
      'a trailing comma in an array',
      '{\n  "commands": [\n    { "name": "PING", "reply": "PONG" },\n  ]\n}',
      { line: 4, column: 3, message: 'expected a value but found "]"' },
    ],
    [
      'a missing opening quote on a key',
      '{\n  name": "PING"\n}',
      { line: 2, column: 3, message: 'expected a property name in double quotes but found "n"' },
    ],
    [
      'a missing closing quote before the next key',
      '{ "name": "PING, "reply": "PONG" }',
      { line: 1, column: 19, message: 'expected "," or "}" but found "r"' },
    ],
    [
      'a string left open at the end of the text',
      '{"reply": "PONG',
      { line: 1, column: 16, message: 'expected a closing quote but found end of text' },
    ],
    [
      'a string left open at the end of a line',
      '{\n  "reply": "PONG\n}',
      {
        line: 2,
        column: 17,
        message: 'expected a closing quote (strings cannot span lines) but found "\\n"',
      },
    ],
    [
      'a bad escape',
      '{"reply": "a\\qb"}',
      { line: 1, column: 14, message: 'expected an escape such as \\n or \\" but found "q"' },
    ],
    [
      'a \\u escape without four hex digits',
      '["\\u12"]',
      { line: 1, column: 5, message: 'expected four hex digits after \\u but found "1"' },
    ],
    [
      'a tab inside a string',
      '["a\tb"]',
      {
        line: 1,
        column: 4,
        message: 'expected an escape such as \\t instead of a control character but found "\\t"',
      },
    ],
    [
      'another control character inside a string',
      '{\n  "reply": "x\x01"\n}',
      {
        line: 2,
        column: 14,
        message: 'expected an escape such as \\t instead of a control character but found "\\u0001"',
      },
    ],
    [
      'a brace left open at the end',
      '{\n  "commands": []\n',
      { line: 3, column: 1, message: 'expected "," or "}" but found end of text' },
    ],
    [
      'garbage after the value',
      '{"commands": []}\n\n  // the end',
      { line: 3, column: 3, message: 'expected the end of the text but found "/"' },
    ],
    ['an empty text', '', { line: 1, column: 1, message: 'expected a value but found end of text' }],
    [
      'a text of blank lines',
      '\n\n',
      { line: 3, column: 1, message: 'expected a value but found end of text' },
    ],
    ['a missing colon', '{"name" "PING"}', { line: 1, column: 9, message: 'expected ":" but found "\\""' }],
    [
      'a missing comma in an array',
      '[1\n 2]',
      { line: 2, column: 2, message: 'expected "," or "]" but found "2"' },
    ],
    [
      'a single-quoted string',
      "{'name': 1}",
      { line: 1, column: 2, message: 'expected a property name in double quotes but found "\'"' },
    ],
    ['a leading zero', '[01]', { line: 1, column: 3, message: 'expected "," or "]" but found "1"' }],
  ])('%s', (_what, text, error) => {
    expect(refused(text)).toEqual(error);
  });

  it('counts lines at LF, so a CRLF file gets the same line numbers', () => {
    expect(refused('{\r\n  "commands": [],\r\n}')).toEqual({
      line: 3,
      column: 1,
      message: 'expected a property name in double quotes but found "}"',
    });
  });

  it('never throws on a deeply nested broken text, and points at its end', () => {
    const text = '['.repeat(100_000);
    expect(() => parseJson(text)).not.toThrow();
    const error = refused(text);
    expect([error.line, error.column]).toEqual([1, 100_001]);
    expect(error.message).not.toBe('');
  });
});

describe('lineAndColumn', () => {
  it('turns an offset into a 1-based line and column', () => {
    const text = 'ab\ncd\n\nef';
    expect(lineAndColumn(text, 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn(text, 2)).toEqual({ line: 1, column: 3 });
    expect(lineAndColumn(text, 3)).toEqual({ line: 2, column: 1 });
    expect(lineAndColumn(text, 7)).toEqual({ line: 4, column: 1 });
    expect(lineAndColumn(text, text.length)).toEqual({ line: 4, column: 3 });
  });
});
