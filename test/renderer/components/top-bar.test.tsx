import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { TopBar } from '../../../renderer/src/components/top-bar';
import { SERVER_ACTION_CASES } from '../lib/server-action-cases';

const button = (name: string): HTMLButtonElement => screen.getByRole('button', { name });

describe('TopBar', () => {
  it.each(SERVER_ACTION_CASES)(
    'when %s (waiting for %s): Start %s, Stop %s',
    (state, pending, startEnabled, stopEnabled) => {
      render(
        <TopBar
          status={{ state, host: '127.0.0.1', port: 1, text: state }}
          pending={pending}
          onStart={vi.fn()}
          onStop={vi.fn()}
        />,
      );
      expect(button('Start').disabled).toBe(!startEnabled);
      expect(button('Stop').disabled).toBe(!stopEnabled);
    },
  );

  it('calls Start and Stop', async () => {
    const user = userEvent.setup();
    const onStart = vi.fn();
    const onStop = vi.fn();
    const { rerender } = render(
      <TopBar
        status={{ state: 'stopped', host: '', port: 0, text: 'Stopped' }}
        pending={null}
        onStart={onStart}
        onStop={onStop}
      />,
    );
    await user.click(button('Start'));
    rerender(
      <TopBar
        status={{ state: 'running', host: '127.0.0.1', port: 1, text: 'Running on 127.0.0.1:1' }}
        pending={null}
        onStart={onStart}
        onStop={onStop}
      />,
    );
    await user.click(button('Stop'));
    expect(onStart).toHaveBeenCalledTimes(1);
    expect(onStop).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('status', { name: 'Server status' }).textContent).toBe('Running on 127.0.0.1:1');
  });

  it('names the keyboard shortcuts in the tooltips, as the app menu binds them', () => {
    render(
      <TopBar
        status={{ state: 'stopped', host: '', port: 0, text: 'Stopped' }}
        pending={null}
        onStart={vi.fn()}
        onStop={vi.fn()}
      />,
    );
    // jsdom's user agent is not a Mac's.
    expect(button('Start').title).toBe('Start (Ctrl+Enter)');
    expect(button('Stop').title).toBe('Stop (Ctrl+Shift+Enter)');
  });
});
