/**
 * Which rule of a command table answers a request: the one decision the
 * server (electron/core/command-table.ts) and the window's inbox both make,
 * so they cannot disagree (docs/command-tables.md). Rules are tried in
 * order; a rule limited to states is skipped outside them; a name matches
 * the request's first word in any case, a pattern is searched for in the
 * line, a bytes pattern must match the whole raw request. Built-ins (HELP,
 * QUIT) come after every rule and are the server's to answer.
 *
 * Everything is compiled before: `ruleFinder` builds its lookup once per
 * table and finding allocates nothing but the pattern matcher it returns.
 */
import type { Matcher, RE2JS } from 're2js';
import type { CommandTable } from './command-table.js';
import { matchBytes } from './byte-match.js';
import { parseBytePattern, type BytePattern } from './byte-pattern.js';
import { anchoredPrefix, compilePattern } from './pattern-cost.js';
import { asciiUpper } from './text.js';

/** What a rule matches, compiled (the table check's RuleMatch is one). */
export type RuleMatcher =
  | { readonly kind: 'name'; readonly key: string }
  | { readonly kind: 'pattern'; readonly pattern: { readonly regex: RE2JS; readonly prefix: string } }
  | { readonly kind: 'bytes'; readonly pattern: BytePattern };

export interface OrderedRule {
  /** Null for a rule that cannot match (a draft's pattern that does not compile). */
  readonly match: RuleMatcher | null;
  /** The states it answers in, or null for every state. */
  readonly states: readonly string[] | null;
}

/** No rule answers: what `find` returns then. */
export const NO_RULE = -1;

export interface RuleFinder<Source> {
  /**
   * The 0-based index of the first rule that answers, or NO_RULE. `text` is
   * the request as text, `key` its first word upper-cased (asciiUpper),
   * `state` the connection's state (null: every state, for callers that do
   * not know it), `source` what `bytesOf` turns into the raw request, asked
   * for only when a bytes rule is tried.
   */
  find(text: string, key: string, state: string | null, source: Source): number;
  /** The match that found the last pattern rule, for its groups. */
  readonly lastMatch: Matcher | null;
}

export function ruleFinder<Source>(
  rules: readonly OrderedRule[],
  bytesOf: (source: Source, text: string) => Uint8Array,
): RuleFinder<Source> {
  // Stateless name rules alone are found in one lookup; anything else is scanned in order.
  const scan = rules.some((r) => r.match?.kind !== 'name' || r.states !== null);
  const byName = new Map<string, number>();
  rules.forEach((rule, index) => {
    if (rule.match?.kind === 'name' && !byName.has(rule.match.key)) byName.set(rule.match.key, index);
  });
  const finder: { lastMatch: Matcher | null; find: RuleFinder<Source>['find'] } = {
    lastMatch: null,
    find(text, key, state, source) {
      if (!scan) return byName.get(key) ?? NO_RULE;
      let raw: Uint8Array | null = null;
      for (let index = 0; index < rules.length; index++) {
        const { match, states } = rules[index] as OrderedRule;
        if (match === null) continue;
        if (state !== null && states !== null && !states.includes(state)) continue;
        if (match.kind === 'name') {
          if (match.key === key) return index;
        } else if (match.kind === 'pattern') {
          // What the table check counted on: a line without the pattern's literal start costs nothing.
          if (match.pattern.prefix !== '' && !text.startsWith(match.pattern.prefix)) continue;
          const m = match.pattern.regex.matcher(text);
          if (m.find()) {
            finder.lastMatch = m;
            return index;
          }
        } else if (matchBytes(match.pattern, (raw ??= bytesOf(source, text)))) return index;
      }
      return NO_RULE;
    },
  };
  return finder;
}

/**
 * The rules of a table that may not be valid (a draft, a table from the
 * window), each compiled on its own: one that cannot be compiled matches
 * nothing instead of failing the others.
 */
export function orderedRulesOf(table: CommandTable): OrderedRule[] {
  return table.commands.map((rule) => ({ match: matcherOf(rule), states: statesOf(rule.state) }));
}

function matcherOf(rule: CommandTable['commands'][number]): RuleMatcher | null {
  if (rule.name !== undefined) return { kind: 'name', key: asciiUpper(rule.name) };
  if (rule.pattern !== undefined) {
    const regex = compilePattern(rule.pattern);
    return typeof regex === 'string'
      ? null
      : { kind: 'pattern', pattern: { regex, prefix: anchoredPrefix(rule.pattern) } };
  }
  if (rule.bytes !== undefined) {
    const pattern = parseBytePattern(rule.bytes);
    return typeof pattern === 'string' ? null : { kind: 'bytes', pattern };
  }
  return null;
}

function statesOf(state: string | readonly string[] | undefined): readonly string[] | null {
  return state === undefined ? null : typeof state === 'string' ? [state] : state;
}
