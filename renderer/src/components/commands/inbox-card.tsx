/**
 * The unknown-command inbox: lines no rule answered, most frequent first,
 * each one click away from a rule of its own.
 */
import { useState, type ReactElement } from 'react';
import type { UnknownLine } from '../../../../electron/shared/ipc/models';
import { formatCount, formatTimestamp, plural } from '../../lib/format';
import { displayLine } from './unknown-line';

interface InboxCardProps {
  inbox: readonly UnknownLine[];
  /** The rule that answers a line since it came (1-based), or null. */
  answeredBy: (line: string) => number | null;
  onMakeRule: (line: string) => void;
  onClear: () => Promise<string | null>;
}

export function InboxCard({ inbox, answeredBy, onMakeRule, onClear }: InboxCardProps): ReactElement {
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="card inbox-card">
      <header className="card-header">
        <h2 className="card-title" id="inbox-title">
          Unknown lines
        </h2>
        {inbox.length > 0 ? <span className="inbox-total">{formatCount(inbox.length)}</span> : null}
        <button
          type="button"
          className="button button--small button--quiet inbox-clear"
          disabled={inbox.length === 0}
          aria-label="Clear inbox"
          onClick={() => void onClear().then(setError)}
        >
          Clear
        </button>
      </header>
      {inbox.length === 0 ? (
        <p className="card-footnote">Lines that no rule answers gather here, counted.</p>
      ) : (
        <ul className="inbox" aria-labelledby="inbox-title">
          {inbox.map((item) => {
            const shown = displayLine(item.line);
            const rule = answeredBy(item.line);
            return (
              <li
                key={item.line}
                className={`inbox-item${rule === null ? '' : ' inbox-item--answered'}`}
                title={`Last seen ${formatTimestamp(item.lastAt)}`}
              >
                <code className="inbox-line" title={shown}>
                  {shown}
                </code>
                <span className="inbox-count">
                  <span aria-hidden="true">{formatCount(item.count)}×</span>
                  <span className="sr-only">{`, seen ${plural(item.count, 'time')}`}</span>
                </span>
                {rule === null ? (
                  <button
                    type="button"
                    className="button button--small inbox-make"
                    aria-label={`Make rule for ${shown}`}
                    onClick={() => onMakeRule(item.line)}
                  >
                    Make rule
                  </button>
                ) : (
                  // Still listed (the server keeps counting what came before), but no longer unknown.
                  <span className="inbox-answered">Rule {rule}</span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {error ? (
        <p className="field-error" role="alert">
          Not cleared: {error}
        </p>
      ) : null}
    </section>
  );
}
