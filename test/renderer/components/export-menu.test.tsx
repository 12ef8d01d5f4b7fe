import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ExportMenu } from '../../../renderer/src/components/export-menu';

/** A filtered view of 12 rows out of 2,000. */
const FILTERED = { shown: 12, all: 2000, filtering: true, previous: false } as const;

const trigger = (): HTMLButtonElement => screen.getByRole('button', { name: 'Export' });

describe('ExportMenu', () => {
  it('offers shown or all rows, as JSON Lines or CSV, each saying how many and from where', async () => {
    const onExport = vi.fn();
    const user = userEvent.setup();
    render(<ExportMenu onExport={onExport} {...FILTERED} />);
    expect(trigger().getAttribute('aria-expanded')).toBe('false');
    await user.click(trigger());
    expect(trigger().getAttribute('aria-expanded')).toBe('true');
    expect(screen.getAllByRole('menuitem').map((i) => i.textContent)).toEqual([
      'Shown rows (12) as JSON Lines',
      'Shown rows (12) as CSV',
      'Rows in the window (2,000) as JSON Lines',
      'Rows in the window (2,000) as CSV',
    ]);
    await user.click(screen.getByRole('menuitem', { name: 'Rows in the window (2,000) as CSV' }));
    expect(onExport).toHaveBeenCalledWith('csv', 'all');
    expect(screen.queryByRole('menu')).toBeNull();
  });

  it('works from the keyboard: arrows move, Enter picks, Escape leaves', async () => {
    const onExport = vi.fn();
    const user = userEvent.setup();
    render(<ExportMenu onExport={onExport} {...FILTERED} />);
    trigger().focus();
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement?.textContent).toBe('Shown rows (12) as JSON Lines');
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(document.activeElement?.textContent).toBe('Rows in the window (2,000) as JSON Lines');
    await user.keyboard('{ArrowUp}{ArrowUp}{ArrowUp}');
    expect(document.activeElement?.textContent).toBe('Rows in the window (2,000) as CSV');
    await user.keyboard('{Home}{Enter}');
    expect(onExport).toHaveBeenCalledWith('jsonl', 'shown');
    expect(document.activeElement).toBe(trigger());

    await user.click(trigger());
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(trigger());
  });

  it('closes on a click elsewhere', async () => {
    const user = userEvent.setup();
    render(
      <>
        <ExportMenu onExport={vi.fn()} {...FILTERED} />
        <p>elsewhere</p>
      </>,
    );
    await user.click(trigger());
    await user.click(screen.getByText('elsewhere'));
    expect(screen.queryByRole('menu')).toBeNull();
  });

  it('offers all rows of this run from the log file, for the live log only', async () => {
    const onExport = vi.fn();
    const user = userEvent.setup();
    const { rerender } = render(<ExportMenu onExport={onExport} {...FILTERED} run />);
    await user.click(trigger());
    const items = screen.getAllByRole('menuitem');
    expect(items.map((i) => i.textContent)).toEqual([
      'Shown rows (12) as JSON Lines',
      'Shown rows (12) as CSV',
      'Rows in the window (2,000) as JSON Lines',
      'Rows in the window (2,000) as CSV',
      'All rows of this run, from the log file, as JSON Lines',
      'All rows of this run, from the log file, as CSV',
    ]);
    // A line between the groups: shown, window, run.
    expect(items.map((i) => i.classList.contains('menu-item--separated'))).toEqual([
      false,
      false,
      true,
      false,
      true,
      false,
    ]);
    await user.click(
      screen.getByRole('menuitem', { name: 'All rows of this run, from the log file, as CSV' }),
    );
    expect(onExport).toHaveBeenCalledWith('csv', 'run');

    rerender(<ExportMenu onExport={onExport} shown={1} all={1} filtering={false} previous run />);
    await user.click(trigger());
    expect(screen.getAllByRole('menuitem').map((i) => i.textContent)).toEqual([
      'All 1 row read back from the previous run as JSON Lines',
      'All 1 row read back from the previous run as CSV',
    ]);
  });

  it('offers only all rows when nothing is filtered; the previous run says so', async () => {
    const user = userEvent.setup();
    render(<ExportMenu onExport={vi.fn()} shown={1} all={1} filtering={false} previous />);
    await user.click(trigger());
    expect(screen.getAllByRole('menuitem').map((i) => i.textContent)).toEqual([
      'All 1 row read back from the previous run as JSON Lines',
      'All 1 row read back from the previous run as CSV',
    ]);
  });
});
