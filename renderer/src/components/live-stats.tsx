/** The sidebar's live card: the server's counters and its five-minute chart. */
import type { ReactElement } from 'react';
import type { ServerStats, StatsSeries } from '../../../electron/shared/ipc/models';
import { StatsBar } from './stats-bar';
import { StatsChart } from './stats-chart';
import './live-stats.css';

export function LiveStats({ stats, series }: { stats: ServerStats; series: StatsSeries }): ReactElement {
  return (
    <section className="card live-stats" aria-labelledby="live-stats-title">
      <header className="card-header">
        <h2 className="card-title" id="live-stats-title">
          Live
        </h2>
        <span className="card-badge">last 5 min</span>
      </header>
      <StatsBar stats={stats} />
      <StatsChart series={series} />
    </section>
  );
}
