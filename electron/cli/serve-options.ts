/**
 * The headless command line's options (docs/command-line.md), parsed and checked
 * against the same settings schema the window uses.
 */
import { parseArgs } from 'node:util';
import { parseHostPort, type HostPort } from '../core/forwarder.js';
import { DEFAULT_LOG_KEEP } from '../services/log-file.js';
import {
  DEFAULT_SETTINGS,
  describeIssues,
  serverSettingsSchema,
  type ServerSettings,
} from '../shared/protocol/settings.js';
import {
  LISTENER_ARGS,
  LISTENER_USAGE,
  readListenerOptions,
  type ListenerOptions,
} from './listener-options.js';

export interface ServeOptions {
  settings: ServerSettings;
  json: boolean;
  quiet: boolean;
  logFile: string | null;
  /** Rotate the --log file past this many bytes; Infinity (the default) never rotates the user's file. */
  logMaxBytes: number;
  /** Rotated --log files kept beside it. */
  logKeep: number;
  commandsFile: string | null;
  /** `--forward HOST:PORT`: relay to this upstream instead of answering (docs/forwarding.md). */
  forward: HostPort | null;
  /** `--record FILE` (with --forward): the command table written when the listener stops. */
  recordFile: string | null;
  /** `--api [HOST:]PORT`: the control API's address (docs/api.md). */
  api: HostPort | null;
  /** --config, --tls, --udp and friends (listener-options.ts); absent for the plain TCP server. */
  listeners?: ListenerOptions;
}

/** The smallest --log-max: below it every few events would rotate. */
export const MIN_LOG_MAX_BYTES = 4096;
export const MAX_LOG_KEEP = 1000;

export type ParsedServeArgs =
  { kind: 'run'; options: ServeOptions } | { kind: 'help' } | { kind: 'bad'; message: string };

export const SERVE_USAGE = `Usage: npm run serve -- [options]

Runs the Switchboard line server with no window.

Options:
  --host HOST             address to listen on (default ${DEFAULT_SETTINGS.host}; 0.0.0.0 or :: for every network)
  --port PORT             port to listen on, 0 for any free port (default ${DEFAULT_SETTINGS.port})
  --mode MODE             session or one-shot (default ${DEFAULT_SETTINGS.mode})
  --max-connections N     connections served at once (default ${DEFAULT_SETTINGS.maxConnections})
  --idle-timeout SECONDS  close silent connections after this long, 0 for never (default ${DEFAULT_SETTINGS.idleTimeoutSec})
  --max-line BYTES        longest line accepted (default ${DEFAULT_SETTINGS.maxLineBytes})
  --line-timeout SECONDS  close a client that takes longer to finish a line it has begun, 0 for never (default ${DEFAULT_SETTINGS.lineTimeoutSec})
  --max-per-remote N      connections one remote address may hold at once, 0 for no limit but --max-connections (default ${DEFAULT_SETTINGS.maxPerRemote})
  --json                  print events as JSON lines
  --quiet                 print only the "listening on" and "stopped" lines
  --log FILE              append every event to FILE as JSON lines
  --log-max BYTES         rotate the log file past BYTES (FILE.1, FILE.2 …; default: never)
  --log-keep N            rotated log files kept with --log-max (default ${DEFAULT_LOG_KEEP})
  --commands FILE         serve the command table in FILE
  --forward HOST:PORT     relay every connection to HOST:PORT and log both directions
  --record FILE           with --forward: write what passed as a command table to FILE on stop
  --api [HOST:]PORT       serve the control API (Toxiproxy's, and /switchboard/) on loopback port PORT
${LISTENER_USAGE}
  --help                  show this help

Type "quit" or "stop" (or press Ctrl+C) to stop.`;

