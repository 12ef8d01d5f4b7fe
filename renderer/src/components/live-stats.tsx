/** The sidebar's live card: the server's counters and its five-minute chart. */
import { useMemo, useState, type ReactElement } from 'react';
import { EMPTY_STATS, type ServerStats, type StatsSeries } from '../../../electron/shared/ipc/models';
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
  /** The extra listeners and their own counters: with any, a select picks whose counters show. */
  listeners?: readonly { name: string; stats?: ServerStats }[];
}

/** The window's own listener, whose counters `stats` are. */
const OWN = 'default';

export function LiveStats({ stats, series, onReset, listeners = [] }: LiveStatsProps): ReactElement {
  const now = useNowSecond();
  const [picked, setPicked] = useState(OWN);
  // A listener removed since it was picked: back to the window's own.
  const other = picked === OWN ? undefined : listeners.find((l) => l.name === picked);
  const shown = other ? (other.stats ?? EMPTY_STATS) : stats;
  // The newest of main's series and the clock: quiet seconds are zeros, so rates fall and the axis moves.
  const current = useMemo(() => advanceSeries(series, now), [series, now]);
  return (
    <section className="card live-stats" aria-labelledby="live-stats-title">
      <header className="card-header">
        <h2 className="card-title" id="live-stats-title">
          Live
        </h2>
        <span className="card-badge">last 5 min</span>
        {listeners.length > 0 ? (
          <select
            className="input select live-stats-listener"
            aria-label="Stats of listener"
            value={other ? other.name : OWN}
            onChange={(e) => setPicked(e.target.value)}
          >
            <option value={OWN}>{OWN}</option>
            {listeners.map((l) => (
              <option key={l.name} value={l.name}>
                {l.name}
              </option>
            ))}
          </select>
        ) : null}
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
      <StatsBar stats={shown} />
      {other ? (
        <p className="live-stats-note">
          Counters of {other.name}; the chart is of {OWN}.
        </p>
      ) : null}
      <StatsChart series={current} />
    </section>
  );
}
