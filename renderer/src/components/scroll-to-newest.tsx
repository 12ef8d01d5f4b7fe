/** The button that appears when a log is scrolled away from its newest rows. */
import type { ReactElement } from 'react';
import { ArrowDownIcon } from './icons';

export function ScrollToNewest({ label, onClick }: { label: string; onClick: () => void }): ReactElement {
  return (
    <button type="button" className="scroll-to-newest" onClick={onClick}>
      <ArrowDownIcon />
      {label}
    </button>
  );
}