/** Parses the words after `npm run serve --`. */
export function parseServeArgs(argv: readonly string[]): ParsedServeArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        mode: { type: 'string' },
        'max-connections': { type: 'string' },
        'idle-timeout': { type: 'string' },
        'max-line': { type: 'string' },
        'line-timeout': { type: 'string' },
        'max-per-remote': { type: 'string' },
        json: { type: 'boolean' },
        quiet: { type: 'boolean' },
        log: { type: 'string' },
        'log-max': { type: 'string' },
        'log-keep': { type: 'string' },
        commands: { type: 'string' },
        forward: { type: 'string' },
        record: { type: 'string' },
        api: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        ...LISTENER_ARGS,
      },
    }));
  } catch (error) {
    return { kind: 'bad', message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help) return { kind: 'help' };

  const numbers: [keyof ServerSettings, string, string | undefined][] = [
    ['port', '--port', values.port],
    ['maxConnections', '--max-connections', values['max-connections']],
    ['idleTimeoutSec', '--idle-timeout', values['idle-timeout']],
    ['maxLineBytes', '--max-line', values['max-line']],
    ['lineTimeoutSec', '--line-timeout', values['line-timeout']],
    ['maxPerRemote', '--max-per-remote', values['max-per-remote']],
  ];
  const candidate: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  if (values.host !== undefined) candidate.host = values.host;
  if (values.mode !== undefined) candidate.mode = values.mode;
  for (const [key, flag, raw] of numbers) {
    if (raw === undefined) continue;
    const n = raw.trim() === '' ? Number.NaN : Number(raw);
    if (!Number.isFinite(n)) return { kind: 'bad', message: `${flag} needs a number, got "${raw}"` };
    candidate[key] = n;
  }
  const logMax = wholeNumber('--log-max', values['log-max'], MIN_LOG_MAX_BYTES, Number.MAX_SAFE_INTEGER);
  if (typeof logMax === 'string') return { kind: 'bad', message: logMax };
  const logKeep = wholeNumber('--log-keep', values['log-keep'], 0, MAX_LOG_KEEP);
  if (typeof logKeep === 'string') return { kind: 'bad', message: logKeep };
  if ((logMax !== null || logKeep !== null) && values.log === undefined) {
    return { kind: 'bad', message: '--log-max and --log-keep need --log FILE' };
  }
  const listeners = readListenerOptions(values);
  if (listeners && 'bad' in listeners) return { kind: 'bad', message: listeners.bad };
  const parsed = serverSettingsSchema.safeParse(candidate);
  if (!parsed.success) return { kind: 'bad', message: describeIssues(parsed.error) };
  const forward = values.forward === undefined ? null : parseHostPort(values.forward);
  if (typeof forward === 'string') return { kind: 'bad', message: `--forward: ${forward}` };
  if (forward?.port === 0) return { kind: 'bad', message: "--forward needs the upstream's real port, not 0" };
  if (values.record !== undefined && !forward)
    return { kind: 'bad', message: '--record needs --forward HOST:PORT' };
  if (values.record === '') return { kind: 'bad', message: '--record needs a file name' };
  const api = values.api === undefined ? null : parseApiAddress(values.api);
  if (typeof api === 'string') return { kind: 'bad', message: `--api: ${api}` };
  return {
    kind: 'run',
    options: {
      settings: parsed.data,
      json: values.json ?? false,
      quiet: values.quiet ?? false,
      logFile: values.log ?? null,
      logMaxBytes: logMax ?? Infinity,
      logKeep: logKeep ?? DEFAULT_LOG_KEEP,
      commandsFile: values.commands ?? null,
      forward,
      recordFile: values.record ?? null,
      api,
      ...(listeners ? { listeners } : {}),
    },
  };
}

/** `raw` as a whole number from `min` to `max`, null when not given, or the message saying what is wrong. */
export function wholeNumber(
  flag: string,
  raw: string | undefined,
  min: number,
  max: number,
): number | null | string {
  if (raw === undefined) return null;
  const n = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    return `${flag} needs a whole number from ${min} to ${max}, got "${raw}"`;
  }
  return n;
}

/** `PORT` (on 127.0.0.1) or `HOST:PORT`. */
function parseApiAddress(text: string): HostPort | string {
  const address = /^\d+$/.test(text.trim()) ? { host: '127.0.0.1', port: Number(text) } : parseHostPort(text);
  if (typeof address !== 'string' && address.port > 65535) return `"${text}" has no valid port (0 to 65535)`;
  return address;
}
