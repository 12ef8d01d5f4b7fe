/**
 * Where the test client connects: by default the server this window runs,
 * reached through an address that works from this machine.
 */
import type { ServerStatus } from '../../../electron/shared/ipc/models';

export interface TargetDraft {
  host: string;
  port: string;
}

export type TargetResult =
  { ok: true; host: string; port: number } | { ok: false; errors: { host?: string; port?: string } };

/**
 * A server bound to every interface cannot be dialled at `0.0.0.0` or `::`
 * everywhere, so the client uses the matching loopback address instead.
 */
export function dialableHost(serverHost: string): string {
  const h = serverHost.trim();
  if (h === '' || h === '0.0.0.0') return '127.0.0.1';
  if (h === '::' || h === '[::]') return '::1';
  return h;
}

/**
 * The address the client fields show until the user edits them: the running
 * server's real address (its port may have been 0 in the settings), or else
 * where Start would put it.
 */
export function defaultTarget(status: ServerStatus, settingsHost: string, settingsPort: string): TargetDraft {
  const live = status.state === 'running' || status.state === 'stopping' || status.state === 'starting';
  if (live && status.port > 0) return { host: dialableHost(status.host), port: String(status.port) };
  return { host: dialableHost(settingsHost), port: settingsPort.trim() === '0' ? '' : settingsPort };
}

export function parseTarget(draft: TargetDraft): TargetResult {
  // A bracketed IPv6 address is how people write it next to a port; sockets want it bare.
  const host = draft.host.trim().replace(/^\[(.*)\]$/, '$1');
  const portText = draft.port.trim();
  const port = /^\d+$/.test(portText) ? Number(portText) : Number.NaN;
  const errors: { host?: string; port?: string } = {};
  if (host === '') errors.host = 'enter the host to connect to';
  else if (/[\s/\\]/.test(host)) errors.host = 'host cannot contain spaces or slashes';
  if (!Number.isInteger(port) || port < 1 || port > 65535) errors.port = 'port must be 1 to 65535';
  if (errors.host !== undefined || errors.port !== undefined) return { ok: false, errors };
  return { ok: true, host, port };
}
