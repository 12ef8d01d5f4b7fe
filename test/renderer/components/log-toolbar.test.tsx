import { render, renderHook, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { LogToolbar } from '../../../renderer/src/components/log-toolbar';
import { useLogView } from '../../../renderer/src/hooks/use-log-view';
import { logEntry } from '../fake-bridge';

function Harness({ onShow }: { onShow: (conn: number) => void }) {
  const view = useLogView([logEntry(1)]);
  return <LogToolbar view={view} onShowConversation={onShow} />;
}

describe('LogToolbar', () => {
  it('offers every kind and the useful groups', () => {
    render(<Harness onShow={vi.fn()} />);
    const options = screen.getAllByRole('option').map((o) => o.textContent);
    expect(options.slice(0, 5)).toEqual([
      'All events',
      'Lines and replies',
      'Opens and closes',
      'Problems',
      'Server start and stop',
    ]);
    expect(options.slice(5)).toEqual([
      'listening',
      'open',
      'line',
      'reply',
      'close',
      'rejected',
      'error',
      'stopped',
    ]);
  });

  it('opens the conversation of the connection typed, not of the server', async () => {
    const onShow = vi.fn();
    const user = userEvent.setup();
    render(<Harness onShow={onShow} />);
    const field = screen.getByRole('textbox', { name: 'Connection' });
    expect(screen.queryByRole('button', { name: /Show conversation/ })).toBeNull();
    await user.type(field, '#0');
    expect(screen.queryByRole('button', { name: /Show conversation/ })).toBeNull();
    await user.clear(field);
    await user.type(field, '#15');
    await user.click(screen.getByRole('button', { name: 'Show conversation #15' }));
    expect(onShow).toHaveBeenCalledWith(15);
  });

  it('keeps what is typed in each field', async () => {
    const { result } = renderHook(() => useLogView([]));
    render(<LogToolbar view={result.current} onShowConversation={vi.fn()} />);
    await userEvent.setup().type(screen.getByRole('searchbox', { name: 'Search log' }), 'x');
    expect(result.current.search).toBe('x');
  });
});
