/**
 * Where the test client connects: by default the server this window runs,
 * reached through an address that works from this machine.
 */
import type { ClientState, ClientTarget, ServerStatus } from '../../../electron/shared/ipc/models';
import { formatHostPort } from './format';

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

/** How the test client reaches its target (docs/window.md). */
export type ClientTransport = NonNullable<ClientTarget['transport']>;

export const CLIENT_TRANSPORTS: readonly { value: ClientTransport; label: string }[] = [
  { value: 'tcp', label: 'TCP' },
  { value: 'tls', label: 'TLS' },
  { value: 'udp', label: 'UDP' },
];

/**
 * The request fields for a transport, with the certificate check only for
 * TLS. Plain TCP is left out (main's default) unless the open connection is
 * TLS or UDP, which a send naming no transport would keep.
 */
export function transportFields(
  transport: ClientTransport,
  tlsVerify: boolean,
  open: ClientTarget | null = null,
): Pick<ClientTarget, 'transport' | 'tlsVerify'> {
  if (transport === 'tls') return { transport, tlsVerify };
  if (transport === 'tcp' && (open?.transport ?? 'tcp') === 'tcp') return {};
  return { transport };
}

/** Whether the open connection is to this host and port over this transport (and TLS check). */
export function isConnectedTo(
  client: ClientState,
  target: { host: string; port: number } | null,
  transport: ClientTransport,
  tlsVerify: boolean,
): boolean {
  const open = client.target;
  if (!client.connected || open === null || target === null) return false;
  if (open.host !== target.host || open.port !== target.port) return false;
  if ((open.transport ?? 'tcp') !== transport) return false;
  return transport !== 'tls' || (open.tlsVerify ?? true) === tlsVerify;
}

/**
 * What the pane's header says about the connection. UDP has no handshake,
 * so an open UDP socket is not called connected (nor a closed one
 * disconnected): it sends datagrams there.
 */
export function connectionSummary(
  client: ClientState,
  chosen: ClientTransport = 'tcp',
): { text: string; where: string; live: boolean } {
  const open = client.target;
  if (!client.connected || open === null) {
    return { text: chosen === 'udp' ? 'UDP: no socket open' : 'Not connected', where: '', live: false };
  }
  const where = formatHostPort(open.host, open.port);
  if (open.transport === 'udp') return { text: 'UDP: datagrams', where: ` to ${where}`, live: true };
  // The transport goes with the address, which narrow panes leave out: the Client transport select says it.
  if (open.transport === 'tls') return { text: 'Connected', where: ` over TLS to ${where}`, live: true };
  return { text: 'Connected', where: ` to ${where}`, live: true };
}
