/**
 * One connection's whole conversation, in a panel at the window's right
 * edge: every line in and reply out with its time, then the bytes each way,
 * how long it lasted and why it closed. It follows new rows while the
 * connection is open.
 *
 * Fixed to the window, not the log pane, for the height a conversation
 * needs (so no ancestor of it may be a size container: that would hold it
 * in its box). It stays in the workspace's tree, so it hides with it.
 */
import { useEffect, useId, useRef, useState, type ReactElement } from 'react';
import type { LogEntry } from '../../../electron/shared/ipc/models';
import type { ConnectionOutcome, ConnectionSendRequest } from '../../../electron/shared/ipc/listener-tools';
import { ConnectionSend } from './connection-send';
import { splitReplyDetail, type Conversation } from '../lib/conversation';
import { formatBytes, formatClock, formatCount, formatMillis, formatTimestamp } from '../lib/format';
import { wireText } from '../lib/wire-text';
import { CloseIcon } from './icons';
import './conversation-panel.css';

/** What the window can do with a connection of its listener (docs/window.md). */
export interface ConversationActions {
  /** Why sending and closing are not possible now (stopped, forward mode), or null. */
  unavailable: string | null;
  onSend: (request: ConnectionSendRequest) => Promise<ConnectionOutcome>;
  onCloseConnection: (conn: number) => Promise<ConnectionOutcome>;
  /** Turns the conversation into rules in the editor. */
  onMakeRules: (conversation: Conversation) => void;
}

interface ConversationPanelProps {
  conn: number;
  /** Null when none of the connection's rows is in the window any more. */
  conversation: Conversation | null;
  onClose: () => void;
  actions?: ConversationActions;
}

export function ConversationPanel({
  conn,
  conversation,
  onClose,
  actions,
}: ConversationPanelProps): ReactElement {
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);

  // Focus goes to the panel when it opens (or shows another connection) and back where it was on close.
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    heading.current?.focus();
    return () => {
      if (before?.isConnected) before.focus();
    };
  }, [conn]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape' && !event.defaultPrevented) onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <aside className="conversation" aria-labelledby={titleId}>
      <header className="conversation-header">
        <h2 className="conversation-title" id={titleId} ref={heading} tabIndex={-1}>
          Conversation #{conn}
        </h2>
        {conversation?.remote ? <span className="conversation-remote">{conversation.remote}</span> : null}
        <button
          type="button"
          className="button button--small button--quiet conversation-close"
          onClick={onClose}
        >
          <CloseIcon />
          Close
        </button>
      </header>
      {conversation ? (
        <>
          <Summary conversation={conversation} />
          {actions ? <Actions conn={conn} conversation={conversation} actions={actions} /> : null}
          <ol className="conversation-rows" aria-label="Lines in and out">
            {conversation.rows.map((row) => (
              <ConversationRow key={row.seq} row={row} />
            ))}
          </ol>
        </>
      ) : (
        <p className="empty">
          The rows of #{conn} are no longer in the window (cleared, or older than it keeps).
        </p>
      )}
    </aside>
  );
}

