import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { Notice } from '../../../renderer/src/components/notice';

describe('Notice', () => {
  it('shows its message and offers a named dismiss button only when dismissible', async () => {
    const onDismiss = vi.fn();
    const { rerender } = render(
      <Notice
        tone="warning"
        title="Settings reset."
        role="alert"
        dismissLabel="Dismiss"
        onDismiss={onDismiss}
      >
        bad file
      </Notice>,
    );
    expect(screen.getByRole('alert').textContent).toBe('Settings reset. bad file');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(onDismiss).toHaveBeenCalledTimes(1);

    rerender(
      <Notice tone="info" title="Note:">
        fine
      </Notice>,
    );
    expect(screen.getByRole('note').textContent).toBe('Note: fine');
    expect(screen.queryByRole('button')).toBeNull();
  });
});
