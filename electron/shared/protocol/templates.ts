/**
 * Reply templates as data: the text templates of `reply`, `unknown`,
 * `greeting` and `push`, and the hex templates of `replyBytes`
 * (docs/command-tables.md). Each is parsed once, in one linear pass, into
 * parts the engine renders without parsing again, and each knows the most
 * bytes it can ever render, so a table whose replies could not be delivered
 * is refused when it is loaded.
 */
import { ESCAPE_GROWTH, utf8Length } from './text.js';

/** The variables a text reply may use. */
export const TEMPLATE_VARIABLES = [
  'line',
  'args',
  'conn',
  'time',
  'count',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
];

export type TemplatePart = string | { readonly name: string };

/** One part object per variable, shared by every template: a big table allocates none. */
const VARIABLE_PARTS = new Map<string, TemplatePart>(
  TEMPLATE_VARIABLES.map((name) => [name, Object.freeze({ name })]),
);

/**
 * Most characters of an echoed value (after escaping) a reply carries; a
 * longer value is cut there and ends with `…`. At the default max line
 * (4096 bytes) no value comes near it; it bounds what `{line}` can cost
 * when the max line is raised.
 */
export const MAX_ECHO_CHARS = 65_536;

/** The most UTF-8 bytes one UTF-16 unit can take. */
const BYTES_PER_UNIT = 3;

/** Longest `{conn}`, `{count}` (safe integers) and `{time}` (ISO 8601, six-digit years included). */
const NUMBER_BYTES = 16;
const TIME_BYTES = 27;

const TOKEN = /\{\{|\{([^{}]*)\}|\{/g;

/** Splits a reply line into text and variables, or says what is wrong with it. */
export function parseTemplate(template: string): TemplatePart[] | string {
  const parts: TemplatePart[] = [];
  let text = '';
  let from = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(template); m !== null; m = TOKEN.exec(template)) {
    text += template.slice(from, m.index);
    from = TOKEN.lastIndex;
    if (m[0] === '{{') {
      text += '{';
      continue;
    }
    const name = m[1];
    if (name === undefined) {
      // A `{` with no `}` before the next `{`, or none at all.
      const close = template.indexOf('}', m.index);
      if (close === -1) return `unclosed { at character ${m.index + 1} (write {{ for a literal {)`;
      return unknownVariable(template.slice(m.index + 1, close));
    }
    const part = VARIABLE_PARTS.get(name);
    if (part === undefined) return unknownVariable(name);
    if (text) parts.push(text);
    text = '';
    parts.push(part);
  }
  text += template.slice(from);
  if (text || parts.length === 0) parts.push(text);
  return parts;
}

function unknownVariable(name: string): string {
  return `unknown variable {${name}}: use ${TEMPLATE_VARIABLES.filter((v) => !/^\d$/.test(v))
    .map((v) => `{${v}}`)
    .join(', ')} or {1}…{9} (write {{ for a literal {)`;
}

/** The highest group a template uses ({1}…{9}), 0 for none. */
export function highestGroup(parts: readonly TemplatePart[]): number {
  let high = 0;
  for (const part of parts) {
    if (typeof part === 'object' && part.name.length === 1 && part.name >= '1' && part.name <= '9') {
      high = Math.max(high, Number(part.name));
    }
  }
  return high;
}

/**
 * The most bytes one rendered variable can take, for requests of at most
 * `maxRequestBytes` bytes (0 where there is no request: greetings and pushes).
 */
export function worstCaseVariableBytes(name: string, maxRequestBytes: number): number {
  switch (name) {
    case 'conn':
    case 'count':
      return NUMBER_BYTES;
    case 'time':
      return TIME_BYTES;
    default: {
      const cap = (MAX_ECHO_CHARS + 1) * BYTES_PER_UNIT; // the cut value and its `…`
      return Math.min(ESCAPE_GROWTH * maxRequestBytes, cap);
    }
  }
}

/** The most bytes a parsed text line renders to, its ending included. */
export function worstCaseTextBytes(
  parts: readonly TemplatePart[],
  maxRequestBytes: number,
  endingBytes: number,
): number {
  let total = endingBytes;
  for (const part of parts) {
    total += typeof part === 'string' ? utf8Length(part) : worstCaseVariableBytes(part.name, maxRequestBytes);
  }
  return total;
}

/** A piece of a byte template: fixed bytes, or bytes copied from the request. */
export type BytePart = Uint8Array | { offset: number; length: number };

/** The largest offset or length a `{req:…}` may name. */
export const MAX_REQ_SPAN = 16 * 1024 * 1024;

const BYTE_TOKEN = /\{req:(\d{1,9}):(\d{1,9})\}|\{[^}]*\}?|[0-9A-Fa-f]{2}|\s+|[^]/g;

/**
 * Parses a `replyBytes` hex template: pairs of hex digits, spaces ignored,
 * `{req:OFFSET:LENGTH}` for bytes copied from the request.
 */
export function parseByteTemplate(template: string): BytePart[] | string {
  const parts: BytePart[] = [];
  let hex: number[] = [];
  const flush = (): void => {
    if (hex.length > 0) parts.push(Uint8Array.from(hex));
    hex = [];
  };
  BYTE_TOKEN.lastIndex = 0;
  for (let m = BYTE_TOKEN.exec(template); m !== null; m = BYTE_TOKEN.exec(template)) {
    const token = m[0];
    const at = m.index + 1;
    if (m[1] !== undefined && m[2] !== undefined) {
      const offset = Number(m[1]);
      const length = Number(m[2]);
      if (offset > MAX_REQ_SPAN || length > MAX_REQ_SPAN) {
        return `{req:${offset}:${length}} at character ${at}: offset and length are at most ${MAX_REQ_SPAN}`;
      }
      if (length === 0)
        return `{req:${offset}:0} at character ${at} copies nothing: give a length of 1 or more`;
      flush();
      parts.push({ offset, length });
    } else if (token.startsWith('{')) {
      return `${token} at character ${at}: the only variable in replyBytes is {req:OFFSET:LENGTH}`;
    } else if (/^\s/.test(token)) {
      continue;
    } else if (token.length === 2) {
      hex.push(parseInt(token, 16));
    } else {
      return /[0-9A-Fa-f]/.test(token)
        ? `odd hex digit ${token} at character ${at}: write each byte as two hex digits`
        : `${JSON.stringify(token)} at character ${at} is not a hex digit`;
    }
  }
  flush();
  return parts;
}

/** The most bytes a byte template renders to. */
export function worstCaseByteTemplateBytes(parts: readonly BytePart[]): number {
  let total = 0;
  for (const part of parts) total += part.length;
  return total;
}

/** The first request byte a template needs that a request of `size` bytes lacks, if any. */
export function spanOutside(
  parts: readonly BytePart[],
  size: number,
): { offset: number; length: number } | null {
  for (const part of parts) {
    if (!(part instanceof Uint8Array) && part.offset + part.length > size) return part;
  }
  return null;
}
