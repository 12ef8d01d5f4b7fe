/**
 * The connection log: filters, pause, export and the previous run's log
 * around a virtualized list of rows, and the conversation of the connection
 * the user picks.
 */
import { useCallback, useMemo, useState, type ReactElement } from 'react';
import type { LogRecord, LogRetention, PreviousLog } from '../../../electron/shared/ipc/models';
import { useLogView } from '../hooks/use-log-view';
import { usePreviousRun, type PreviousRun } from '../hooks/use-previous-run';
import { conversationOf } from '../lib/conversation';
import { downloadBlob, downloadText } from '../lib/download';
import { formatCount, messageOf, plural } from '../lib/format';
import { exportFileName, formatLog, MIME_TYPES, type ExportFormat } from '../lib/log-export';
import { exportRun, runExportText, runProgressText, type ReadRunPage } from '../lib/run-export';
import { ConnectionSend } from './connection-send';
import { ConversationPanel, type ConversationActions } from './conversation-panel';
import { ExportMenu, type ExportScope } from './export-menu';
import { EraseIcon, HistoryIcon, PauseIcon, PlayIcon } from './icons';
import { LogTable } from './log-table';
import { LogToolbar } from './log-toolbar';
import { Notice } from './notice';
import './connection-log.css';

interface ConnectionLogProps {
  entries: readonly LogRecord[];
  running: boolean;
  /** Rows main left out of batches (more came than the window can take); the log file got them. */
  skipped: number;
  /** What the log file holds of this run, when main can tell. */
  retention?: LogRetention | null;
  logFile: string;
  onClear: () => void;
  loadPrevious: () => Promise<PreviousLog>;
  /** This run's rows from the log file, a page at a time: offers "All rows of this run". */
  readRunPage?: ReadRunPage;
  /** Sending to, closing and making rules of connections (docs/window.md); none in the previous run. */
  connectionActions?: ConversationActions;
  /** The window's extra listeners' names: the log can show one listener's rows (docs/window.md). */
  listenerNames?: readonly string[];
}

export function ConnectionLog({
  entries,
  running,
  skipped,
  retention = null,
  logFile,
  onClear,
  loadPrevious,
  readRunPage,
  connectionActions,
  listenerNames = [],
}: ConnectionLogProps): ReactElement {
  const previous = usePreviousRun(loadPrevious);
  const past = previous.run.state === 'shown' ? previous.run.log : null;
  const source = past ? past.entries : entries;
  const view = useLogView(source);
  const [conversationConn, setConversationConn] = useState<number | null>(null);
  const conversation = useMemo(
    () => (conversationConn === null ? null : conversationOf(source, conversationConn)),
    [source, conversationConn],
  );
  const closeConversation = useCallback(() => setConversationConn(null), []);

  const { resume } = view;
  const openPrevious = (): void => {
    // Pausing is for the live log; the previous run's does not move.
    resume();
    setConversationConn(null);
    previous.open();
  };
  const backToLive = (): void => {
    setConversationConn(null);
    previous.close();
  };

  /** What the last export of this run covers, or how far it has got. */
  const [runNote, setRunNote] = useState<string | null>(null);
  const [sendOpen, setSendOpen] = useState(false);
  const onExport = (format: ExportFormat, scope: ExportScope): void => {
    if (scope === 'run' && readRunPage) {
      setRunNote(runProgressText(0));
      exportRun(format, readRunPage, (n) => setRunNote(runProgressText(n))).then(
        (done) => {
          downloadBlob(
            exportFileName(format, { filtered: false, previous: false, run: true }, new Date()),
            done.blob,
          );
          setRunNote(runExportText(done, retention));
        },
        (error: unknown) => setRunNote(`Could not export this run: ${messageOf(error)}`),
      );
      return;
    }
    const rows = scope === 'shown' ? view.rows : source;
    // The file says what it covers: its name, and for the previous run its first rows are the durable log's.
    const name = exportFileName(
      format,
      { filtered: scope === 'shown' && view.filtering, previous: past !== null },
      new Date(),
    );
    downloadText(name, formatLog(format, rows), MIME_TYPES[format]);
  };

  const live = previous.run.state === 'closed';
  const empty = emptyText({ past, filtering: view.filtering, running });

  return (
    <section className="pane log-pane" aria-labelledby="connection-log-title">
      <header className="pane-header log-header">
        <h2 className="pane-title" id="connection-log-title">
          Connection log
        </h2>
        {past ? <span className="log-badge">Previous run</span> : null}
        <span className="log-count">
          {view.filtering
            ? `${formatCount(view.rows.length)} of ${formatCount(source.length)}`
            : formatCount(source.length)}{' '}
          {source.length === 1 ? 'row' : 'rows'}
        </span>
        <div className="pane-actions">
          {live ? (
            <>
              <button
                type="button"
                className="button button--small button--quiet"
                onClick={view.paused ? view.resume : view.pause}
                title={
                  view.paused ? 'Show the rows that came while paused' : 'Hold the rows still to read them'
                }
              >
                {view.paused ? <PlayIcon /> : <PauseIcon />}
                {view.paused ? 'Resume' : 'Pause'}
              </button>
              <button
                type="button"
                className="button button--small button--quiet"
                aria-label="Clear log"
                title="Clear the log, here and after a reload (the log file keeps every row)"
                disabled={entries.length === 0}
                onClick={() => {
                  resume();
                  setConversationConn(null);
                  onClear();
                }}
              >
                <EraseIcon />
                <span className="button-text">Clear</span>
              </button>
            </>
          ) : null}
          <ExportMenu
            onExport={onExport}
            disabled={source.length === 0 && (past !== null || !readRunPage)}
            run={readRunPage !== undefined}
            shown={view.rows.length}
            all={source.length}
            filtering={view.filtering}
            previous={past !== null}
          />
          {live && running && connectionActions && connectionActions.unavailable === null ? (
            // The send row takes a line of the log's height: shown when asked for, not always.
            <button
              type="button"
              className="button button--small button--quiet"
              aria-pressed={sendOpen}
              title="Send a line or bytes to every open connection"
              onClick={() => setSendOpen((open) => !open)}
            >
              Send to all…
            </button>
          ) : null}
          {live ? (
            <button
              type="button"
              className="button button--small button--quiet"
              aria-label="Open previous run"
              title="Read back the log of the app’s previous run"
              onClick={openPrevious}
            >
              <HistoryIcon />
              <span className="button-text">Previous run</span>
            </button>
          ) : null}
        </div>
        <LogToolbar view={view} onShowConversation={setConversationConn} listenerNames={listenerNames} />
      </header>
      {live ? null : <PreviousRunNote run={previous.run} onBack={backToLive} />}
      {live && runNote ? (
        <p className="log-note" role="status" aria-label="Export of this run">
          {runNote}
        </p>
      ) : null}
      {sendOpen && live && running && connectionActions && connectionActions.unavailable === null ? (
        <div className="log-broadcast">
          <ConnectionSend target="all" unavailable={null} onSend={connectionActions.onSend} />
        </div>
      ) : null}
      {live && skipped > 0 ? (
        <p className="log-note" title={logFile ? `The log file: ${logFile}` : undefined}>
          {skippedText(skipped, retention)}
        </p>
      ) : null}
      <LogTable
        rows={view.rows}
        empty={empty}
        paused={view.paused ? { newCount: view.newCount, onResume: view.resume } : undefined}
        onShowConversation={setConversationConn}
      />
      {conversationConn === null ? null : (
        <ConversationPanel
          conn={conversationConn}
          conversation={conversation}
          onClose={closeConversation}
          {...(live && connectionActions ? { actions: connectionActions } : {})}
        />
      )}
    </section>
  );
}

