/**
 * Turning a line from the unknown-command inbox into a rule, and showing
 * such a line safely.
 */
import type { CommandTable } from '../../../../electron/shared/protocol/command-table';
import { NO_RULE, orderedRulesOf, ruleFinder } from '../../../../electron/shared/protocol/rule-order';
import { asciiUpper, splitCommand } from '../../../../electron/shared/protocol/text';
import { wireText } from '../../lib/wire-text';
import type { RuleInit } from './table-draft';

/** What a rule made from the inbox answers until the user writes its real reply. */
export const PLACEHOLDER_REPLY = 'OK';

/** The longest name the schema takes; a longer word becomes a pattern rule. */
const MAX_NAME = 100;

// Control bytes are exactly what these look for.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/g;
// eslint-disable-next-line no-control-regex
const HAS_CONTROL = /[\x00-\x1f\x7f]/;
const RE2_META = /[\\.+*?()|[\]{}^$]/g;

function hex(c: string): string {
  return c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
}

/**
 * A pattern that matches `text` literally: RE2's metacharacters get a
 * backslash, and control bytes are written `\xNN` (which RE2 reads back as
 * the same byte) so the pattern field shows nothing invisible.
 */
export function escapePattern(text: string): string {
  return text.replace(RE2_META, '\\$&').replace(CONTROL, (c) => `\\x${hex(c)}`);
}

/**
 * The rule that answers exactly this line: a name rule when the line is one
 * plain word (names match any case, as the line's command word is matched),
 * otherwise a pattern over the whole line.
 */
export function ruleFromUnknownLine(line: string): RuleInit {
  const plainWord = /^\S+$/.test(line) && !HAS_CONTROL.test(line) && line.length <= MAX_NAME;
  return plainWord
    ? { match: 'name', name: line, reply: PLACEHOLDER_REPLY }
    : { match: 'pattern', pattern: `^${escapePattern(line)}$`, reply: PLACEHOLDER_REPLY };
}

/** The line as the window shows anything from the wire (see wire-text.ts): the one escaping, not a copy. */
export const displayLine = wireText;

const encoder = new TextEncoder();

/**
 * Which rule of `table` answers a line now (1-based), or null: how the inbox
 * tells lines that have since got a rule. The decision is the server's own
 * (electron/shared/protocol/rule-order.ts); the inbox does not know a line's
 * connection state, so a rule answers in any of its states. Patterns are
 * compiled once per table.
 */
export function answeringRule(table: CommandTable): (line: string) => number | null {
  const finder = ruleFinder<string>(orderedRulesOf(table), (line) => encoder.encode(line));
  return (line) => {
    const index = finder.find(line, asciiUpper(splitCommand(line).word), null, line);
    return index === NO_RULE ? null : index + 1;
  };
}
