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
    expect(lines[2]?.textContent).toBe('› HAIKU');
    expect(lines[4]?.textContent).toBe('');
    // Leading spaces of a reply survive: the poem is indented.
    expect(lines[5]?.textContent).toBe('  You step in the stream,');
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

  it('shows the round-trip time and, on hover, the bytes on the wire', () => {
    render(
      <Transcript
        sendError={null}
        events={[
          { ...clientEvent(1, 'sent', 'SONG'), hex: '53 4F 4E 47 0D 0A' },
          { ...clientEvent(2, 'reply', 'Old McDonald'), rttMs: 3.456 },
          { ...clientEvent(3, 'reply', 'more'), rttMs: 42.4 },
        ]}
      />,
    );
    const lines = within(screen.getByRole('log', { name: 'Client transcript' })).getAllByRole('listitem');
    expect(lines[0]?.getAttribute('title')).toContain('53 4F 4E 47 0D 0A');
    expect(lines[1]?.textContent).toBe('Old McDonald');
    expect(lines[1]?.dataset.rtt).toBe('3.5 ms');
    expect(lines[2]?.dataset.rtt).toBe('42 ms');
    expect(lines[0]?.dataset.rtt).toBeUndefined();
  });

  it('invites a first command when empty', () => {
    render(<Transcript sendError={null} events={[]} />);
    expect(screen.getByRole('log', { name: 'Client transcript' }).textContent).toContain('HELP');
  });

  it('shows the bytes on the wire in hex mode, and the text on hover', () => {
    const reply = { ...clientEvent(1, 'reply', 'Hi'), hex: '48 69 0D 0A' };
    const { rerender } = render(<Transcript sendError={null} events={[reply]} />);
    const line = (): HTMLElement =>
      within(screen.getByRole('log', { name: 'Client transcript' })).getAllByRole(
        'listitem',
      )[0] as HTMLElement;
    expect(line().textContent).toBe('Hi');
    expect(line().title.split('\n')[1]).toBe('48 69 0D 0A');
    rerender(<Transcript sendError={null} events={[reply]} hex />);
    expect(line().textContent).toBe('48 69 0D 0A');
    expect(line().title.split('\n')[1]).toBe('Hi');
  });
});
