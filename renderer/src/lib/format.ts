/** Small formatters for the log, the transcript and the counters. */

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `14:03:07` in local time; the log shows it next to each row. */
export function formatClock(at: number): string {
  const d = new Date(at);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The milliseconds after the clock, `.123`, shown where there is room. */
export function formatMillis(at: number): string {
  return `.${pad(new Date(at).getMilliseconds(), 3)}`;
}

/** The full local date and time, for tooltips. */
export function formatTimestamp(at: number): string {
  return new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

const counter = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return counter.format(n);
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** `512 B`, `1.4 KB`, `23 MB`: short enough for a stat tile. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit] ?? 'B'}`;
}

/** An error's message, for errors that crossed the bridge as anything at all. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'unexpected error';
}

/** `host:port`, with brackets around an IPv6 address (`[::]:31310`): the one helper the whole app writes addresses with. */
export { formatAddress as formatHostPort } from '../../../electron/shared/protocol/address';

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/**
 * `950`, `9,999`, `12K`, `1.2M`: short enough for a stat tile or an axis
 * label, whatever the count. Below 10,000 it is the exact value; above, show
 * the exact one beside it (a title, and the name screen readers read).
 */
export function formatCompact(n: number): string {
  return Math.abs(n) < 10_000 ? counter.format(n) : compact.format(n);
}

/** `1 time`, `3 times`, `1,204 rows`: the count and its word, singular for one. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
