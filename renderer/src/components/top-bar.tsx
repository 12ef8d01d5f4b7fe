/** The window's header: name, server status, and the Start and Stop buttons. */
import type { ReactElement, ReactNode } from 'react';
import type { ServerStatus } from '../../../electron/shared/ipc/models';
import type { PendingAction } from '../hooks/use-switchboard';
import { serverActions } from '../lib/server-actions';
import { withShortcut } from '../lib/shortcuts';
import { LogoIcon, PlayIcon, StopIcon } from './icons';
import { StatusPill } from './status-pill';
import './top-bar.css';

interface TopBarProps {
  status: ServerStatus;
  pending: PendingAction;
  onStart: () => void;
  onStop: () => void;
  /** The view switch, between the name and the status. */
  nav?: ReactNode;
}

export function TopBar({ status, pending, onStart, onStop, nav }: TopBarProps): ReactElement {
  const can = serverActions(status.state, pending);
  return (
    <header className="top-bar">
      <div className="brand">
        <LogoIcon className="brand-logo" />
        <h1 className="brand-name">Switchboard</h1>
      </div>
      {nav}
      <StatusPill status={status} />
      <div className="top-bar-actions">
        <button
          type="button"
          className="button button--primary"
          disabled={!can.start}
          title={withShortcut('Start', 'start')}
          onClick={onStart}
        >
          <PlayIcon />
          Start
        </button>
        <button
          type="button"
          className="button"
          disabled={!can.stop}
          title={withShortcut('Stop', 'stop')}
          onClick={onStop}
        >
          <StopIcon />
          Stop
        </button>
      </div>
    </header>
  );
}
