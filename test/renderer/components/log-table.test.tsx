import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { LogTable } from '../../../renderer/src/components/log-table';
import { logEntry } from '../fake-bridge';

const log = (): HTMLElement => screen.getByRole('log', { name: 'Connection log' });

describe('LogTable', () => {
  it('places each row by its position and tells its place in the whole list', () => {
    const rows = [logEntry(1), logEntry(2), logEntry(3)];
    render(<LogTable rows={rows} empty="nothing" onShowConversation={vi.fn()} />);
    const items = within(log()).getAllByRole('listitem');
    expect(items.map((i) => i.getAttribute('aria-posinset'))).toEqual(['1', '2', '3']);
    expect(items.map((i) => i.style.transform)).toEqual([
      'translateY(0px)',
      'translateY(22px)',
      'translateY(44px)',
    ]);
    expect(log().getAttribute('aria-live')).toBe('off');
  });

  it('shows the empty text', () => {
    render(<LogTable rows={[]} empty="No rows match the filters." onShowConversation={vi.fn()} />);
    expect(log().textContent).toBe('No rows match the filters.');
  });

  it('asks for a connection’s conversation when its number is clicked', async () => {
    const onShow = vi.fn();
    render(
      <LogTable
        rows={[logEntry(1, { conn: 0, kind: 'listening', remote: '' }), logEntry(2, { conn: 42 })]}
        empty=""
        onShowConversation={onShow}
      />,
    );
    // The server's row has no conversation to open.
    expect(within(log()).getAllByRole('button')).toHaveLength(1);
    await userEvent.setup().click(within(log()).getByRole('button', { name: '#42' }));
    expect(onShow).toHaveBeenCalledWith(42);
  });

  it('offers the rows that came while paused, and resumes to them', async () => {
    const onResume = vi.fn();
    const { rerender } = render(
      <LogTable
        rows={[logEntry(1)]}
        empty=""
        paused={{ newCount: 0, onResume }}
        onShowConversation={vi.fn()}
      />,
    );
    expect(screen.queryByRole('button', { name: /new/ })).toBeNull();
    rerender(
      <LogTable
        rows={[logEntry(1)]}
        empty=""
        paused={{ newCount: 1234, onResume }}
        onShowConversation={vi.fn()}
      />,
    );
    await userEvent.setup().click(screen.getByRole('button', { name: '1,234 new' }));
    expect(onResume).toHaveBeenCalledTimes(1);
  });

  it('offers the way back to the newest rows when scrolled away from them', () => {
    render(<LogTable rows={[logEntry(1)]} empty="" onShowConversation={vi.fn()} />);
    // jsdom has no layout; pretend the log is long and scrolled to the top.
    Object.defineProperty(log(), 'scrollHeight', { configurable: true, value: 5000 });
    log().scrollTop = 0;
    fireEvent.scroll(log());
    expect(screen.getByRole('button', { name: 'Newest log rows' })).toBeTruthy();
  });
});
