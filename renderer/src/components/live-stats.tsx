/** The sidebar's live card: the server's counters and its five-minute chart. */
import { useMemo, type ReactElement } from 'react';
import type { ServerStats, StatsSeries } from '../../../electron/shared/ipc/models';
import { useNowSecond } from '../hooks/use-now-second';
import { advanceSeries } from '../lib/series-clock';
import { StatsBar } from './stats-bar';
import { StatsChart } from './stats-chart';
import './live-stats.css';

interface LiveStatsProps {
  stats: ServerStats;
  series: StatsSeries;
  /** Starts a new measurement; absent where the counters cannot be reset. */
  onReset?: () => void;
}

export function LiveStats({ stats, series, onReset }: LiveStatsProps): ReactElement {
  const now = useNowSecond();
  // The newest of main's series and the clock: quiet seconds are zeros, so rates fall and the axis moves.
  const current = useMemo(() => advanceSeries(series, now), [series, now]);
  return (
    <section className="card live-stats" aria-labelledby="live-stats-title">
      <header className="card-header">
        <h2 className="card-title" id="live-stats-title">
          Live
        </h2>
        <span className="card-badge">last 5 min</span>
        {onReset ? (
          <button
            type="button"
            className="button button--small button--quiet live-stats-reset"
            title="Start a new measurement: every counter but the open connections, and the chart, from zero"
            onClick={onReset}
          >
            Reset
          </button>
        ) : null}
      </header>
      <StatsBar stats={stats} />
      <StatsChart series={current} />
    </section>
  );
}
