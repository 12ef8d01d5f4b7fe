/**
 * Checks the draft as the user types, with the same shared checks main runs
 * on Apply, and places every issue next to the field it is about.
 *
 * checkTable stops at the schema: while one rule has, say, an empty name, it
 * would not report another rule's bad pattern or a duplicate name. A new empty
 * rule would then hide every other problem, so each rule is also checked on
 * its own, and then the names are compared across all rules whose name is
 * good, whatever else is wrong with them.
 */
import {
  checkTable,
  commandRuleSchema,
  describeTableIssue,
  type CommandRule,
  type CommandTable,
  type TableIssue,
} from '../../../../electron/shared/protocol/command-table';
import { conversationFromDraft, tableFromDraft, type TableDraft } from './table-draft';
import { delimiterOf, framingFromDraft, type FramingKind } from './conversation-draft';
import { framingSchema } from '../../../../electron/shared/protocol/table-framing';

export type RuleField = 'match' | 'reply' | 'delay' | 'close' | 'state' | 'then';
/** The framing's fields: `kind` holds what is about the framing as a whole. */
export type FramingField = 'kind' | 'delimiter' | 'fixed' | 'offset' | 'size' | 'endian' | 'adjust' | 'gapMs';
export type PushField = 'every' | 'reply' | 'state';

export interface PlacedIssues {
  /** The first message for each field of each rule, by rule id. */
  rules: Record<string, Partial<Record<RuleField, string>>>;
  unknown?: string;
  builtins?: string;
  framing: Partial<Record<FramingField, string>>;
  replyEnding?: string;
  greeting?: string;
  /** By push id. */
  push: Record<string, Partial<Record<PushField, string>>>;
  /** Issues about the table as a whole, as sentences naming their place. */
  general: string[];
  /** How many fields have a problem: what Apply's reason counts. */
  count: number;
}

export interface DraftCheck {
  ok: boolean;
  /** The table the draft describes, what Apply and Export send. */
  table: CommandTable;
  issues: TableIssue[];
}

/** Stands in for a rule with no usable name: it can clash with nothing. */
const NEUTRAL_RULE: CommandRule = { pattern: 'x', reply: '' };

/**
 * The rule as far as name clashes go: its name with a harmless reply, so that
 * a problem elsewhere in the rule (a delay, a reply) does not hide a clash.
 */
function nameProbe(rule: CommandRule, alone: boolean): CommandRule {
  if (alone) return rule;
  if (rule.name === undefined || rule.pattern !== undefined) return NEUTRAL_RULE;
  const probe = { name: rule.name, reply: '' };
  return checkTable({ commands: [probe] }).ok ? probe : NEUTRAL_RULE;
}

/** A rule without its `then`: alone, a `then` names a state only other rules are in. */
function withoutThen(rule: CommandRule): CommandRule {
  const rest = { ...rule };
  delete rest.then;
  return rest;
}

/** What the probe keeps of a rule's states, when they are well formed: `then` and `state` need the whole table. */
function stateProbe(rule: CommandRule): Pick<CommandRule, 'state' | 'then'> {
  const states = {
    ...(rule.state !== undefined ? { state: rule.state } : {}),
    ...(rule.then !== undefined ? { then: rule.then } : {}),
  };
  return commandRuleSchema.safeParse({ pattern: 'x', reply: '', ...states }).success ? states : {};
}

export function checkDraft(draft: TableDraft): DraftCheck {
  const table = tableFromDraft(draft);
  const delimiter = draft.framing.kind === 'delimiter' ? delimiterOf(draft.framing.delimiter) : null;
  const own: TableIssue[] =
    delimiter && !delimiter.ok ? [{ field: 'framing.delimiter', message: delimiter.error }] : [];
  const full = checkTable(table);
  if (full.ok && own.length === 0) return { ok: true, table, issues: [] };

  const issues: TableIssue[] = [...own, ...framingIssues(draft)];
  // The framing and reply ending shape every rule (a fixed frame's size bounds {req:…}): kept when good.
  const conversation = conversationFromDraft(draft);
  const settings = {
    ...(conversation.framing !== undefined ? { framing: conversation.framing } : {}),
    ...(conversation.replyEnding !== undefined ? { replyEnding: conversation.replyEnding } : {}),
  };
  const settingsOk = own.length === 0 && checkTable({ commands: [], ...settings }).ok;
  const alone = table.commands.map((rule, index) => {
    const check = checkTable({ commands: [withoutThen(rule)], ...(settingsOk ? settings : {}) });
    if (!check.ok) issues.push(...check.issues.map((issue) => ({ ...issue, rule: index })));
    return check.ok;
  });
  // Every probe passes on its own, so what this finds needs the rules side by side:
  // name clashes, states, and the table's own limits.
  const together = checkTable({
    ...table,
    ...(own.length > 0 ? { framing: 'lf' as const } : {}),
    commands: table.commands.map((rule, i) => ({
      ...nameProbe(rule, alone[i] === true),
      ...stateProbe(rule),
    })),
  });
  if (!together.ok) issues.push(...together.issues);
  if (table.unknown !== undefined) {
    const check = checkTable({ commands: [], unknown: table.unknown });
    if (!check.ok) issues.push(...check.issues);
  }
  // The greeting and each push alone too: a problem elsewhere must not hide theirs.
  if (table.greeting !== undefined) {
    const check = checkTable({ commands: [], greeting: table.greeting, ...(settingsOk ? settings : {}) });
    if (!check.ok) issues.push(...check.issues);
  }
  (table.push ?? []).forEach((entry, index) => {
    const alone = { ...entry };
    delete alone.state;
    const check = checkTable({ commands: [], push: [alone] });
    if (!check.ok) {
      issues.push(
        ...check.issues.map((issue) => ({
          ...issue,
          field: issue.field?.replace(/^push\[0\]/, `push[${index}]`),
        })),
      );
    }
  });
  // Never say "fix the problems" without showing one.
  const unique = dedupe(issues);
  return { ok: false, table, issues: unique.length > 0 ? unique : full.ok ? own : full.issues };
}