/**
 * What became of the rows the window could not take, saying only what is
 * known: main counts exactly what the log files still hold of this run and
 * what rotation deleted; without those counts, no promise is made.
 */
export function skippedText(skipped: number, retention: LogRetention | null): string {
  const head = `${plural(skipped, 'row')} not shown in the window.`;
  if (!retention) return `${head} The log file received them; its rotation keeps only the newest files.`;
  const parts = [head, `The log files hold the newest ${plural(retention.rowsInFiles, 'row')} of this run.`];
  if (retention.rowsRotatedAway > 0) {
    parts.push(`Older rows were rotated away: ${formatCount(retention.rowsRotatedAway)}.`);
  }
  if (retention.rowsDropped > 0) {
    parts.push(`${plural(retention.rowsDropped, 'row')} never reached the file.`);
  }
  return parts.join(' ');
}

function emptyText(o: { past: PreviousLog | null; filtering: boolean; running: boolean }): string {
  if (o.past)
    return o.past.files.length === 0
      ? 'There is no previous run to show.'
      : 'The previous run logged nothing.';
  if (o.filtering) return 'No rows match the filters.';
  return o.running
    ? 'Waiting for connections. Send a command from the test client to see it here.'
    : 'No events yet. Start the server, then connect to it.';
}

/** What the previous-run view is showing, and the way back to the live log. */
function PreviousRunNote({ run, onBack }: { run: PreviousRun; onBack: () => void }): ReactElement {
  const back = (
    <button type="button" className="button button--small" onClick={onBack}>
      Back to live log
    </button>
  );
  if (run.state === 'failed') {
    return (
      <div className="log-previous">
        <Notice tone="danger" title="Could not open the previous run.">
          {run.error}
        </Notice>
        {back}
      </div>
    );
  }
  const log = run.state === 'shown' ? run.log : null;
  return (
    <div className="log-previous" role="note" aria-label="Previous run">
      <p className="log-previous-text">
        {log === null ? (
          'Reading the previous run’s log…'
        ) : (
          <>
            <strong>Read-only:</strong> {plural(log.entries.length, 'row')} of the app’s previous run
            {log.files.length > 0 ? (
              <span title={log.files.join('\n')}> from {fileName(log.files)}</span>
            ) : null}
            .
            {log.truncated > 0
              ? ` ${plural(log.truncated, 'older row')} left out here (they stay in the file).`
              : ''}
            {log.problem ? <span className="log-previous-problem"> {log.problem}.</span> : null}
          </>
        )}
      </p>
      {back}
    </div>
  );
}

function fileName(files: readonly string[]): string {
  const last = files[files.length - 1] ?? '';
  const base = last.split(/[\\/]/).pop() ?? last;
  return files.length > 1 ? `${base} and ${files.length - 1} more` : base;
}
