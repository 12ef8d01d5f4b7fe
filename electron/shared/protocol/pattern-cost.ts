/**
 * What a `pattern` costs, and the limits that keep every table cheap to
 * load and every line cheap to answer (docs/command-tables.md).
 *
 * RE2 (re2js) matches in time linear in the line, but the factor is the
 * size of the compiled program, and counted repetitions multiply it:
 * `(?i)` + `a{0,1000}` ×110 + `b` is a valid 995-character pattern of
 * 220,003 instructions that takes half a second to compile and minutes per
 * 4 KB line. So a pattern's size is estimated from its text before it is
 * compiled (compiling is what costs), measured exactly after, and bounded
 * per pattern, per table, and per line (program size × line length).
 */
import { RE2JS } from 're2js';

/** Instructions one pattern may compile to. */
export const MAX_PATTERN_PROGRAM = 1000;
/** Instructions all the patterns of a table may compile to together. */
export const MAX_TABLE_PROGRAM = 10_000;
/**
 * Matching work one line may cost, in units of one instruction for one
 * byte: the weights of the patterns a line can reach, times its length.
 * re2js runs 15–40 ns per unit in its slower engines, so this keeps the
 * worst line to a few milliseconds; a table over it at the server's max
 * line is refused.
 */
export const MAX_LINE_MATCH_WORK = 500_000;
/**
 * What every pattern costs per byte beyond its instructions: the engines'
 * own work per character (a one-pass `^(\w+)$` still takes about 0.3 µs a
 * byte).
 */
export const PATTERN_BYTE_OVERHEAD = 16;

export interface CompiledPattern {
  readonly regex: RE2JS;
  /** Instructions of the compiled program. */
  readonly size: number;
  /** Matching work per line byte. */
  readonly weight: number;
  readonly groups: number;
  /**
   * The literal text every match starts the line with (`^GET ` gives
   * `GET `), or '' when there is none: a line without it is skipped at once.
   */
  readonly prefix: string;
}

