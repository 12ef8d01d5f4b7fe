/**
 * The server's counters, from the latest log batch. Each value is labelled
 * by its term (`Active connections` and so on); the visible term stays short,
 * the rest is there for screen readers.
 */
import { useId, type ReactElement } from 'react';
import type { ServerStats } from '../../../electron/shared/models';
import { formatBytes, formatCount } from '../lib/format';

interface Stat {
  key: string;
  label: string;
  /** Read after the label but not shown, to complete the name. */
  more?: string;
  value: string;
  /** Tinted when the value is worth a look (rejections, errors). */
  alert?: boolean;
  title?: string;
}

export function StatsBar({ stats }: { stats: ServerStats }): ReactElement {
  const id = useId();
  const items: Stat[] = [
    { key: 'active', label: 'Active', more: ' connections', value: formatCount(stats.active) },
    { key: 'total', label: 'Total', more: ' connections', value: formatCount(stats.total) },
    // Not "Commands": that word belongs to the client's Command input, and names must not overlap.
    {
      key: 'requests',
      label: 'Requests',
      value: formatCount(stats.commands),
      title: 'Command lines received',
    },
    { key: 'rejected', label: 'Rejected', value: formatCount(stats.rejected), alert: stats.rejected > 0 },
    { key: 'errors', label: 'Errors', value: formatCount(stats.errors), alert: stats.errors > 0 },
    {
      key: 'bytes',
      label: 'In / out',
      more: ' bytes',
      value: `${formatBytes(stats.bytesIn)} / ${formatBytes(stats.bytesOut)}`,
      title: 'Bytes received and sent',
    },
  ];
  return (
    <dl className="stats">
      {items.map((s) => (
        <div key={s.key} className={`stat stat--${s.key}${s.alert ? ' stat--alert' : ''}`} title={s.title}>
          <dt className="stat-label" id={`${id}-${s.key}`}>
            {s.label}
            {s.more ? <span className="sr-only">{s.more}</span> : null}
          </dt>
          <dd className="stat-value" aria-labelledby={`${id}-${s.key}`}>
            {s.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
