/**
 * The server status line. Its text is exactly what main says (`Running on
 * HOST:PORT`, `Stopped`, or the start error); colour only repeats it.
 */
import type { ReactElement } from 'react';
import type { ServerStatus } from '../../../electron/shared/ipc/models';

export function StatusPill({ status }: { status: ServerStatus }): ReactElement {
  return (
    <div
      role="status"
      aria-label="Server status"
      className={`status-pill status-pill--${status.state}`}
      title={status.text}
    >
      <span className="status-dot" aria-hidden="true" />
      <span className="status-text">{status.text}</span>
    </div>
  );
}
