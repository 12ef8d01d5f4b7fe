/**
 * The command table as the editor holds it: text as typed, rules with
 * stable ids, and pure functions to edit it and to turn it back into the
 * table docs/command-tables.md describes.
 *
 * Reply lines: the reply box's lines map one to one to reply lines. A table
 * cannot express "no reply" (a rule answers at least one line), so an empty
 * box is one empty reply line, and a blank line in the box is an empty reply
 * line too (the classic HAIKU has one). What the user sees is exactly what is
 * sent, one CRLF per line of the box.
 */
import {
  DEFAULT_UNKNOWN_REPLY,
  type CommandRule,
  type CommandTable,
} from '../../../../electron/shared/protocol/command-table';
import {
  framingDraftOf,
  framingFromDraft,
  pushFromDraft,
  pushToDraft,
  replyEndingChoiceOf,
  replyEndingFromChoice,
  statesFromText,
  statesToText,
  type FramingDraft,
  type PushDraft,
} from './conversation-draft';

export type MatchKind = 'name' | 'pattern' | 'bytes';
/** `lines`: the reply box's lines; `none`: an empty reply (`reply: []`); `bytes`: a `replyBytes` template. */
export type ReplyKind = 'lines' | 'none' | 'bytes';

export interface RuleDraft {
  /** Stable across edits and moves: the React key, and what focus is aimed at. */
  id: string;
  match: MatchKind;
  /** Both kept, so switching the match type back and forth loses nothing typed. */
  name: string;
  pattern: string;
  /** The reply box's text, one reply line per line. */
  reply: string;
  /** As typed; empty means no delay. */
  delay: string;
  close: boolean;
  /** The `bytes` hex pattern, for `match: 'bytes'`. */
  bytes: string;
  replyKind: ReplyKind;
  /** The `replyBytes` hex template, for `replyKind: 'bytes'`. */
  replyBytes: string;
  /** The states the rule answers in, separated by spaces or commas; empty: every state. */
  state: string;
  /** The state it moves its connection to; empty: it stays. */
  then: string;
}

export interface TableDraft {
  rules: RuleDraft[];
  /** The built-in HELP and QUIT commands. */
  help: boolean;
  quit: boolean;
  /** The reply to a line no rule matched. */
  unknown: string;
  /** The table's name (a preset's), carried through untouched. */
  name?: string | undefined;
  framing: FramingDraft;
  /** The reply ending; null: the default (CRLF for line framings, nothing for the others). */
  replyEnding: string | null;
  /** The greeting's lines; empty: no greeting. */
  greeting: string;
  push: PushDraft[];
  /** Table fields the editor does not show (toxics, $schema), carried through untouched. */
  rest?: Pick<CommandTable, 'toxics' | '$schema'>;
}

/** The rule fields the editor shows; `match` is the name or the pattern, whichever is in use. */
export type RuleInit = Partial<Omit<RuleDraft, 'id'>>;

export function replyToText(reply: string | readonly string[]): string {
  return typeof reply === 'string' ? reply : reply.join('\n');
}

/** One line stays a string, as people write it in files; more become a list. */
export function textToReply(text: string): string | string[] {
  // Browsers hand textarea values over with LF only; a pasted CR is dropped the same way.
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return lines.length === 1 ? (lines[0] ?? '') : lines;
}

/**
 * A typed delay: empty is none; anything that is not a plain number becomes
 * NaN, which the shared schema refuses with its own message.
 */
export function parseDelay(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(t) ? Number(t) : Number.NaN;
}

function ruleToDraft(rule: CommandRule, id: string): RuleDraft {
  const match: MatchKind =
    rule.name !== undefined
      ? 'name'
      : rule.pattern !== undefined
        ? 'pattern'
        : rule.bytes !== undefined
          ? 'bytes'
          : 'name';
  const replyKind: ReplyKind =
    rule.replyBytes !== undefined
      ? 'bytes'
      : Array.isArray(rule.reply) && rule.reply.length === 0
        ? 'none'
        : 'lines';
  return {
    id,
    match,
    name: rule.name ?? '',
    pattern: rule.pattern ?? '',
    reply: replyToText(rule.reply ?? []),
    delay: rule.delayMs === undefined ? '' : String(rule.delayMs),
    close: rule.close === true,
    bytes: rule.bytes ?? '',
    replyKind,
    replyBytes: rule.replyBytes ?? '',
    state: statesToText(rule.state),
    then: rule.then ?? '',
  };
}

let lastId = 0;

/**
 * A rule id no other rule in this window has. Ids are made outside the pure
 * edits below and handed to them, so an edit run twice (React may) gives the
 * same result, and the caller knows the new rule's id to focus it.
 */
export function newRuleId(): string {
  lastId++;
  return `rule-${lastId}`;
}

