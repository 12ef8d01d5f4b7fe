import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { StatsBar } from '../../../renderer/src/components/stats-bar';
import { stats } from '../fake-bridge';

/** What a counter shows, and what a screen reader hears (the whole number). */
function counter(name: string): { shown: string; heard: string; title: string | null } {
  const dd = screen.getByLabelText(name);
  const shown = (dd.querySelector('[aria-hidden="true"]') ?? dd).textContent;
  const heard = (dd.querySelector('.sr-only') ?? dd).textContent;
  return { shown, heard, title: dd.closest('.stat')?.getAttribute('title') ?? null };
}

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
    expect(counter('Bytes in')).toEqual({
      shown: '2.0 KB',
      heard: '2,048 bytes',
      title: 'Bytes received: 2,048 bytes',
    });
    expect(screen.getByLabelText('Bytes out').textContent).toBe('300 B');
  });

  it('shortens large numbers (1.2M), with the exact value on hover and for screen readers', () => {
    render(<StatsBar stats={stats({ total: 4_482_113, commands: 956_120, active: 9_999 })} />);
    expect(counter('Total connections')).toEqual({
      shown: '4.5M',
      heard: '4,482,113',
      title: 'Total: 4,482,113',
    });
    expect(counter('Requests')).toEqual({
      shown: '956.1K',
      heard: '956,120',
      title: 'Command lines received: 956,120',
    });
    // Up to 9,999 the tile has room for the exact value.
    expect(screen.getByLabelText('Active connections').textContent).toBe('9,999');
    for (const dd of document.querySelectorAll('.stat-value')) {
      expect(dd.getAttribute('data-value')).toMatch(/^[\d,]+( bytes| B)?$/);
    }
  });

  it('tints rejections and errors only when there are some', () => {
    const { rerender } = render(<StatsBar stats={stats()} />);
    expect(document.querySelectorAll('.stat--alert')).toHaveLength(0);
    rerender(<StatsBar stats={stats({ rejected: 1, errors: 3 })} />);
    expect(document.querySelectorAll('.stat--alert')).toHaveLength(2);
  });
});
