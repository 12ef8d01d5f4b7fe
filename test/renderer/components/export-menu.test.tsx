import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ExportMenu } from '../../../renderer/src/components/export-menu';

const trigger = (): HTMLButtonElement => screen.getByRole('button', { name: 'Export' });

describe('ExportMenu', () => {
  it('offers shown or all rows, as JSON Lines or CSV', async () => {
    const onExport = vi.fn();
    const user = userEvent.setup();
    render(<ExportMenu onExport={onExport} />);
    expect(trigger().getAttribute('aria-expanded')).toBe('false');
    await user.click(trigger());
    expect(trigger().getAttribute('aria-expanded')).toBe('true');
    expect(screen.getAllByRole('menuitem').map((i) => i.textContent)).toEqual([
      'Shown rows as JSON Lines',
      'Shown rows as CSV',
      'All rows as JSON Lines',
      'All rows as CSV',
    ]);
    await user.click(screen.getByRole('menuitem', { name: 'All rows as CSV' }));
    expect(onExport).toHaveBeenCalledWith('csv', 'all');
    expect(screen.queryByRole('menu')).toBeNull();
  });

  it('works from the keyboard: arrows move, Enter picks, Escape leaves', async () => {
    const onExport = vi.fn();
    const user = userEvent.setup();
    render(<ExportMenu onExport={onExport} />);
    trigger().focus();
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement?.textContent).toBe('Shown rows as JSON Lines');
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(document.activeElement?.textContent).toBe('All rows as JSON Lines');
    await user.keyboard('{ArrowUp}{ArrowUp}{ArrowUp}');
    expect(document.activeElement?.textContent).toBe('All rows as CSV');
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
        <ExportMenu onExport={vi.fn()} />
        <p>elsewhere</p>
      </>,
    );
    await user.click(trigger());
    await user.click(screen.getByText('elsewhere'));
    expect(screen.queryByRole('menu')).toBeNull();
  });
});
