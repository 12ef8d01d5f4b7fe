/**
 * Finds where a JSON text breaks, as a line and column a person can go to.
 *
 * JSON.parse does the parsing; this scanner only runs when it fails,
 * because V8's messages do not always say where.
 */

export interface JsonSyntaxError {
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; error: JsonSyntaxError };

export function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const found = locate(text);
    const fallback = error instanceof Error ? error.message : String(error);
    const { line, column } = lineAndColumn(text, found?.offset ?? text.length);
    return { ok: false, error: { message: found?.message ?? fallback, line, column } };
  }
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

class Stop extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Walks the text as a JSON parser would and reports the first thing it cannot accept. */
function locate(text: string): { message: string; offset: number } | null {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const describe = (): string => (i >= text.length ? 'end of text' : JSON.stringify(text.charAt(i)));
  const fail = (expected: string): never => {
    throw new Stop(`expected ${expected} but found ${describe()}`, i);
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, i)) i += word.length;
    else fail('a value');
  };
  const string = (): void => {
    i++; // opening quote
    while (i < text.length) {
      const c = text.charAt(i);
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const next = text.charAt(i + 1);
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            i += 2;
            fail('four hex digits after \\u');
          }
          i += 6;
        } else if ('"\\/bfnrt'.includes(next) && next !== '') i += 2;
        else {
          i++;
          fail('an escape such as \\n or \\"');
        }
      } else if (c === '\n' || c === '\r') fail('a closing quote (strings cannot span lines)');
      else if (c.charCodeAt(0) < 0x20) fail('an escape such as \\t instead of a control character');
      else i++;
    }
    fail('a closing quote');
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail('a value');
    else i += m[0].length;
  };
  const value = (): void => {
    ws();
    const c = text.charAt(i);
    if (c === '{') object();
    else if (c === '[') array();
    else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c >= '0' && c <= '9')) number();
    else fail('a value');
  };
  const object = (): void => {
    i++;
    ws();
    if (text.charAt(i) === '}') {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (text.charAt(i) !== '"') fail('a property name in double quotes');
      string();
      ws();
      if (text.charAt(i) !== ':') fail('":"');
      i++;
      value();
      ws();
      const c = text.charAt(i);
      if (c === ',') i++;
      else if (c === '}') {
        i++;
        return;
      } else fail('"," or "}"');
    }
  };
  const array = (): void => {
    i++;
    ws();
    if (text.charAt(i) === ']') {
      i++;
      return;
    }
    for (;;) {
      value();
      ws();
      const c = text.charAt(i);
      if (c === ',') i++;
      else if (c === ']') {
        i++;
        return;
      } else fail('"," or "]"');
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail('the end of the text');
    return null;
  } catch (error) {
    if (error instanceof Stop) return { message: error.message, offset: error.offset };
    // Nesting deeper than the stack: JSON.parse's own message will do.
    if (error instanceof RangeError) return null;
    throw error;
  }
}
