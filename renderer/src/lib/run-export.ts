/**
 * "Export → All rows of this run": every row of this run the durable log
 * files still hold, read from main a page at a time and gathered into one
 * Blob (which the browser keeps outside the page's memory), with a note of
 * what the file covers and what it does not (docs/window.md).
 */
import type { InvokeRequest } from '../../../electron/shared/ipc/ipc-contract';
import type { LogRetention, RunLogPage } from '../../../electron/shared/ipc/models';
import { formatCount, plural } from './format';
import { csvHead, csvRows, MIME_TYPES, toJsonLines, type ExportFormat } from './log-export';

/** One page after `afterSeq` (see log-reader.ts); the first leaves out `untilSeq` and `resume`. */
export type ReadRunPage = (req: InvokeRequest<'log:runPage'>) => Promise<RunLogPage>;

export interface RunExport {
  blob: Blob;
  rows: number;
  /** Rows of this run up to the export's last that no log file holds. */
  missing: number;
  damaged: number;
  problem?: string;
}

/** Reads every page and formats it as it comes; `onProgress` hears the rows so far. */
export async function exportRun(
  format: ExportFormat,
  readPage: ReadRunPage,
  onProgress: (rows: number) => void = () => undefined,
): Promise<RunExport> {
  let blob = new Blob(format === 'csv' ? [csvHead()] : [], { type: `${MIME_TYPES[format]};charset=utf-8` });
  let rows = 0;
  let missing = 0;
  let damaged = 0;
  let page = await readPage({ afterSeq: 0 });
  for (;;) {
    rows += page.rows.length;
    missing += page.missing;
    damaged += page.damaged;
    const text = format === 'csv' ? csvRows(page.rows) : toJsonLines(page.rows);
    // Blob of a Blob and a string: the parts so far are not copied into the page's heap again.
    blob = new Blob([blob, text], { type: blob.type });
    onProgress(rows);
    if (page.done || page.problem) break;
    const next = await readPage({
      afterSeq: page.lastSeq,
      untilSeq: page.untilSeq,
      ...(page.resume ? { resume: page.resume } : {}),
    });
    // A page that moves no further would loop for ever.
    if (!next.done && next.lastSeq <= page.lastSeq) {
      return { blob, rows, missing, damaged, problem: 'the log file stopped moving forward' };
    }
    page = next;
  }
  return { blob, rows, missing, damaged, ...(page.problem ? { problem: page.problem } : {}) };
}

/**
 * What an export of this run covers, in words: how many rows, from where,
 * and the rows it lacks, named by why (retention's counts say which).
 */
export function runExportText(e: Omit<RunExport, 'blob'>, retention: LogRetention | null): string {
  const parts = [`Exported all ${plural(e.rows, 'row')} of this run the log file holds.`];
  if (e.missing > 0) {
    const why =
      retention && retention.rowsDropped > 0
        ? retention.rowsRotatedAway > 0
          ? 'rotated away or never written'
          : 'never written'
        : 'rotated away';
    parts.push(
      `${plural(e.missing, 'row')} of this run ${e.missing === 1 ? 'is' : 'are'} not in it (${why}).`,
    );
  }
  if (e.damaged > 0) parts.push(`${plural(e.damaged, 'damaged line')} skipped.`);
  if (e.problem) parts.push(`It stopped early: ${e.problem}.`);
  return parts.join(' ');
}

/** While pages arrive. */
export function runProgressText(rows: number): string {
  return `Reading this run’s rows from the log file… ${formatCount(rows)} so far.`;
}
