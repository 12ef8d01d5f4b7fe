/**
 * The Export button and its menu: the rows shown (after filters), the rows
 * in the window, or (for the live log) all rows of this run read from the
 * durable log file, as JSON Lines or CSV; each item says how many rows it
 * covers and where they come from. A menu button in the WAI-ARIA
 * pattern: arrows move, Escape closes and returns to the button.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import { formatCount, plural } from '../lib/format';
import type { ExportFormat } from '../lib/log-export';
import { ChevronDownIcon, DownloadIcon } from './icons';

/** `all`: every row the window holds; `run`: every row of this run the log file holds. */
export type ExportScope = 'shown' | 'all' | 'run';

interface ExportMenuProps {
  onExport: (format: ExportFormat, scope: ExportScope) => void;
  disabled?: boolean;
  /** Rows the filters let through, and rows the view holds. */
  shown: number;
  all: number;
  filtering: boolean;
  /** The previous run's rows are shown instead of the live log. */
  previous: boolean;
  /** Offer all rows of this run from the log file (the live log only). */
  run?: boolean;
}

const FORMATS: readonly { format: ExportFormat; label: string }[] = [
  { format: 'jsonl', label: 'JSON Lines' },
  { format: 'csv', label: 'CSV' },
];

/**
 * What each item covers, in its own words: `Shown rows (12) as CSV`,
 * `Rows in the window (2,000) as CSV`, `All rows of this run, from the log file, as CSV`.
 */
export function exportItems(
  o: Pick<ExportMenuProps, 'shown' | 'all' | 'filtering' | 'previous' | 'run'>,
): { format: ExportFormat; scope: ExportScope; label: string }[] {
  const items: { format: ExportFormat; scope: ExportScope; label: string }[] = [];
  const add = (scope: ExportScope, label: (format: string) => string): void => {
    for (const f of FORMATS) items.push({ format: f.format, scope, label: label(f.label) });
  };
  if (o.filtering) add('shown', (f) => `Shown rows (${formatCount(o.shown)}) as ${f}`);
  if (o.previous) add('all', (f) => `All ${plural(o.all, 'row')} read back from the previous run as ${f}`);
  else add('all', (f) => `Rows in the window (${formatCount(o.all)}) as ${f}`);
  if (o.run && !o.previous) add('run', (f) => `All rows of this run, from the log file, as ${f}`);
  return items;
}

export function ExportMenu({ onExport, disabled, ...scope }: ExportMenuProps): ReactElement {
  const items = exportItems(scope);
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  // Focus moves into the menu when it opens, and a click anywhere else closes it.
  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointer = (event: PointerEvent): void => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const close = (refocus: boolean): void => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  const onMenuKey = (event: KeyboardEvent<HTMLDivElement>): void => {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const move = (to: number): void => {
      event.preventDefault();
      items[(to + items.length) % items.length]?.focus();
    };
    if (event.key === 'ArrowDown') move(at + 1);
    else if (event.key === 'ArrowUp') move(at - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(items.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'Tab') close(false);
  };

  return (
    <div className="menu-anchor" ref={root}>
      <button
        ref={button}
        type="button"
        className="button button--small button--quiet"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        disabled={disabled}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        <DownloadIcon />
        <span className="button-text">Export</span>
        <ChevronDownIcon className="icon icon--chevron" />
      </button>
      {open ? (
        <div className="menu" role="menu" id={id} aria-label="Export" ref={menu} onKeyDown={onMenuKey}>
          {items.map((item, i) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className={`menu-item${i > 0 && items[i - 1]?.scope !== item.scope ? ' menu-item--separated' : ''}`}
              onClick={() => {
                close(true);
                onExport(item.format, item.scope);
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
