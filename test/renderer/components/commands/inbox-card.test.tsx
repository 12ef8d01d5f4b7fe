import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { InboxCard } from '../../../../renderer/src/components/commands/inbox-card';

const INBOX = [
  { line: 'ATZ', count: 3, lastAt: 2 },
  { line: 'GET a b', count: 1, lastAt: 1 },
  { line: 'esc\x1b[2J', count: 1, lastAt: 0 },
];

describe('InboxCard', () => {
  it('lists unknown lines with their counts, control bytes shown safely', () => {
    render(<InboxCard inbox={INBOX} answeredBy={() => null} onMakeRule={vi.fn()} onClear={vi.fn()} />);
    const items = screen.getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual([
      'ATZ3×, seen 3 timesMake rule',
      'GET a b1×, seen 1 timeMake rule',
      'esc\\x1B[2J1×, seen 1 timeMake rule',
    ]);
    expect(
      within(items[2] as HTMLElement)
        .getByRole('button')
        .getAttribute('aria-label'),
    ).toBe('Make rule for esc\\x1B[2J');
  });

  it('makes a rule from the line as it came, and clears the inbox', async () => {
    const user = userEvent.setup();
    const onMakeRule = vi.fn();
    const onClear = vi.fn(() => Promise.resolve('main went away'));
    render(<InboxCard inbox={INBOX} answeredBy={() => null} onMakeRule={onMakeRule} onClear={onClear} />);
    await user.click(screen.getByRole('button', { name: 'Make rule for GET a b' }));
    await user.click(screen.getByRole('button', { name: 'Make rule for esc\\x1B[2J' }));
    expect(onMakeRule.mock.calls).toEqual([['GET a b'], ['esc\x1b[2J']]);
    await user.click(screen.getByRole('button', { name: 'Clear inbox' }));
    expect(onClear).toHaveBeenCalledOnce();
    expect((await screen.findByRole('alert')).textContent).toBe('Not cleared: main went away');
  });

  it('shows which rule now answers a line, instead of offering another', () => {
    render(
      <InboxCard
        inbox={INBOX}
        answeredBy={(line) => (line === 'ATZ' ? 5 : null)}
        onMakeRule={vi.fn()}
        onClear={vi.fn()}
      />,
    );
    expect(screen.queryByRole('button', { name: 'Make rule for ATZ' })).toBeNull();
    expect(screen.getAllByRole('listitem')[0]?.textContent).toBe('ATZ3×, seen 3 timesRule 5');
    expect(screen.getByRole('button', { name: 'Make rule for GET a b' })).toBeTruthy();
  });

  it('says what it is for while empty', () => {
    render(<InboxCard inbox={[]} answeredBy={() => null} onMakeRule={vi.fn()} onClear={vi.fn()} />);
    expect(screen.getByText(/no rule answers gather here/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Clear inbox' })).toHaveProperty('disabled', true);
  });
});
