/**
 * Switches the window between the server (settings, log, client) and the
 * command table editor. It sits in the top bar, so Start, Stop and the
 * status stay in sight in both.
 */
import type { ReactElement } from 'react';
import './view-switch.css';

export type View = 'server' | 'commands';

const VIEWS: readonly { view: View; label: string }[] = [
  { view: 'server', label: 'Server' },
  { view: 'commands', label: 'Commands' },
];

interface ViewSwitchProps {
  view: View;
  onChange: (view: View) => void;
  /** Marks the Commands button while the table has unapplied changes. */
  unapplied: boolean;
}

export function ViewSwitch({ view, onChange, unapplied }: ViewSwitchProps): ReactElement {
  return (
    <nav className="view-switch" aria-label="Views">
      {VIEWS.map((v) => (
        <button
          key={v.view}
          type="button"
          className="view-switch-button"
          aria-current={v.view === view ? 'page' : undefined}
          aria-describedby={v.view === 'commands' && unapplied ? 'view-unapplied' : undefined}
          onClick={() => onChange(v.view)}
        >
          {v.label}
          {v.view === 'commands' && unapplied ? (
            <span className="view-switch-dot" aria-hidden="true" />
          ) : null}
        </button>
      ))}
      {/*
        Read as a description, so the button's name stays exactly "Commands". Hidden: a
        description may point at hidden text, and hidden text is never read on its own.
      */}
      <span id="view-unapplied" hidden>
        unapplied changes
      </span>
    </nav>
  );
}
