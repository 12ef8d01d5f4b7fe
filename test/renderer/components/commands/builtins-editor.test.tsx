import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { BuiltinsEditor } from '../../../../renderer/src/components/commands/builtins-editor';

const DRAFT = { rules: [], help: true, quit: false, unknown: 'Unknown command: {line}' };

describe('BuiltinsEditor', () => {
  it('names the checkboxes after the commands, and describes what each does', () => {
    render(<BuiltinsEditor draft={DRAFT} onChange={vi.fn()} />);
    const help = screen.getByRole('checkbox', { name: 'HELP command' });
    expect(help).toHaveProperty('checked', true);
    expect(screen.getByRole('checkbox', { name: 'QUIT command' })).toHaveProperty('checked', false);
    expect(document.getElementById(help.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'lists the commands',
    );
    expect(screen.getByRole('textbox', { name: 'Unknown-command reply' })).toHaveProperty(
      'value',
      'Unknown command: {line}',
    );
  });

  it('reports changes and shows the reply’s problem under it', async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(<BuiltinsEditor draft={DRAFT} unknownError="unclosed {" onChange={onChange} />);
    await user.click(screen.getByRole('checkbox', { name: 'HELP command' }));
    await user.click(screen.getByRole('checkbox', { name: 'QUIT command' }));
    await user.type(screen.getByRole('textbox', { name: 'Unknown-command reply' }), '!');
    expect(onChange.mock.calls).toEqual([
      [{ help: false }],
      [{ quit: true }],
      [{ unknown: 'Unknown command: {line}!' }],
    ]);
    const reply = screen.getByRole('textbox', { name: 'Unknown-command reply' });
    expect(reply.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(`${reply.id}-error`)?.textContent).toBe('unclosed {');
  });
});
