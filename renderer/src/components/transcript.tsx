/**
 * The test client's conversation: a timestamped stream, in the order things
 * happened, of what was sent (→) and what was received (←), each row with
 * its time, and the connection's comings and goings. Received bytes are
 * shown where they arrived, never filed under a command; a round-trip time
 * appears only where main could tell which send they answer. With Hex on,
 * each row shows its bytes beside its text.
 */
import { memo, type ReactElement } from 'react';
import type { ClientEvent } from '../../../electron/shared/ipc/models';
import { useStickToBottom } from '../hooks/use-stick-to-bottom';
import { formatClock, formatCount, formatMillis, formatTimestamp } from '../lib/format';
import { ScrollToNewest } from './scroll-to-newest';

interface TranscriptProps {
  events: readonly ClientEvent[];
  /** A send main refused (bad address, connect failure), shown once, after the rows. */
  sendError: string | null;
  /** Each sent and received row's bytes, in hex, beside its text. */
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
        className={`transcript${hex ? ' transcript--hex' : ''}`}
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

const DIRECTION: Partial<Record<ClientEvent['kind'], { mark: string; words: string }>> = {
  sent: { mark: '→', words: 'Sent' },
  reply: { mark: '←', words: 'Received' },
};

const TranscriptLine = memo(function TranscriptLine({
  event,
  hex,
}: {
  event: ClientEvent;
  hex: boolean;
}): ReactElement {
  const direction = DIRECTION[event.kind];
  const showHex = hex && event.hex !== undefined;
  return (
    <li
      className={`t-line t-line--${event.kind}${showHex ? ' t-line--hex' : ''}`}
      data-kind={event.kind}
      data-unterminated={event.unterminated ? 'true' : undefined}
      title={lineTitle(event)}
    >
      <time className="t-time" dateTime={new Date(event.at).toISOString()}>
        {formatClock(event.at)}
        <span className="t-ms">{formatMillis(event.at)}</span>
      </time>
      {direction ? (
        <span className="t-dir">
          <span aria-hidden="true">{direction.mark}</span>
          <span className="sr-only">{direction.words}</span>
        </span>
      ) : (
        <span className="t-dir" aria-hidden="true" />
      )}
      <span className="t-body">
        {/* Text, never markup: replies come from whatever server the client talks to. */}
        <span className="t-text">{event.text}</span>
        {showHex ? <span className="t-hex">{event.hex}</span> : null}
        <RowMarks event={event} />
      </span>
    </li>
  );
});

/** What a row's text alone would not say: no line end, bytes left out, how it was typed, the RTT. */
function RowMarks({ event }: { event: ClientEvent }): ReactElement | null {
  const marks: string[] = [];
  if (event.inputMode) marks.push(event.inputMode === 'hex' ? 'as hex' : 'with escapes');
  if (event.continued) marks.push('continued');
  if (event.unterminated) marks.push('no line end');
  if (event.omitted) marks.push(`${formatCount(event.omitted)} more bytes not shown`);
  if (event.rttMs !== undefined) marks.push(`RTT ${formatRtt(event.rttMs)}`);
  if (marks.length === 0) return null;
  return (
    <span className="t-marks">
      {marks.map((mark) => (
        <span key={mark} className={`t-mark${mark.startsWith('RTT') ? ' t-mark--rtt' : ''}`}>
          {mark}
        </span>
      ))}
    </span>
  );
}

/** The hover text: when, and for sent and received rows how many bytes. */
function lineTitle(event: ClientEvent): string {
  const when = formatTimestamp(event.at);
  if (event.bytes === undefined) return when;
  return `${when} · ${formatCount(event.bytes)} ${event.bytes === 1 ? 'byte' : 'bytes'}`;
}

export function formatRtt(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${formatCount(Math.round(ms))} ms`;
}
