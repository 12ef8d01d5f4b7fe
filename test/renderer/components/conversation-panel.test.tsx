import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ConversationPanel } from '../../../renderer/src/components/conversation-panel';
import { conversationOf } from '../../../renderer/src/lib/conversation';
import { formatClock, formatMillis } from '../../../renderer/src/lib/format';
import { logEntry } from '../fake-bridge';

const AT = Date.UTC(2025, 0, 2, 3, 4, 5);
const remote = '127.0.0.1:50007';
const LOG = [
  logEntry(1, { at: AT, conn: 7, remote, kind: 'open', detail: 'connected' }),
  logEntry(2, { at: AT + 10, conn: 7, remote, kind: 'line', detail: 'SONG' }),
  logEntry(3, {
    at: AT + 12,
    conn: 7,
    remote,
    kind: 'reply',
    detail: 'Old McDonald had a farm, E-I-E-I-O! (37 bytes)',
  }),
  logEntry(4, { at: AT + 20, conn: 7, remote, kind: 'line', detail: 'QUIT' }),
  logEntry(5, { at: AT + 21, conn: 7, remote, kind: 'reply', detail: 'Bye. (6 bytes)' }),
  logEntry(6, {
    at: AT + 1250,
    conn: 7,
    remote,
    kind: 'close',
    detail: 'closed (QUIT); 11 bytes in, 43 out, 1.250 s',
  }),
];

const panel = (): HTMLElement => screen.getByRole('complementary', { name: 'Conversation #7' });
const fact = (label: string): string | null | undefined =>
  within(panel()).getByText(label).closest('div')?.querySelector('dd')?.textContent;

describe('ConversationPanel', () => {
  it('lists every line in and reply out in order, with times and reply sizes', () => {
    render(<ConversationPanel conn={7} conversation={conversationOf(LOG, 7)} onClose={vi.fn()} />);
    const rows = within(panel()).getAllByRole('listitem');
    expect(rows.map((r) => r.querySelector('.conversation-kind')?.textContent)).toEqual([
      'open',
      'in',
      'out',
      'in',
      'out',
      'close',
    ]);
    expect(rows.map((r) => r.querySelector('.conversation-text')?.textContent)).toEqual([
      'connected',
      'SONG',
      'Old McDonald had a farm, E-I-E-I-O!',
      'QUIT',
      'Bye.',
      'closed (QUIT); 11 bytes in, 43 out, 1.250 s',
    ]);
    expect(rows[2]?.querySelector('.conversation-bytes')?.textContent).toBe('37 B');
    expect(rows[1]?.querySelector('time')?.textContent).toBe(
      `${formatClock(AT + 10)}${formatMillis(AT + 10)}`,
    );
    expect(within(panel()).getByText(remote)).toBeTruthy();
  });

  it('sums it up: bytes each way, duration and why it closed', () => {
    render(<ConversationPanel conn={7} conversation={conversationOf(LOG, 7)} onClose={vi.fn()} />);
    expect(fact('Lines in')).toBe('2');
    expect(fact('Replies out')).toBe('2');
    expect(fact('Bytes in')).toBe('11 B');
    expect(fact('Bytes out')).toBe('43 B');
    expect(fact('Duration')).toBe('1.250 s');
    expect(fact('Closed')).toBe('QUIT');
  });

  it('says a connection is still open', () => {
    render(
      <ConversationPanel conn={7} conversation={conversationOf(LOG.slice(0, 3), 7)} onClose={vi.fn()} />,
    );
    expect(fact('Duration')).toBe('still open');
    expect(fact('Closed')).toBe('not yet');
    expect(fact('Bytes in')).toBe('when closed');
  });

  it('says when the connection’s rows are gone', () => {
    render(<ConversationPanel conn={7} conversation={null} onClose={vi.fn()} />);
    expect(panel().textContent).toContain('no longer in the window');
  });

  it('takes focus, closes with Close or Escape, and gives focus back', async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    const opener = document.body.appendChild(document.createElement('button'));
    opener.focus();
    const { unmount } = render(
      <ConversationPanel conn={7} conversation={conversationOf(LOG, 7)} onClose={onClose} />,
    );
    expect(document.activeElement?.textContent).toBe('Conversation #7');
    await user.click(within(panel()).getByRole('button', { name: 'Close' }));
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(2);
    unmount();
    expect(document.activeElement).toBe(opener);
    opener.remove();
  });
});
