import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import {
  ConversationPanel,
  type ConversationActions,
} from '../../../renderer/src/components/conversation-panel';
import { conversationOf } from '../../../renderer/src/lib/conversation';
import { logEntry } from '../fake-bridge';

const OPEN = [
  logEntry(1, { conn: 4, kind: 'open', detail: 'connected' }),
  logEntry(2, {
    conn: 4,
    kind: 'line',
    direction: 'client',
    text: 'PING',
    detail: 'client → upstream: PING',
  }),
  logEntry(3, {
    conn: 4,
    kind: 'reply',
    direction: 'upstream',
    text: '+PONG',
    detail: 'upstream → client: +PONG',
  }),
];

function actions(overrides: Partial<ConversationActions> = {}): ConversationActions {
  return {
    unavailable: null,
    onSend: vi.fn(() => Promise.resolve({ ok: true as const, sent: 1 })),
    onCloseConnection: vi.fn(() => Promise.resolve({ ok: true as const, sent: 0 })),
    onMakeRules: vi.fn(),
    ...overrides,
  };
}

const panel = (): HTMLElement => screen.getByRole('complementary', { name: 'Conversation #4' });

describe('ConversationPanel actions', () => {
  it('shows forwarded rows by who sent them', () => {
    render(<ConversationPanel conn={4} conversation={conversationOf(OPEN, 4)} onClose={vi.fn()} />);
    const rows = within(panel()).getAllByRole('listitem');
    expect(
      rows.map((r) => [
        r.querySelector('.conversation-kind')?.textContent,
        r.querySelector('.conversation-text')?.textContent,
      ]),
    ).toEqual([
      ['open', 'connected'],
      ['client', 'PING'],
      ['upstream', '+PONG'],
    ]);
  });

  it('makes rules, sends to this connection and closes it', async () => {
    const user = userEvent.setup();
    const a = actions();
    const conversation = conversationOf(OPEN, 4);
    render(<ConversationPanel conn={4} conversation={conversation} onClose={vi.fn()} actions={a} />);
    await user.click(within(panel()).getByRole('button', { name: 'Make rules' }));
    expect(a.onMakeRules).toHaveBeenCalledWith(conversation);
    const form = within(panel()).getByRole('form', { name: 'Send to #4' });
    await user.type(within(form).getByRole('textbox'), 'hi{Enter}');
    expect(a.onSend).toHaveBeenCalledWith({ conn: 4, line: 'hi', lineEnding: 'crlf' });
    await user.click(within(panel()).getByRole('button', { name: 'Close connection' }));
    expect(a.onCloseConnection).toHaveBeenCalledWith(4);
  });

  it('says why it cannot send or close, and shows main’s refusal of a close', async () => {
    const user = userEvent.setup();
    const why = 'A forwarding listener relays what its two sides send: send and close in mock mode.';
    const { rerender } = render(
      <ConversationPanel
        conn={4}
        conversation={conversationOf(OPEN, 4)}
        onClose={vi.fn()}
        actions={actions({ unavailable: why })}
      />,
    );
    expect(
      within(panel()).getByRole<HTMLButtonElement>('button', { name: 'Close connection' }).disabled,
    ).toBe(true);
    expect(within(panel()).getByRole('status').textContent).toBe(why);
    const refusing = actions({
      onCloseConnection: vi.fn(() =>
        Promise.resolve({ ok: false as const, error: 'connection #4 is not open' }),
      ),
    });
    rerender(
      <ConversationPanel
        conn={4}
        conversation={conversationOf(OPEN, 4)}
        onClose={vi.fn()}
        actions={refusing}
      />,
    );
    await user.click(within(panel()).getByRole('button', { name: 'Close connection' }));
    expect((await within(panel()).findByRole('alert')).textContent).toBe('connection #4 is not open');
  });

  it('offers no send or close once the connection has closed', () => {
    const closed = [
      ...OPEN,
      logEntry(4, { conn: 4, kind: 'close', detail: 'closed (client closed); 6 bytes in, 7 out, 0.010 s' }),
    ];
    render(
      <ConversationPanel
        conn={4}
        conversation={conversationOf(closed, 4)}
        onClose={vi.fn()}
        actions={actions()}
      />,
    );
    expect(within(panel()).queryByRole('button', { name: 'Close connection' })).toBeNull();
    expect(within(panel()).queryByRole('form')).toBeNull();
    expect(within(panel()).getByRole('button', { name: 'Make rules' })).toBeTruthy();
  });
});
