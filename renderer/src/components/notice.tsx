/** A banner under the top bar: a problem to know about, optionally dismissible. */
import type { ReactElement, ReactNode } from 'react';
import { CloseIcon, InfoIcon, WarningIcon } from './icons';
import './notice.css';

interface NoticeProps {
  tone: 'warning' | 'danger' | 'info';
  title: string;
  children: ReactNode;
  /** The dismiss button's accessible name; each notice needs its own. */
  dismissLabel?: string;
  onDismiss?: () => void;
  /** Alerts interrupt a screen reader; notes wait to be found. */
  role?: 'alert' | 'note';
}

export function Notice({
  tone,
  title,
  children,
  dismissLabel,
  onDismiss,
  role = 'note',
}: NoticeProps): ReactElement {
  return (
    <div className={`notice notice--${tone}`} role={role}>
      {tone === 'info' ? <InfoIcon className="notice-icon" /> : <WarningIcon className="notice-icon" />}
      <p className="notice-text">
        <strong>{title}</strong> {children}
      </p>
      {onDismiss ? (
        <button
          type="button"
          className="icon-button"
          aria-label={dismissLabel ?? 'Dismiss'}
          onClick={onDismiss}
        >
          <CloseIcon />
        </button>
      ) : null}
    </div>
  );
}
