/**
 * The connection log: one row per event, newest at the bottom, following new
 * rows unless the user has scrolled up to read.
 */
import { memo, type ReactElement } from 'react';
import type { LogEntry, ServerStats } from '../../../electron/shared/models';
import { useStickToBottom } from '../hooks/use-stick-to-bottom';
import { formatClock, formatMillis, formatTimestamp } from '../lib/format';
import { ScrollToNewest } from './scroll-to-newest';
import { StatsBar } from './stats-bar';
import './connection-log.css';

interface ConnectionLogProps {
  entries: readonly LogEntry[];
  stats: ServerStats;
  running: boolean;
}

export function ConnectionLog({ entries, stats, running }: ConnectionLogProps): ReactElement {
  const newest = entries[entries.length - 1]?.seq ?? 0;
  const { ref, onScroll, detached, jumpToBottom } = useStickToBottom<HTMLDivElement>(newest);
  return (
    <section className="pane log-pane">
      <header className="pane-header">
        <h2 className="pane-title">Connection log</h2>
        <StatsBar stats={stats} />
      </header>
      <div className="pane-body">
        {/* Focusable so the keyboard can scroll it. */}
        <div
          role="log"
          aria-label="Connection log"
          className="log"
          ref={ref}
          onScroll={onScroll}
          tabIndex={0}
        >
          {entries.length === 0 ? (
            <p className="empty">
              {running
                ? 'Waiting for connections. Send a command from the test client to see it here.'
                : 'No events yet. Start the server, then connect to it.'}
            </p>
          ) : (
            <ol className="log-rows">
              {entries.map((entry) => (
                <LogRow key={entry.seq} entry={entry} />
              ))}
            </ol>
          )}
        </div>
        {detached ? <ScrollToNewest label="Newest log rows" onClick={jumpToBottom} /> : null}
      </div>
    </section>
  );
}

/** Rows never change once shown, so memo keeps a busy log from re-rendering all 2000. */
const LogRow = memo(function LogRow({ entry }: { entry: LogEntry }): ReactElement {
  const server = entry.conn === 0;
  return (
    <li className={`log-row log-row--${entry.kind}`}>
      <time
        className="log-time"
        dateTime={new Date(entry.at).toISOString()}
        title={formatTimestamp(entry.at)}
      >
        {formatClock(entry.at)}
        <span className="log-ms">{formatMillis(entry.at)}</span>
      </time>
      <span className="log-conn">{server ? '' : `#${entry.conn}`}</span>
      <span className={`log-remote${server ? ' log-remote--server' : ''}`} title={entry.remote || undefined}>
        {server ? 'server' : entry.remote || '—'}
      </span>
      <span className="log-kind">{entry.kind}</span>
      <span className="log-detail">{entry.detail}</span>
    </li>
  );
});
