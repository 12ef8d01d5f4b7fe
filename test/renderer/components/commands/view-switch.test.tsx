import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ViewSwitch } from '../../../../renderer/src/components/commands/view-switch';

describe('ViewSwitch', () => {
  it('marks the current view and switches on click', async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(<ViewSwitch view="server" onChange={onChange} unapplied={false} />);
    expect(screen.getByRole('button', { name: 'Server' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('button', { name: 'Commands' }).getAttribute('aria-current')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Commands' }));
    expect(onChange).toHaveBeenCalledWith('commands');
  });

  it('tells of unapplied changes without changing the button’s name', () => {
    render(<ViewSwitch view="server" onChange={vi.fn()} unapplied />);
    const commands = screen.getByRole('button', { name: 'Commands' });
    expect(document.getElementById(commands.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'unapplied changes',
    );
  });
});
