/**
 * How an address is written everywhere Switchboard shows one: the command
 * line's `listening on` line, the log, the window, error messages.
 */

/** `host:port`, with brackets around an IPv6 address (`[::]:31310`), so the port cannot be misread. */
export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
