/**
 * The connection log as files: JSON Lines and CSV, with the durable log's
 * field names (`seq`, `at`, `conn`, `remote`, `kind`, `detail`) and each
 * row's facts as typed fields: `dir` (`in` or `out`), `text` exactly as on
 * the wire (real line breaks, nothing escaped), `bytes`, and for a close
 * its `reason`, `bytesIn`, `bytesOut` and `durationMs`. A JSON Lines export
 * reads like the log file (`at` in milliseconds since the epoch); CSV writes
 * `at` as ISO 8601 in UTC, for spreadsheets. docs/window.md describes both.
 */
import type { LogRecord } from '../../../electron/shared/ipc/models';

export type ExportFormat = 'jsonl' | 'csv';

/** The columns, in order; a field a row does not have is left out of JSON and empty in CSV. */
export const EXPORT_FIELDS = [
  'seq',
  'at',
  'conn',
  'remote',
  'kind',
  'dir',
  'text',
  'bytes',
  'reason',
  'bytesIn',
  'bytesOut',
  'durationMs',
  'detail',
] as const satisfies readonly (keyof LogRecord)[];

export const CSV_HEADER = EXPORT_FIELDS;

/**
 * Excel (the usual reader of a CSV file) takes a file without a byte-order
 * mark for the local code page and garbles anything beyond ASCII.
 */
const BOM = '\uFEFF';

type ExportRow = Partial<Record<(typeof EXPORT_FIELDS)[number], string | number>>;

/** One row's exported fields, in column order. */
export function exportRow(e: LogRecord): ExportRow {
  // Rows read back from a log file have no direction of their own; their kind says it.
  const dir = e.dir ?? (e.kind === 'line' ? 'in' : e.kind === 'reply' ? 'out' : undefined);
  const row: ExportRow = {};
  for (const field of EXPORT_FIELDS) {
    const value = field === 'dir' ? dir : e[field];
    if (value !== undefined) row[field] = value;
  }
  return row;
}

/** One JSON object per line; ends with a newline. */
export function toJsonLines(entries: readonly LogRecord[]): string {
  let out = '';
  for (const e of entries) out += `${JSON.stringify(exportRow(e))}\n`;
  return out;
}

/** RFC 4180: a header, CRLF line ends, fields quoted where needed. */
export function toCsv(entries: readonly LogRecord[]): string {
  return `${csvHead()}${csvRows(entries)}`;
}

/** What a CSV file starts with: the byte-order mark and the header line. */
export function csvHead(): string {
  return `${BOM}${CSV_HEADER.join(',')}\r\n`;
}

/** CSV lines of `entries`, each ending in CRLF, without the header: for a file written in parts. */
export function csvRows(entries: readonly LogRecord[]): string {
  let out = '';
  for (const e of entries) {
    const row = exportRow(e);
    out += EXPORT_FIELDS.map((f) => {
      const value = row[f];
      if (value === undefined) return '';
      if (f === 'at') return new Date(Number(value)).toISOString();
      return typeof value === 'number' ? String(value) : csvField(value);
    }).join(',');
    out += '\r\n';
  }
  return out;
}

/**
 * One CSV field. Quoted when it holds a comma, a quote or a line break, with
 * quotes doubled. A field that starts like a formula gets a leading
 * apostrophe: the text is whatever a network client typed, and a
 * spreadsheet would otherwise run `=HYPERLINK(…)` or `@SUM(…)` when the file
 * is opened (CSV injection). The JSON Lines export keeps the text exact.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function formatLog(format: ExportFormat, entries: readonly LogRecord[]): string {
  return format === 'csv' ? toCsv(entries) : toJsonLines(entries);
}

export const MIME_TYPES: Readonly<Record<ExportFormat, string>> = {
  jsonl: 'application/jsonl',
  csv: 'text/csv',
};

/**
 * `switchboard-log-20250102-030405.csv` in local time; `-previous` for the
 * previous run's rows, `-shown` for a filtered export, `-run` for all rows
 * of this run read from the log file.
 */
export function exportFileName(
  format: ExportFormat,
  scope: { filtered: boolean; previous: boolean; run?: boolean },
  now: Date,
): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp =
    `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-` +
    `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  const parts = [
    'switchboard-log',
    scope.previous ? 'previous' : '',
    scope.run ? 'run' : '',
    scope.filtered ? 'shown' : '',
    stamp,
  ];
  return `${parts.filter(Boolean).join('-')}.${format}`;
}
