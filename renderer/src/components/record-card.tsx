/**
 * Forwarding's own card (docs/window.md, "Forward mode"): where the
 * listener relays to, and the Record button. With Record on, what passes
 * becomes a command table when the listener stops, and it opens in the
 * editor.
 */
import type { ReactElement } from 'react';
import type { RecordState } from '../../../electron/shared/ipc/listener-tools';
import type { ServerStatus } from '../../../electron/shared/ipc/models';
import { plural } from '../lib/format';
import './listener-tools.css';

interface RecordCardProps {
  status: ServerStatus;
  /** The forward target as the settings hold it. */
  target: string;
  record: RecordState | null;
  onRecord: (on: boolean) => void;
}

export function RecordCard({ status, target, record, onRecord }: RecordCardProps): ReactElement {
  const running = status.state === 'running' && status.forward !== undefined;
  const on = record?.on ?? false;
  return (
    <section className="card" aria-labelledby="record-card-title">
      <header className="card-header">
        <h2 className="card-title" id="record-card-title">
          Forwarding
        </h2>
        {running ? <span className="card-badge">Relaying</span> : null}
      </header>
      <p className="card-footnote">
        {running
          ? `Every connection is relayed to ${status.forward ?? target}; the log shows both directions.`
          : `At Start, every connection is relayed to ${target.trim() || 'the upstream'}.`}
      </p>
      <button
        type="button"
        className={on ? 'button button--small button--recording' : 'button button--small'}
        aria-pressed={on}
        disabled={record === null}
        onClick={() => onRecord(!on)}
      >
        <span className="record-dot" aria-hidden="true" />
        Record
      </button>
      <p className="card-footnote" role="status">
        {!on
          ? 'Record turns what passes into a command table.'
          : record?.requests != null
            ? `Recording: ${plural(record.requests, 'request')} so far. Stop opens it in the editor.`
            : 'When the listener stops, the recording opens in the editor.'}
      </p>
    </section>
  );
}
