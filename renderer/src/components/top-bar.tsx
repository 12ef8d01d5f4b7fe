/** The window's header: name, server status, and the Start and Stop buttons. */
import type { ReactElement } from 'react';
import type { ServerStatus } from '../../../electron/shared/models';
import type { PendingAction } from '../hooks/use-switchboard';
import { LogoIcon, PlayIcon, StopIcon } from './icons';
import { StatusPill } from './status-pill';
import './top-bar.css';

interface TopBarProps {
  status: ServerStatus;
  pending: PendingAction;
  onStart: () => void;
  onStop: () => void;
}

export function TopBar({ status, pending, onStart, onStop }: TopBarProps): ReactElement {
  const { state } = status;
  // While main is still answering a Start or Stop, neither button may be pressed again.
  const canStart = pending === null && (state === 'stopped' || state === 'failed');
  const canStop = pending === null && (state === 'running' || state === 'starting' || state === 'stopping');
  return (
    <header className="top-bar">
      <div className="brand">
        <LogoIcon className="brand-logo" />
        <span className="brand-name">Switchboard</span>
      </div>
      <StatusPill status={status} />
      <div className="top-bar-actions">
        <button type="button" className="button button--primary" disabled={!canStart} onClick={onStart}>
          <PlayIcon />
          Start
        </button>
        <button type="button" className="button" disabled={!canStop} onClick={onStop}>
          <StopIcon />
          Stop
        </button>
      </div>
    </header>
  );
}