const FRAMING_BRANCH: Record<FramingKind, number> = {
  lf: 0,
  crlf: 0,
  cr: 0,
  nul: 0,
  delimiter: 1,
  fixed: 2,
  lengthField: 3,
  raw: 4,
};

/**
 * The framing checked against the one kind chosen: the schema's union only
 * says the framing is none of its kinds, and the editor knows which was meant.
 */
function framingIssues(draft: TableDraft): TableIssue[] {
  const framing = framingFromDraft(draft.framing);
  const branch = framingSchema.options[FRAMING_BRANCH[draft.framing.kind]];
  if (framing === undefined || !branch) return [];
  const parsed = branch.safeParse(framing);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => ({
    field: ['framing', ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

function dedupe(issues: readonly TableIssue[]): TableIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = describeTableIssue(issue);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Where an issue's field is shown in the editor. */
function ruleField(field: string | undefined): RuleField {
  if (field === 'reply') return 'reply';
  if (field === 'delayMs') return 'delay';
  if (field === 'close') return 'close';
  if (field === 'replyBytes') return 'reply';
  if (field === 'state') return 'state';
  if (field === 'then') return 'then';
  // name, pattern, and anything else about the rule belong to its match field.
  return 'match';
}

/** The schema speaks of the file's keys; the editor's field is labelled "Delay (ms)". */
function fieldMessage(message: string): string {
  return message.replace(/^delayMs\b/, 'delay');
}

/** Places issues (the draft's own, or main's) on the draft's fields. */
export function placeIssues(draft: TableDraft, issues: readonly TableIssue[]): PlacedIssues {
  const placed: PlacedIssues = { rules: {}, framing: {}, push: {}, general: [], count: 0 };
  for (const issue of issues) {
    const rule = issue.rule === undefined ? undefined : draft.rules[issue.rule];
    if (rule) {
      const fields = (placed.rules[rule.id] ??= {});
      const field = ruleField(issue.field);
      if (fields[field] === undefined) {
        fields[field] = fieldMessage(issue.message);
        placed.count++;
      }
    } else if (issue.rule === undefined && issue.field === 'unknown') {
      if (placed.unknown === undefined) placed.count++;
      placed.unknown ??= issue.message;
    } else if (issue.rule === undefined && issue.field === 'builtins') {
      if (placed.builtins === undefined) placed.count++;
      placed.builtins ??= issue.message;
    } else if (issue.rule === undefined && placeConversation(draft, placed, issue)) {
      continue;
    } else {
      placed.general.push(describeTableIssue(issue));
      placed.count++;
    }
  }
  return placed;
}

const FRAMING_FIELDS: Record<string, FramingField> = {
  'framing.delimiter': 'delimiter',
  'framing.fixed': 'fixed',
  'framing.lengthField.offset': 'offset',
  'framing.lengthField.bytes': 'size',
  'framing.lengthField.endian': 'endian',
  'framing.lengthField.adjust': 'adjust',
  'framing.raw.gapMs': 'gapMs',
};

/** Places an issue about the framing, reply ending, greeting or a push; false when it is about none. */
function placeConversation(draft: TableDraft, placed: PlacedIssues, issue: TableIssue): boolean {
  const field = issue.field ?? '';
  const first = <K extends string>(fields: Partial<Record<K, string>>, key: K): void => {
    if (fields[key] === undefined) {
      fields[key] = issue.message;
      placed.count++;
    }
  };
  if (field === 'framing' || field.startsWith('framing.') || field.startsWith('framing[')) {
    const key = FRAMING_FIELDS[field] ?? 'kind';
    // The union's "none of the kinds" says less than the chosen kind's own issue at its field.
    if (key === 'kind' && Object.keys(placed.framing).length > 0) return true;
    first(placed.framing, key);
    return true;
  }
  if (field === 'replyEnding' || field === 'greeting') {
    if (placed[field] === undefined) placed.count++;
    placed[field] ??= issue.message;
    return true;
  }
  const push = /^push\[(\d+)\](?:\.(\w+))?/.exec(field);
  const entry = push ? draft.push[Number(push[1])] : undefined;
  if (push && entry) {
    const key = push[2] === 'everyMs' ? 'every' : push[2] === 'state' ? 'state' : 'reply';
    first((placed.push[entry.id] ??= {}), key);
    return true;
  }
  return false;
}
