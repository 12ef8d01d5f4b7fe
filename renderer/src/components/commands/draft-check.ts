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
  describeTableIssue,
  type CommandRule,
  type CommandTable,
  type TableIssue,
} from '../../../../electron/shared/protocol/command-table';
import { tableFromDraft, type TableDraft } from './table-draft';

export type RuleField = 'match' | 'reply' | 'delay' | 'close';

export interface PlacedIssues {
  /** The first message for each field of each rule, by rule id. */
  rules: Record<string, Partial<Record<RuleField, string>>>;
  unknown?: string;
  builtins?: string;
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

export function checkDraft(draft: TableDraft): DraftCheck {
  const table = tableFromDraft(draft);
  const full = checkTable(table);
  if (full.ok) return { ok: true, table, issues: [] };

  const issues: TableIssue[] = [];
  const alone = table.commands.map((rule, index) => {
    const check = checkTable({ commands: [rule] });
    if (!check.ok) issues.push(...check.issues.map((issue) => ({ ...issue, rule: index })));
    return check.ok;
  });
  // Every probe passes on its own, so what this finds needs the rules side by side:
  // name clashes, and the table's own limits.
  const together = checkTable({
    commands: table.commands.map((rule, i) => nameProbe(rule, alone[i] === true)),
    ...(table.builtins ? { builtins: table.builtins } : {}),
  });
  if (!together.ok) issues.push(...together.issues);
  if (table.unknown !== undefined) {
    const check = checkTable({ commands: [], unknown: table.unknown });
    if (!check.ok) issues.push(...check.issues);
  }
  // Never say "fix the problems" without showing one.
  return { ok: false, table, issues: issues.length > 0 ? issues : full.issues };
}

/** Where an issue's field is shown in the editor. */
function ruleField(field: string | undefined): RuleField {
  if (field === 'reply') return 'reply';
  if (field === 'delayMs') return 'delay';
  if (field === 'close') return 'close';
  // name, pattern, and anything else about the rule belong to its match field.
  return 'match';
}

/** The schema speaks of the file's keys; the editor's field is labelled "Delay (ms)". */
function fieldMessage(message: string): string {
  return message.replace(/^delayMs\b/, 'delay');
}

/** Places issues (the draft's own, or main's) on the draft's fields. */
export function placeIssues(draft: TableDraft, issues: readonly TableIssue[]): PlacedIssues {
  const placed: PlacedIssues = { rules: {}, general: [], count: 0 };
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
    } else {
      placed.general.push(describeTableIssue(issue));
      placed.count++;
    }
  }
  return placed;
}