export function draftFromTable(table: CommandTable): TableDraft {
  return {
    rules: table.commands.map((rule) => ruleToDraft(rule, newRuleId())),
    help: table.builtins?.help !== false,
    quit: table.builtins?.quit !== false,
    unknown: table.unknown ?? DEFAULT_UNKNOWN_REPLY,
    name: table.name,
    framing: framingDraftOf(table.framing),
    replyEnding: replyEndingChoiceOf(table.replyEnding),
    greeting: table.greeting === undefined ? '' : replyToText(table.greeting),
    push: (table.push ?? []).map((entry) => pushToDraft(entry, newRuleId())),
    ...(table.toxics !== undefined || table.$schema !== undefined
      ? {
          rest: {
            ...(table.toxics !== undefined ? { toxics: table.toxics } : {}),
            ...(table.$schema !== undefined ? { $schema: table.$schema } : {}),
          },
        }
      : {}),
  };
}

export function ruleFromDraft(rule: RuleDraft): CommandRule {
  const delayMs = parseDelay(rule.delay);
  const state = statesFromText(rule.state);
  return {
    // A name is one word: spaces around it are never meant, and would only earn an error.
    ...(rule.match === 'name'
      ? { name: rule.name.trim() }
      : rule.match === 'pattern'
        ? { pattern: rule.pattern }
        : { bytes: rule.bytes }),
    ...(rule.replyKind === 'bytes'
      ? { replyBytes: rule.replyBytes }
      : { reply: rule.replyKind === 'none' ? [] : textToReply(rule.reply) }),
    ...(delayMs !== undefined ? { delayMs } : {}),
    ...(rule.close ? { close: true } : {}),
    ...(state !== undefined ? { state } : {}),
    ...(rule.then.trim() !== '' ? { then: rule.then.trim() } : {}),
  };
}

/**
 * The table the draft describes, in one canonical form: defaults are left
 * out, so two drafts that behave alike give the same table.
 */
export function tableFromDraft(draft: TableDraft): CommandTable {
  const builtins = {
    ...(draft.help ? {} : { help: false }),
    ...(draft.quit ? {} : { quit: false }),
  };
  return {
    ...(draft.name !== undefined ? { name: draft.name } : {}),
    commands: draft.rules.map(ruleFromDraft),
    ...(Object.keys(builtins).length > 0 ? { builtins } : {}),
    ...(draft.unknown !== DEFAULT_UNKNOWN_REPLY ? { unknown: draft.unknown } : {}),
    ...conversationFromDraft(draft),
    ...(draft.rest ?? {}),
  };
}

/** The draft's framing, reply ending, greeting and pushes, as the table writes them (defaults left out). */
export function conversationFromDraft(
  draft: TableDraft,
): Pick<CommandTable, 'framing' | 'replyEnding' | 'greeting' | 'push'> {
  const framing = framingFromDraft(draft.framing);
  const replyEnding = replyEndingFromChoice(draft.replyEnding);
  return {
    ...(framing !== undefined ? { framing } : {}),
    ...(replyEnding !== undefined ? { replyEnding } : {}),
    ...(draft.greeting !== '' ? { greeting: textToReply(draft.greeting) } : {}),
    ...(draft.push.length > 0 ? { push: draft.push.map(pushFromDraft) } : {}),
  };
}

/**
 * Equal keys mean tables that answer alike; used to tell unapplied changes.
 * The name (which preset a table came from) is left out: a preset loaded
 * that answers exactly as the applied table has nothing to apply.
 */
export function draftKey(draft: TableDraft): string {
  return JSON.stringify({ ...tableFromDraft(draft), name: undefined });
}

export function tableKey(table: CommandTable): string {
  return draftKey(draftFromTable(table));
}

const EMPTY_RULE: Omit<RuleDraft, 'id'> = {
  match: 'name',
  name: '',
  pattern: '',
  reply: '',
  delay: '',
  close: false,
  bytes: '',
  replyKind: 'lines',
  replyBytes: '',
  state: '',
  then: '',
};

/** Inserts a new rule with id `id` at `index` (the end by default). */
export function addRule(
  draft: TableDraft,
  id: string,
  init: RuleInit = {},
  index = draft.rules.length,
): TableDraft {
  const rules = [...draft.rules];
  rules.splice(index, 0, { ...EMPTY_RULE, ...init, id });
  return { ...draft, rules };
}

/** Puts a copy of rule `id`, with id `copyId`, right after it. */
export function duplicateRule(draft: TableDraft, id: string, copyId: string): TableDraft {
  const index = draft.rules.findIndex((r) => r.id === id);
  const rule = draft.rules[index];
  // The copy's own id comes last in addRule and wins over the original's.
  return rule ? addRule(draft, copyId, rule, index + 1) : draft;
}

/** Moves a rule `delta` places (-1 up, +1 down); past either end nothing moves. */
export function moveRule(draft: TableDraft, id: string, delta: number): TableDraft {
  const from = draft.rules.findIndex((r) => r.id === id);
  const to = from + delta;
  const rule = draft.rules[from];
  if (!rule || to < 0 || to >= draft.rules.length) return draft;
  const rules = [...draft.rules];
  rules.splice(from, 1);
  rules.splice(to, 0, rule);
  return { ...draft, rules };
}

export function deleteRule(draft: TableDraft, id: string): TableDraft {
  return { ...draft, rules: draft.rules.filter((r) => r.id !== id) };
}

export function updateRule(draft: TableDraft, id: string, patch: RuleInit): TableDraft {
  return { ...draft, rules: draft.rules.map((r) => (r.id === id ? { ...r, ...patch } : r)) };
}
