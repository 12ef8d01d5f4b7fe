import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Transcript } from '../../../renderer/src/components/transcript';
import { clientEvent } from '../fake-bridge';

describe('Transcript', () => {
  it('prefixes sent lines, keeps reply lines as sent, and marks each kind', () => {
    render(
      <Transcript
        sendError={null}
        events={[
          clientEvent(1, 'connecting', 'connecting to 127.0.0.1:31310…'),
          clientEvent(2, 'connected', 'connected'),
          clientEvent(3, 'sent', 'HAIKU'),
          clientEvent(4, 'reply', 'A haiku on "Error 404"'),
          clientEvent(5, 'reply', ''),
          clientEvent(6, 'reply', '  You step in the stream,'),
          clientEvent(7, 'closed', 'closed by server'),
          clientEvent(8, 'error', 'connect ECONNREFUSED'),
        ]}
      />,
    );
    const lines = within(screen.getByRole('log', { name: 'Client transcript' })).getAllByRole('listitem');
    expect(lines.map((l) => l.className.replace('t-line t-line--', ''))).toEqual([
      'connecting',
      'connected',
      'sent',
      'reply',
      'reply',
      'reply',
      'closed',
      'error',
    ]);
    const text = (i: number): string | null | undefined => lines[i]?.querySelector('.t-text')?.textContent;
    const direction = (i: number): string | null | undefined =>
      lines[i]?.querySelector('.t-dir')?.textContent;
    expect(text(2)).toBe('HAIKU');
    expect(direction(2)).toBe('→Sent');
    expect(direction(3)).toBe('←Received');
    expect(direction(0)).toBe('');
    expect(text(4)).toBe('');
    // Leading spaces of a reply survive: the poem is indented.
    expect(text(5)).toBe('  You step in the stream,');
  });

  it('shows reply text as text, never as markup', () => {
    render(
      <Transcript
        sendError={null}
        events={[clientEvent(1, 'reply', '<img src=x onerror=alert(1)>\\x1B[2J')]}
      />,
    );
    const log = screen.getByRole('log', { name: 'Client transcript' });
    expect(log.querySelector('img')).toBeNull();
    expect(within(log).getByText('<img src=x onerror=alert(1)>\\x1B[2J')).toBeTruthy();
  });

  it('shows the round-trip time where main gave one, and on hover the time and byte count', () => {
    render(
      <Transcript
        sendError={null}
        events={[
          { ...clientEvent(1, 'sent', 'SONG'), hex: '53 4F 4E 47 0D 0A', bytes: 6 },
          { ...clientEvent(2, 'reply', 'Old McDonald'), rttMs: 3.456 },
          { ...clientEvent(3, 'reply', 'more'), rttMs: 42.4 },
        ]}
      />,
    );
    const lines = within(screen.getByRole('log', { name: 'Client transcript' })).getAllByRole('listitem');
    expect(lines[0]?.getAttribute('title')).toMatch(/· 6 bytes$/);
    expect(lines.map((l) => l.querySelector('.t-mark--rtt')?.textContent ?? null)).toEqual([
      null,
      'RTT 3.5 ms',
      'RTT 42 ms',
    ]);
  });

  it('invites a first command when empty', () => {
    render(<Transcript sendError={null} events={[]} />);
    expect(screen.getByRole('log', { name: 'Client transcript' }).textContent).toContain('HELP');
  });

  it('shows the bytes on the wire beside the text in hex mode', () => {
    const reply = { ...clientEvent(1, 'reply', 'Hi'), hex: '48 69 0D 0A' };
    const { rerender } = render(<Transcript sendError={null} events={[reply]} />);
    const line = (): HTMLElement =>
      within(screen.getByRole('log', { name: 'Client transcript' })).getAllByRole(
        'listitem',
      )[0] as HTMLElement;
    expect(line().querySelector('.t-hex')).toBeNull();
    rerender(<Transcript sendError={null} events={[reply]} hex />);
    expect(line().querySelector('.t-text')?.textContent).toBe('Hi');
    expect(line().querySelector('.t-hex')?.textContent).toBe('48 69 0D 0A');
  });
});
