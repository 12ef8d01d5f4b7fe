import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LiveStats } from '../../../renderer/src/components/live-stats';
import { stats } from '../fake-bridge';

describe('LiveStats', () => {
  it('puts the counters and the chart’s summary in one named card', () => {
    render(
      <LiveStats
        stats={stats({ active: 3 })}
        series={{ end: 10, connections: [0, 4, 0], commands: [0, 8, 0] }}
      />,
    );
    expect(screen.getByRole('region', { name: 'Live' })).toBeTruthy();
    expect(screen.getByLabelText('Active connections').textContent).toBe('3');
    expect(screen.getByRole('img').getAttribute('aria-label')).toContain('peak 4.0');
  });
});
