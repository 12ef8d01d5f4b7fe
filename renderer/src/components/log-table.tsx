/**
 * The connection log's rows, virtualized: only the rows in view (and a few
 * either side) are in the document, so fifty thousand rows scroll as
 * smoothly as fifty. Every row is one line of fixed height; a long detail
 * is cut with an ellipsis and shown whole on hover and in the conversation
 * panel.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useState, type KeyboardEvent, type ReactElement, type ReactNode } from 'react';
import type { LogEntry } from '../../../electron/shared/ipc/models';
import { useStickToBottom } from '../hooks/use-stick-to-bottom';
import { formatClock, formatCount, formatMillis, formatTimestamp } from '../lib/format';
import { wireText } from '../lib/wire-text';
import { ArrowDownIcon } from './icons';
import { ScrollToNewest } from './scroll-to-newest';

/** Must match `.log-row`'s height in connection-log.css. */
export const LOG_ROW_HEIGHT = 22;

interface LogTableProps {
  rows: readonly LogEntry[];
  /** What the empty log says. */
  empty: ReactNode;
  /** Set while paused: rows that came since, and the way back to them. */
  paused?: { newCount: number; onResume: () => void };
  onShowConversation: (conn: number) => void;
}

export function LogTable({ rows, empty, paused, onShowConversation }: LogTableProps): ReactElement {
  const newest = rows[rows.length - 1]?.seq ?? 0;
  const { ref, onScroll, detached, jumpToBottom } = useStickToBottom<HTMLDivElement>(
    `${rows.length}:${newest}`,
  );
  // The window does not use the React Compiler, and nothing memoized receives the virtualizer's functions.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => ref.current,
    estimateSize: () => LOG_ROW_HEIGHT,
    getItemKey: (index) => rows[index]?.seq ?? index,
    overscan: 12,
    // The log opens at its newest rows (useStickToBottom starts attached); the virtualizer
    // scrolls to this offset when it takes the element, and 0 would detach the view.
    initialOffset: () => rows.length * LOG_ROW_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  // One `#N` button is in the tab order (the one last focused, else the first in view); arrows move between them.
  const [focusSeq, setFocusSeq] = useState<number | null>(null);
  const inView = items
    .map((item) => rows[item.index])
    .filter((e): e is LogEntry => e !== undefined && e.conn !== 0);
  const tabSeq = inView.some((e) => e.seq === focusSeq) ? focusSeq : (inView[0]?.seq ?? null);
  const onRowsKey = (event: KeyboardEvent<HTMLOListElement>): void => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const links = [...event.currentTarget.querySelectorAll<HTMLElement>('.log-conn-link')];
    const at = links.indexOf(document.activeElement as HTMLElement);
    if (at === -1) return;
    event.preventDefault();
    const next = links[event.key === 'ArrowDown' ? Math.min(at + 1, links.length - 1) : Math.max(at - 1, 0)];
    next?.focus();
  };

  let marker: ReactNode = null;
  if (paused && paused.newCount > 0) {
    marker = (
      <button
        type="button"
        className="scroll-to-newest log-new-marker"
        onClick={() => {
          paused.onResume();
          jumpToBottom();
        }}
      >
        <ArrowDownIcon />
        {formatCount(paused.newCount)} new
      </button>
    );
  } else if (!paused && detached) {
    marker = <ScrollToNewest label="Newest log rows" onClick={jumpToBottom} />;
  }

  return (
    <div className="pane-body log-body">
      <div className="log-row log-columns" aria-hidden="true">
        <span>Time</span>
        <span className="log-conn-head">Conn</span>
        <span>Remote</span>
        <span>Event</span>
        <span>Detail</span>
      </div>
      {/*
        Focusable so the keyboard can scroll it. Not live: virtualized rows
        mount as the user scrolls, and a busy server logs faster than anyone
        could listen; the transcript is the log that speaks.
      */}
      <div
        role="log"
        aria-label="Connection log"
        aria-live="off"
        className="log"
        ref={ref}
        onScroll={onScroll}
        tabIndex={0}
      >
        {rows.length === 0 ? (
          <p className="empty">{empty}</p>
        ) : (
          <ol className="log-rows" style={{ height: virtualizer.getTotalSize() }} onKeyDown={onRowsKey}>
            {items.map((item) => {
              const entry = rows[item.index];
              return entry ? (
                <LogRow
                  key={item.key}
                  entry={entry}
                  top={item.start}
                  position={item.index + 1}
                  total={rows.length}
                  tabbable={entry.seq === tabSeq}
                  onFocusConn={setFocusSeq}
                  onShowConversation={onShowConversation}
                />
              ) : null;
            })}
          </ol>
        )}
      </div>
      {marker}
    </div>
  );
}

interface LogRowProps {
  entry: LogEntry;
  top: number;
  position: number;
  total: number;
  /** The one `#N` button of the log in the tab order. */
  tabbable: boolean;
  onFocusConn: (seq: number) => void;
  onShowConversation: (conn: number) => void;
}

/** A row's text never changes, so memo keeps scrolling to a re-render of the rows that moved. */
const LogRow = memo(function LogRow({
  entry,
  top,
  position,
  total,
  tabbable,
  onFocusConn,
  onShowConversation,
}: LogRowProps): ReactElement {
  const server = entry.conn === 0;
  const detail = wireText(entry.detail);
  return (
    <li
      className={`log-row log-row--${entry.kind}`}
      // Positioned through the CSSOM (React sets element.style), which the CSP allows.
      style={{ transform: `translateY(${top}px)` }}
      aria-posinset={position}
      aria-setsize={total}
    >
      <time
        className="log-time"
        dateTime={new Date(entry.at).toISOString()}
        title={formatTimestamp(entry.at)}
      >
        {formatClock(entry.at)}
        <span className="log-ms">{formatMillis(entry.at)}</span>
      </time>
      {server ? (
        <span className="log-conn" />
      ) : (
        // One of them in the tab order (a busy log would be a long trap), the arrows move on.
        <button
          type="button"
          className="log-conn log-conn-link"
          tabIndex={tabbable ? 0 : -1}
          title={`Show the conversation of #${entry.conn}`}
          onFocus={() => onFocusConn(entry.seq)}
          onClick={() => onShowConversation(entry.conn)}
        >
          #{entry.conn}
        </button>
      )}
      <span className={`log-remote${server ? ' log-remote--server' : ''}`} title={entry.remote || undefined}>
        {server ? 'server' : entry.remote || '—'}
      </span>
      <span className="log-kind">{entry.kind}</span>
      {/* Text, never markup: control, bidi and invisible characters escaped, React escapes the rest. */}
      <span className="log-detail" title={detail}>
        {entry.listener !== undefined ? <span className="log-listener-tag">{entry.listener}</span> : null}
        {detail}
      </span>
    </li>
  );
});
