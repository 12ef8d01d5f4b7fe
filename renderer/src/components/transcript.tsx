/**
 * The test client's transcript: what was sent, every reply line, and the
 * connection's comings and goings, each styled by kind.
 */
import { memo, type ReactElement } from 'react';
import type { ClientEvent } from '../../../electron/shared/ipc/models';
import { useStickToBottom } from '../hooks/use-stick-to-bottom';
import { formatTimestamp } from '../lib/format';
import { ScrollToNewest } from './scroll-to-newest';

interface TranscriptProps {
  events: readonly ClientEvent[];
  /** A send main refused (bad address, connect failure), shown after the lines. */
  sendError: string | null;
  /** Sent and reply lines as the bytes on the wire, in hex, instead of text. */
  hex?: boolean;
}

export function Transcript({ events, sendError, hex = false }: TranscriptProps): ReactElement {
  const newest = events[events.length - 1]?.seq ?? 0;
  const { ref, onScroll, detached, jumpToBottom } = useStickToBottom<HTMLDivElement>(
    `${newest}:${sendError ?? ''}`,
  );
  return (
    <div className="pane-body">
      <div
        role="log"
        aria-label="Client transcript"
        className="transcript"
        ref={ref}
        onScroll={onScroll}
        tabIndex={0}
      >
        {events.length === 0 && !sendError ? (
          <p className="empty">
            Type a command below, such as <kbd>HELP</kbd>, and press <kbd>Enter</kbd>.
          </p>
        ) : (
          <ol className="transcript-lines">
            {events.map((event) => (
              <TranscriptLine key={event.seq} event={event} hex={hex} />
            ))}
          </ol>
        )}
        {sendError ? (
          <p className="t-line t-line--error t-line--local" role="alert">
            <span className="t-text">{sendError}</span>
          </p>
        ) : null}
      </div>
      {detached ? <ScrollToNewest label="Newest replies" onClick={jumpToBottom} /> : null}
    </div>
  );
}

const TranscriptLine = memo(function TranscriptLine({
  event,
  hex,
}: {
  event: ClientEvent;
  hex: boolean;
}): ReactElement {
  const bytes = hex ? event.hex : undefined;
  return (
    <li
      className={`t-line t-line--${event.kind}${bytes === undefined ? '' : ' t-line--hex'}`}
      data-kind={event.kind}
      title={lineTitle(event, bytes !== undefined)}
      // Drawn by CSS, so the line's text (and what a copy picks up) stays exactly what the server sent.
      data-rtt={event.rttMs === undefined ? undefined : formatRtt(event.rttMs)}
    >
      {event.kind === 'sent' ? (
        <span className="t-prompt" aria-hidden="true">
          ›{' '}
        </span>
      ) : null}
      {/* Text, never markup: replies come from whatever server the client talks to. */}
      <span className="t-text">{bytes ?? event.text}</span>
    </li>
  );
});

/** The hover text: when, and for sent and reply lines the other view (the bytes, or the text). */
function lineTitle(event: ClientEvent, showingHex: boolean): string {
  const when = formatTimestamp(event.at);
  if (!event.hex) return when;
  return `${when}\n${showingHex ? event.text : event.hex}`;
}

function formatRtt(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
