/**
 * The few icons the window uses, drawn inline so the strict CSP needs no
 * image sources. All are decorative: the text next to them names the action.
 */
import type { ReactElement, ReactNode } from 'react';

interface IconProps {
  className?: string;
}

/** The frame every icon shares: a 16-pixel stroke drawing, hidden from screen readers. */
export function Svg({ className, children }: IconProps & { children: ReactNode }): ReactElement {
  return (
    <svg
      className={className ?? 'icon'}
      viewBox="0 0 16 16"
      width="16"
      height="16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

/** A patch panel: two rows of jacks joined by a cord. */
export function LogoIcon({ className }: IconProps): ReactElement {
  return (
    <svg
      className={className}
      viewBox="0 0 24 24"
      width="24"
      height="24"
      aria-hidden="true"
      focusable="false"
    >
      <rect x="1" y="1" width="22" height="22" rx="6" fill="var(--accent)" />
      <g fill="var(--accent-contrast)">
        <circle cx="7" cy="8" r="1.8" />
        <circle cx="12" cy="8" r="1.8" />
        <circle cx="17" cy="8" r="1.8" />
        <circle cx="7" cy="16" r="1.8" />
        <circle cx="12" cy="16" r="1.8" />
        <circle cx="17" cy="16" r="1.8" />
      </g>
      <path
        d="M7 8c0 4 10 4 10 8"
        fill="none"
        stroke="var(--accent-contrast)"
        strokeWidth="1.6"
        strokeLinecap="round"
      />
    </svg>
  );
}

export function PlayIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M5 3.5v9l7-4.5z" fill="currentColor" />
    </Svg>
  );
}

export function StopIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <rect x="4" y="4" width="8" height="8" rx="1.5" fill="currentColor" />
    </Svg>
  );
}

export function SendIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M2.5 8h10M8.5 4l4 4-4 4" />
    </Svg>
  );
}

export function ArrowDownIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M8 3v10M4 9l4 4 4-4" />
    </Svg>
  );
}

export function CloseIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M4 4l8 8M12 4l-8 8" />
    </Svg>
  );
}

export function WarningIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M8 2.2 14.5 13.5h-13z" />
      <path d="M8 6.5v3" />
      <circle cx="8" cy="11.6" r="0.4" fill="currentColor" />
    </Svg>
  );
}

export function InfoIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <circle cx="8" cy="8" r="6.2" />
      <path d="M8 7.2v4" />
      <circle cx="8" cy="4.9" r="0.4" fill="currentColor" />
    </Svg>
  );
}

export function UnplugIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M3 13l2.5-2.5M13 3l-2.5 2.5M6.5 6.5 5 8a2.1 2.1 0 0 0 3 3l1.5-1.5M9.5 9.5 11 8a2.1 2.1 0 0 0-3-3L6.5 6.5" />
    </Svg>
  );
}

export function EraseIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.6 8.5h5.8l.6-8.5" />
    </Svg>
  );
}

export function PauseIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M5.5 3.5v9M10.5 3.5v9" />
    </Svg>
  );
}

export function SearchIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <circle cx="7" cy="7" r="4.2" />
      <path d="M10.2 10.2 13.5 13.5" />
    </Svg>
  );
}

export function DownloadIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M8 2.5v8M4.5 7 8 10.5 11.5 7M3 13.5h10" />
    </Svg>
  );
}

/** A clock turned back: the previous run. */
export function HistoryIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M2.8 8a5.2 5.2 0 1 0 1.5-3.7M2.5 2.5v2.3h2.3" />
      <path d="M8 5.2V8l2 1.4" />
    </Svg>
  );
}

/** Two speech lines: a connection's conversation. */
export function ConversationIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M2.5 4.5h7M2.5 7.5h5M6.5 11.5h7M8.5 8.5h5" />
    </Svg>
  );
}

export function PlugIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M3 13l2.5-2.5M6 6l4 4M5 7 3.8 8.2a2.5 2.5 0 0 0 3.5 3.5L8.5 10.5M7 5l1.2-1.2a2.5 2.5 0 0 1 3.5 3.5L10.5 8.5M11 5l2-2" />
    </Svg>
  );
}

export function ChevronDownIcon(props: IconProps): ReactElement {
  return (
    <Svg {...props}>
      <path d="M4.5 6.5 8 10l3.5-3.5" />
    </Svg>
  );
}
