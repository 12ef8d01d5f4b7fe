import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ConnectionLog } from '../../../renderer/src/components/connection-log';
import { formatClock } from '../../../renderer/src/lib/format';
import { logEntry, stats } from '../fake-bridge';

describe('ConnectionLog', () => {
  it('shows time, connection, remote address, kind and detail on each row', () => {
    const entry = logEntry(4, { conn: 12, remote: '[::1]:50012', kind: 'reply', detail: 'Bye. (6 bytes)' });
    render(<ConnectionLog entries={[entry]} stats={stats()} running />);
    const [row] = within(screen.getByRole('log', { name: 'Connection log' })).getAllByRole('listitem');
    expect(row).toBeDefined();
    const text = row?.textContent ?? '';
    expect(text).toContain(formatClock(entry.at));
    expect(text).toContain('#12');
    expect(text).toContain('[::1]:50012');
    expect(text).toContain('reply');
    expect(text).toContain('Bye. (6 bytes)');
  });

  it('names the server on its own rows', () => {
    render(
      <ConnectionLog
        entries={[
          logEntry(1, { conn: 0, remote: '', kind: 'listening', detail: 'listening on 127.0.0.1:31310' }),
        ]}
        stats={stats()}
        running
      />,
    );
    const [row] = within(screen.getByRole('log', { name: 'Connection log' })).getAllByRole('listitem');
    expect(row?.textContent).toContain('server');
    expect(row?.textContent).not.toContain('#0');
  });

  it('says what to do when there is nothing yet', () => {
    render(<ConnectionLog entries={[]} stats={stats()} running={false} />);
    expect(screen.getByRole('log', { name: 'Connection log' }).textContent).toContain('Start the server');
  });

  it('shows the counters by name', () => {
    render(
      <ConnectionLog
        entries={[]}
        stats={stats({ active: 4, total: 1234, commands: 7, rejected: 2, errors: 1 })}
        running
      />,
    );
    expect(screen.getByLabelText('Active connections').textContent).toBe('4');
    expect(screen.getByLabelText('Total connections').textContent).toBe('1,234');
    expect(screen.getByLabelText('Requests').textContent).toBe('7');
    expect(screen.getByLabelText('Rejected').textContent).toBe('2');
    expect(screen.getByLabelText('Errors').textContent).toBe('1');
  });
});
