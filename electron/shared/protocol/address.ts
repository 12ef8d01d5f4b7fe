/**
 * How an address is written wherever it is shown: the log, the status line,
 * warnings and errors.
 */

/** `host:port`, with brackets around an IPv6 address (`[::]:31310`, `[::1]:80`). */
export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