function Summary({ conversation: c }: { conversation: Conversation }): ReactElement {
  const open = c.closedAt === null;
  const items: { label: string; value: string; title?: string }[] = [
    {
      label: 'Connected',
      value: c.openedAt === null ? 'before the window’s oldest row' : clock(c.openedAt),
      ...(c.openedAt === null ? {} : { title: formatTimestamp(c.openedAt) }),
    },
    {
      label: 'Duration',
      value: open ? 'still open' : c.durationMs === null ? '—' : formatDuration(c.durationMs),
    },
    { label: 'Lines in', value: formatCount(c.lines) },
    { label: 'Replies out', value: formatCount(c.replies) },
    {
      label: 'Bytes in',
      value: c.bytesIn === null ? (open ? 'when closed' : '—') : formatBytesExact(c.bytesIn),
    },
    {
      label: 'Bytes out',
      value: c.bytesOut === null ? (open ? 'when closed' : '—') : formatBytesExact(c.bytesOut),
    },
    { label: 'Closed', value: open ? 'not yet' : (c.closeReason ?? '—') },
  ];
  return (
    <dl className="conversation-summary">
      {items.map((item) => (
        <div key={item.label} className="conversation-fact">
          <dt>{item.label}</dt>
          <dd title={item.title}>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Actions({
  conn,
  conversation,
  actions,
}: {
  conn: number;
  conversation: Conversation;
  actions: ConversationActions;
}): ReactElement {
  const open = conversation.closedAt === null;
  const [closeError, setCloseError] = useState<string | null>(null);
  return (
    <div className="conversation-actions">
      <button
        type="button"
        className="button button--small"
        disabled={conversation.lines === 0}
        title="Each line it sent becomes a rule answering what came back; opens in the Commands editor"
        onClick={() => actions.onMakeRules(conversation)}
      >
        Make rules
      </button>
      {open ? (
        <>
          <button
            type="button"
            className="button button--small button--quiet"
            disabled={actions.unavailable !== null}
            title={actions.unavailable ?? `Close #${conn} as a closing rule would`}
            onClick={() =>
              void actions
                .onCloseConnection(conn)
                .then((outcome) => setCloseError(outcome.ok ? null : outcome.error))
            }
          >
            Close connection
          </button>
          <ConnectionSend target={conn} unavailable={actions.unavailable} onSend={actions.onSend} />
        </>
      ) : null}
      {closeError ? (
        <p className="connection-send-note connection-send-note--error" role="alert">
          {closeError}
        </p>
      ) : null}
    </div>
  );
}

const DIRECTION: Partial<Record<LogEntry['kind'], string>> = { line: 'in', reply: 'out' };
/** Forwarded rows: who sent it, and the label main put before its text. */
const FORWARDED: Record<'client' | 'upstream', { label: string; prefix: string }> = {
  client: { label: 'client', prefix: 'client → upstream: ' },
  upstream: { label: 'upstream', prefix: 'upstream → client: ' },
};

function forwardedOf(row: LogEntry): (typeof FORWARDED)['client'] | null {
  if (!('direction' in row)) return null;
  return row.direction === 'client' || row.direction === 'upstream' ? FORWARDED[row.direction] : null;
}

function ConversationRow({ row }: { row: LogEntry }): ReactElement {
  const forwarded = forwardedOf(row);
  if (forwarded) {
    const text = row.detail.startsWith(forwarded.prefix)
      ? row.detail.slice(forwarded.prefix.length)
      : row.detail;
    return (
      <li className={`conversation-row conversation-row--${row.kind}`}>
        <time
          className="conversation-time"
          dateTime={new Date(row.at).toISOString()}
          title={formatTimestamp(row.at)}
        >
          {clock(row.at)}
        </time>
        <span className="conversation-kind">{forwarded.label}</span>
        <span className="conversation-text">{wireText(text)}</span>
      </li>
    );
  }
  const direction = DIRECTION[row.kind];
  const reply = row.kind === 'reply' ? splitReplyDetail(row.detail) : null;
  return (
    <li className={`conversation-row conversation-row--${row.kind}`}>
      <time
        className="conversation-time"
        dateTime={new Date(row.at).toISOString()}
        title={formatTimestamp(row.at)}
      >
        {clock(row.at)}
      </time>
      <span className="conversation-kind">{direction ?? row.kind}</span>
      <span className="conversation-text">{wireText(reply ? reply.text : row.detail)}</span>
      {reply?.bytes != null ? (
        <span className="conversation-bytes">{formatBytesExact(reply.bytes)}</span>
      ) : null}
    </li>
  );
}

function clock(at: number): string {
  return `${formatClock(at)}${formatMillis(at)}`;
}

/** Exact below a kilobyte, where every byte of a short exchange counts. */
function formatBytesExact(bytes: number): string {
  return bytes < 1024 ? `${formatCount(bytes)} B` : formatBytes(bytes);
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 3 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}
