/**
 * The connection log as files: JSON Lines and CSV, with the same five
 * columns (time, connection, remote, event, detail) and ISO 8601 times in
 * UTC, so a row reads the same in both and in any time zone.
 */
import type { LogEntry } from '../../../electron/shared/ipc/models';

export type ExportFormat = 'jsonl' | 'csv';

export const CSV_HEADER = ['time', 'connection', 'remote', 'event', 'detail'] as const;

/**
 * Excel (the usual reader of a CSV file) takes a file without a byte-order
 * mark for the local code page and garbles anything beyond ASCII, such as
 * the ⏎ in multi-line replies.
 */
const BOM = '\uFEFF';

/** One JSON object per line, with the CSV's column names; ends with a newline. */
export function toJsonLines(entries: readonly LogEntry[]): string {
  const out: string[] = [];
  for (const e of entries) {
    out.push(
      JSON.stringify({
        time: new Date(e.at).toISOString(),
        connection: e.conn,
        remote: e.remote,
        event: e.kind,
        detail: e.detail,
      }),
    );
  }
  return out.map((line) => `${line}\n`).join('');
}

/** RFC 4180: a header, CRLF line ends, fields quoted where needed. */
export function toCsv(entries: readonly LogEntry[]): string {
  const out: string[] = [CSV_HEADER.join(',')];
  for (const e of entries) {
    out.push(
      [new Date(e.at).toISOString(), String(e.conn), e.remote, e.kind, e.detail].map(csvField).join(','),
    );
  }
  return `${BOM}${out.join('\r\n')}\r\n`;
}

/**
 * One CSV field. Quoted when it holds a comma, a quote or a line break, with
 * quotes doubled. A field that starts like a formula gets a leading
 * apostrophe: the detail is whatever a network client typed, and a
 * spreadsheet would otherwise run `=HYPERLINK(…)` or `@SUM(…)` when the file
 * is opened (CSV injection). The JSON Lines export keeps the text exact.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function formatLog(format: ExportFormat, entries: readonly LogEntry[]): string {
  return format === 'csv' ? toCsv(entries) : toJsonLines(entries);
}

export const MIME_TYPES: Readonly<Record<ExportFormat, string>> = {
  jsonl: 'application/jsonl',
  csv: 'text/csv',
};

/**
 * `switchboard-log-20250102-030405.csv` in local time; `-previous` for the
 * previous run's rows, `-shown` for a filtered export.
 */
export function exportFileName(
  format: ExportFormat,
  scope: { filtered: boolean; previous: boolean },
  now: Date,
): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp =
    `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-` +
    `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  const parts = ['switchboard-log', scope.previous ? 'previous' : '', scope.filtered ? 'shown' : '', stamp];
  return `${parts.filter(Boolean).join('-')}.${format}`;
}
