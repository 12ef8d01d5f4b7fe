/**
 * Icons for the rule actions, drawn like the window's others (icons.tsx):
 * decorative, since every button that shows one has its own accessible name.
 */
import type { ReactElement } from 'react';
import { Svg } from '../icons';

export function MoveUpIcon(): ReactElement {
  return (
    <Svg>
      <path d="M8 13V3M4 7l4-4 4 4" />
    </Svg>
  );
}

export function MoveDownIcon(): ReactElement {
  return (
    <Svg>
      <path d="M8 3v10M4 9l4 4 4-4" />
    </Svg>
  );
}

export function DuplicateIcon(): ReactElement {
  return (
    <Svg>
      <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" />
      <path d="M10.5 3.5v-.5A1.5 1.5 0 0 0 9 1.5H4A1.5 1.5 0 0 0 2.5 3v5A1.5 1.5 0 0 0 4 9.5h.5" />
    </Svg>
  );
}

export function DeleteIcon(): ReactElement {
  return (
    <Svg>
      <path d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.6 8.5h5.8l.6-8.5" />
    </Svg>
  );
}

export function PlusIcon(): ReactElement {
  return (
    <Svg>
      <path d="M8 3v10M3 8h10" />
    </Svg>
  );
}
