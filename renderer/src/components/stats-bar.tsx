/**
 * The server's counters. Each value is labelled by its term (`Active
 * connections` and so on); the visible term stays short, the rest is there
 * for screen readers. The three that tell how busy the server is come first
 * and large; the rest follow in small print.
 */
import { useId, type ReactElement } from 'react';
import type { ServerStats } from '../../../electron/shared/ipc/models';
import { formatBytes, formatCompact, formatCount } from '../lib/format';

interface Stat {
  key: string;
  label: string;
  /** The whole name, where the visible label is too short to carry it. */
  name?: string;
  /** Read after the label but not shown, to complete the name. */
  more?: string;
  value: string;
  /** The exact value, where `value` is shortened (1.2M, 23 MB): on hover and for screen readers. */
  exact: string;
  /** Tinted when the value is worth a look (rejections, errors). */
  alert?: boolean;
  title?: string;
}

export function StatsBar({ stats }: { stats: ServerStats }): ReactElement {
  const id = useId();
  const main: Stat[] = [
    { key: 'active', label: 'Active', more: ' connections', ...count(stats.active) },
    { key: 'total', label: 'Total', more: ' connections', ...count(stats.total) },
    // Not "Commands": that word belongs to the client's Command input, and names must not overlap.
    {
      key: 'requests',
      label: 'Requests',
      ...count(stats.commands),
      title: 'Command lines received',
    },
  ];
  const minor: Stat[] = [
    { key: 'rejected', label: 'Rejected', ...count(stats.rejected), alert: stats.rejected > 0 },
    {
      key: 'bytes-in',
      label: 'In',
      name: 'Bytes in',
      ...bytes(stats.bytesIn),
      title: 'Bytes received',
    },
    { key: 'errors', label: 'Errors', ...count(stats.errors), alert: stats.errors > 0 },
    {
      key: 'bytes-out',
      label: 'Out',
      name: 'Bytes out',
      ...bytes(stats.bytesOut),
      title: 'Bytes sent',
    },
  ];
  const item = (s: Stat): ReactElement => {
    const short = s.value !== s.exact;
    return (
      <div
        key={s.key}
        className={`stat stat--${s.key}${s.alert ? ' stat--alert' : ''}`}
        title={short ? `${s.title ?? s.label}: ${s.exact}` : s.title}
      >
        <dt className="stat-label" id={`${id}-${s.key}`}>
          {s.label}
          {s.more ? <span className="sr-only">{s.more}</span> : null}
        </dt>
        <dd
          className="stat-value"
          aria-label={s.name}
          aria-labelledby={s.name === undefined ? `${id}-${s.key}` : undefined}
          data-value={s.exact}
        >
          {short ? (
            <>
              {/* Seen short, heard exact: a screen reader reads the whole number. */}
              <span aria-hidden="true">{s.value}</span>
              <span className="sr-only">{s.exact}</span>
            </>
          ) : (
            s.value
          )}
        </dd>
      </div>
    );
  };
  return (
    <div className="stats">
      <dl className="stats-main">{main.map(item)}</dl>
      <dl className="stats-minor">{minor.map(item)}</dl>
    </div>
  );
}

function count(n: number): { value: string; exact: string } {
  return { value: formatCompact(n), exact: formatCount(n) };
}

function bytes(n: number): { value: string; exact: string } {
  const value = formatBytes(n);
  return { value, exact: n < 1024 ? value : `${formatCount(n)} bytes` };
}
