/**
 * Why a server could not start, as a message a person can act on.
 *
 * Every message names the host and the port, so that the window, the command
 * line and the log can show it as it is.
 */
import { formatAddress } from '../shared/protocol/address.js';

export type StartErrorCode =
  'EADDRINUSE' | 'EACCES' | 'EADDRNOTAVAIL' | 'ENOTFOUND' | 'EINVAL' | 'EBUSY' | 'UNKNOWN';

export interface StartFailure {
  ok: false;
  code: StartErrorCode;
  message: string;
}

/** Maps a listen error from Node to a failure naming host and port. */
export function describeListenError(error: unknown, host: string, port: number): StartFailure {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  const where = formatAddress(host, port);
  switch (code) {
    case 'EADDRINUSE':
      return { ok: false, code, message: `port ${port} on ${host} is already in use` };
    case 'EACCES':
    case 'EPERM':
      return {
        ok: false,
        code: 'EACCES',
        message: `no permission to listen on port ${port} on ${host} (ports below 1024 usually need administrator rights)`,
      };
    case 'EADDRNOTAVAIL':
      return {
        ok: false,
        code,
        message: `cannot listen on ${where}: ${host} is not an address of this machine`,
      };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return {
        ok: false,
        code: 'ENOTFOUND',
        message: `cannot listen on ${where}: host ${host} was not found`,
      };
    default: {
      const reason = error instanceof Error ? error.message : String(error);
      return { ok: false, code: 'UNKNOWN', message: `cannot listen on ${where}: ${reason}` };
    }
  }
}

/** Checks a port and host before trying to listen; `null` when both are usable. */
export function checkListenAddress(host: string, port: number): StartFailure | null {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return {
      ok: false,
      code: 'EINVAL',
      message: `invalid port ${String(port)} on ${host}: use a whole number from 0 to 65535`,
    };
  }
  if (host.trim() === '' || /[\s/\\]/.test(host)) {
    return {
      ok: false,
      code: 'EINVAL',
      message: `invalid host "${host}" (port ${port}): use an address such as 127.0.0.1`,
    };
  }
  return null;
}
