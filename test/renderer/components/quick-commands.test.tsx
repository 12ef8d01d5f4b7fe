import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { QuickCommands } from '../../../renderer/src/components/quick-commands';

describe('QuickCommands', () => {
  it('shows one button per command in a named group, each sending its command', async () => {
    const onSend = vi.fn();
    render(<QuickCommands quick={{ source: 'table', commands: ['SONG', 'HELP'] }} onSend={onSend} />);
    const group = screen.getByRole('group', { name: 'Quick commands' });
    expect(
      within(group)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['SONG', 'HELP']);
    await userEvent.setup().click(within(group).getByRole('button', { name: 'HELP' }));
    expect(onSend).toHaveBeenCalledWith('HELP');
  });

  it('says where the names came from', () => {
    render(<QuickCommands quick={{ source: 'help', commands: ['A'] }} onSend={vi.fn()} />);
    expect(screen.getByRole('group', { name: 'Quick commands' }).title).toBe(
      'From the server’s answer to HELP',
    );
  });
});
