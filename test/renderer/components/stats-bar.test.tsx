import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { StatsBar } from '../../../renderer/src/components/stats-bar';
import { stats } from '../fake-bridge';

describe('StatsBar', () => {
  it('shows every counter under its full name', () => {
    render(
      <StatsBar
        stats={stats({
          active: 4,
          total: 1234,
          commands: 7,
          rejected: 2,
          errors: 1,
          bytesIn: 2048,
          bytesOut: 300,
        })}
      />,
    );
    expect(screen.getByLabelText('Active connections').textContent).toBe('4');
    expect(screen.getByLabelText('Total connections').textContent).toBe('1,234');
    expect(screen.getByLabelText('Requests').textContent).toBe('7');
    expect(screen.getByLabelText('Rejected').textContent).toBe('2');
    expect(screen.getByLabelText('Errors').textContent).toBe('1');
    expect(screen.getByLabelText('Bytes in').textContent).toBe('2.0 KB');
    expect(screen.getByLabelText('Bytes out').textContent).toBe('300 B');
  });

  it('tints rejections and errors only when there are some', () => {
    const { rerender } = render(<StatsBar stats={stats()} />);
    expect(document.querySelectorAll('.stat--alert')).toHaveLength(0);
    rerender(<StatsBar stats={stats({ rejected: 1, errors: 3 })} />);
    expect(document.querySelectorAll('.stat--alert')).toHaveLength(2);
  });
});
