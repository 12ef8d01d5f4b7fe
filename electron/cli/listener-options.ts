/**
 * The command line's options for several listeners, TLS and UDP
 * (docs/listeners.md): `--config`, `--tls`, `--cert`, `--key`, `--udp` and
 * `--data-dir`, declared here and read alongside the other options.
 */
import type { Transport } from '../shared/protocol/workspace.js';

export interface ListenerOptions {
  /** A workspace file: its listeners replace the single one of the other options. */
  configFile: string | null;
  transport: Transport;
  certFile: string | null;
  keyFile: string | null;
  /** Where the self-signed certificate is kept; null for the app's data folder. */
  dataDir: string | null;
}

export const LISTENER_ARGS = {
  config: { type: 'string' },
  tls: { type: 'boolean' },
  cert: { type: 'string' },
  key: { type: 'string' },
  udp: { type: 'boolean' },
  'data-dir': { type: 'string' },
} as const;

export const LISTENER_USAGE = `  --config FILE           run every listener of the workspace FILE
  --tls                   clients speak TLS (a self-signed certificate unless --cert and --key)
  --cert FILE             PEM certificate for --tls
  --key FILE              PEM private key for --tls
  --udp                   serve datagrams over UDP
  --data-dir DIR          where the generated certificate is kept (default: the app's data folder)`;

/** The options a workspace file gives instead, refused next to --config. */
const SINGLE_LISTENER_FLAGS = [
  'host',
  'port',
  'mode',
  'max-connections',
  'idle-timeout',
  'max-line',
  'line-timeout',
  'max-per-remote',
  'commands',
  'forward',
  'record',
  'tls',
  'cert',
  'key',
  'udp',
] as const;

type Values = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

function text(value: Values[string]): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * Reads this file's options from parseArgs' values: `undefined` when none
 * is given (the plain TCP server), or a message for a bad combination.
 */
export function readListenerOptions(values: Values): ListenerOptions | undefined | { bad: string } {
  if (Object.keys(LISTENER_ARGS).every((flag) => values[flag] === undefined)) return undefined;
  const configFile = text(values.config);
  if (configFile !== null) {
    const clash = SINGLE_LISTENER_FLAGS.find((flag) => values[flag] !== undefined);
    if (clash) return { bad: `--config takes every listener from the file: give --${clash} there, not here` };
  }
  // --forward and --record run one plain TCP listener; a workspace file forwards over TLS and UDP (docs/listeners.md).
  if (configFile === null && (values.tls === true || values.udp === true || values.cert !== undefined)) {
    const other = ['forward', 'record'].find((flag) => values[flag] !== undefined);
    if (other) {
      return {
        bad: `--${other} works with a plain TCP listener only; forward over TLS or UDP from a --config file`,
      };
    }
  }
  const certFile = text(values.cert);
  const keyFile = text(values.key);
  if ((certFile === null) !== (keyFile === null))
    return { bad: '--cert and --key go together: give both or neither' };
  if (values.udp === true && (values.tls === true || certFile !== null)) {
    return { bad: '--udp cannot be combined with --tls, --cert or --key' };
  }
  // A certificate of the user's means TLS, with or without --tls.
  const transport: Transport =
    values.udp === true ? 'udp' : values.tls === true || certFile !== null ? 'tls' : 'tcp';
  return { configFile, transport, certFile, keyFile, dataDir: text(values['data-dir']) };
}
