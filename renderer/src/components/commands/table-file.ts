/**
 * Command table files (docs/command-tables.md): what Export writes and what Import
 * makes of a file the user picks.
 */
import {
  TABLE_SCHEMA_ID,
  checkTable,
  commandTableSchema,
  describeTableIssue,
  parseTableFile,
  type CommandTable,
  type TableIssue,
} from '../../../../electron/shared/protocol/command-table';
import { parseJson } from '../../../../electron/shared/protocol/json-location';

/** The file's text: the table with its schema first, indented, ending with a newline. */
export function tableFileText(table: CommandTable): string {
  // Listed first so it leads the file; set again in case the table carried another.
  const file = { $schema: TABLE_SCHEMA_ID, ...table };
  file.$schema = TABLE_SCHEMA_ID;
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** A file name from the table's name: `classic.json`, `my-modem.json`, else `command-table.json`. */
export function tableFileName(table: CommandTable): string {
  const slug = (table.name ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${slug || 'command-table'}.json`;
}

export type ImportResult =
  /** `issues` are problems the editor can show and the user can fix there. */
  | { ok: true; table: CommandTable; issues: TableIssue[] }
  /** Nothing was loaded; `messages` name each place (line and column, or rule and field). */
  | { ok: false; messages: string[] };

/**
 * Reads a picked file's text. A file the server would take is loaded; so is
 * one that has the right shape but, say, a bad pattern or a duplicate name,
 * because the editor shows those next to their fields and the user fixes
 * them there. Broken JSON or the wrong shape cannot be shown as a table and
 * is refused with the place of each issue.
 */
export function readTableFile(text: string): ImportResult {
  const parsed = parseTableFile(text);
  if (parsed.ok) return { ok: true, table: parsed.table, issues: [] };
  const json = parseJson(text);
  const shaped = json.ok ? commandTableSchema.safeParse(json.value) : null;
  if (shaped?.success) {
    const check = checkTable(shaped.data);
    return { ok: true, table: shaped.data, issues: check.ok ? [] : check.issues };
  }
  return { ok: false, messages: parsed.issues.map(describeTableIssue) };
}
