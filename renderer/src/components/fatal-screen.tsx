/** A full-window message for when the window cannot work at all. */
import type { ReactElement } from 'react';
import { LogoIcon } from './icons';
import './fatal-screen.css';

interface FatalScreenProps {
  title: string;
  message: string;
  onRetry?: () => void;
}

export function FatalScreen({ title, message, onRetry }: FatalScreenProps): ReactElement {
  return (
    <main className="fatal">
      <div className="fatal-card" role="alert">
        <LogoIcon className="fatal-logo" />
        <h1 className="fatal-title">{title}</h1>
        <p className="fatal-message">{message}</p>
        {onRetry ? (
          <button type="button" className="button button--primary" onClick={onRetry}>
            Try again
          </button>
        ) : null}
      </div>
    </main>
  );
}

export function LoadingScreen(): ReactElement {
  return (
    <main className="fatal" aria-busy="true">
      <p className="loading">Connecting to Switchboard…</p>
    </main>
  );
}