/** Compiles a pattern with RE2, or says why it cannot be compiled. */
export function compilePattern(pattern: string): RE2JS | string {
  try {
    return RE2JS.compile(pattern);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // RE2's own words for these ("invalid named capture", "invalid escape sequence") do not say why.
    const hint = /\(\?<?[=!]/.test(pattern)
      ? ' (lookahead and lookbehind are not supported: patterns use RE2 syntax)'
      : /\\[1-9]/.test(pattern)
        ? ' (backreferences are not supported: patterns use RE2 syntax)'
        : '';
    return `invalid pattern: ${message.replace(/^error parsing regexp: /, '')}${hint}`;
  }
}

function tooComplex(size: number, limit: number): string {
  return `pattern too complex: it compiles to about ${size} instructions, at most ${limit} are allowed (counted repetitions such as {0,1000} multiply a pattern's size)`;
}

/**
 * Compiles a pattern once, refusing one whose program would be larger than
 * `limit` instructions, before compiling it where its text already says so.
 */
export function compileBoundedPattern(
  pattern: string,
  limit = MAX_PATTERN_PROGRAM,
): CompiledPattern | string {
  const estimate = estimateProgramSize(pattern);
  // The estimate is close but not exact: refuse outright only well past the limit.
  if (estimate > 2 * limit) return tooComplex(estimate, limit);
  const regex = compilePattern(pattern);
  if (typeof regex === 'string') return regex;
  const size = regex.programSize();
  if (size > limit) return tooComplex(size, limit);
  return {
    regex,
    size,
    weight: size + PATTERN_BYTE_OVERHEAD,
    groups: regex.groupCount(),
    prefix: anchoredPrefix(pattern),
  };
}

/**
 * The literal text a pattern anchored with `^` requires at the start of the
 * line, read from its text: plain characters and escaped punctuation up to
 * the first operator. Conservative: any flag, alternation or quantifier
 * that could make a character optional ends it (or gives none at all).
 */
export function anchoredPrefix(pattern: string): string {
  if (!pattern.startsWith('^') || pattern.includes('|') || pattern.includes('(?')) return '';
  let prefix = '';
  let i = 1;
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    let literal: string;
    let width = 1;
    if (c === '\\') {
      const next = pattern.charAt(i + 1);
      if (!/^[!-/:-@[-`{-~]$/.test(next)) break; // \w, \d, \x41…: not a plain character
      literal = next;
      width = 2;
    } else if (/[.[\]()*+?{}^$]/.test(c)) break;
    else literal = c;
    const after = pattern.charAt(i + width);
    if (after === '*' || after === '?' || after === '{') break; // this one may be absent
    prefix += literal;
    i += width;
    if (after === '+') break; // present once at least, then more may follow
  }
  return prefix;
}

interface Frame {
  /** Instructions of the alternatives so far. */
  total: number;
  /** Instructions of the last atom, which a repetition applies to. */
  last: number;
  capturing: boolean;
}

/**
 * Estimates RE2's program size from a pattern's text in one pass, as RE2
 * builds it: one instruction per atom, one more per `*`, `+`, `?` and `|`,
 * two per capture, and a counted repetition `{n,m}` copying its atom
 * max(n, m) times (plus one per copy for the choice). Nested repetitions
 * multiply. It only has to be close: the compiled size decides.
 */
export function estimateProgramSize(pattern: string): number {
  const stack: Frame[] = [{ total: 0, last: 0, capturing: false }];
  let top = stack[0] as Frame;
  const atom = (size: number): void => {
    top.total += size;
    top.last = size;
  };
  const repeat = (times: number, extra: number): void => {
    const grown = top.last * times + extra;
    top.total += grown - top.last;
    top.last = grown;
  };
  let i = 0;
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    if (c === '\\') {
      const next = pattern.charAt(i + 1);
      if (next === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const stop = end === -1 ? pattern.length : end;
        for (let k = i + 2; k < stop; k++) atom(1);
        i = end === -1 ? stop : end + 2;
        continue;
      }
      if ((next === 'p' || next === 'P' || next === 'x') && pattern.charAt(i + 2) === '{') {
        const end = pattern.indexOf('}', i + 3);
        i = end === -1 ? pattern.length : end + 1;
      } else if (next === 'p' || next === 'P') i += 3;
      else if (next === 'x') i += 4;
      else i += 2;
      atom(1);
    } else if (c === '[') {
      i = classEnd(pattern, i);
      atom(1);
    } else if (c === '(') {
      if (pattern.startsWith('(?', i) && !/^\(\?(:|P?<|[a-zA-Z-]*:)/.test(pattern.slice(i, i + 4))) {
        // A flags group such as (?i): no group, no instruction.
        const end = pattern.indexOf(')', i);
        i = end === -1 ? pattern.length : end + 1;
        continue;
      }
      const capturing = !pattern.startsWith('(?', i) || /^\(\?P?</.test(pattern.slice(i, i + 4));
      top = { total: 0, last: 0, capturing };
      stack.push(top);
      i++;
      if (pattern.startsWith('?', i)) {
        const colon = pattern.indexOf(':', i);
        const angle = pattern.indexOf('>', i);
        const end = capturing ? angle : colon;
        i = end === -1 ? pattern.length : end + 1;
      }
    } else if (c === ')') {
      const done = stack.length > 1 ? (stack.pop() as Frame) : null;
      top = stack[stack.length - 1] as Frame;
      i++;
      if (done) atom(done.total + (done.capturing ? 2 : 0));
    } else if (c === '|') {
      top.total += 1;
      top.last = 0;
      i++;
    } else if (c === '*' || c === '+' || c === '?') {
      repeat(1, 1);
      i++;
      if (pattern.charAt(i) === '?') i++; // lazy
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i, i + 24));
      if (!m) {
        atom(1);
        i++;
        continue;
      }
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' || m[3] === undefined ? min + 1 : Number(m[3]);
      const times = Math.max(min, max, 1);
      repeat(times, times);
      i += m[0].length;
      if (pattern.charAt(i) === '?') i++;
    } else {
      atom(1);
      i++;
    }
  }
  let total = 0;
  for (const frame of stack) total += frame.total;
  return total + 3; // the match, the capture of the whole match
}

/** The index just past a character class that starts at `start`. */
function classEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern.charAt(i) === '^') i++;
  if (pattern.charAt(i) === ']') i++;
  while (i < pattern.length) {
    const c = pattern.charAt(i);
    if (c === '\\') i += 2;
    else if (c === '[' && pattern.charAt(i + 1) === ':') {
      const end = pattern.indexOf(':]', i + 2);
      i = end === -1 ? i + 1 : end + 2;
    } else if (c === ']') return i + 1;
    else i++;
  }
  return i;
}
