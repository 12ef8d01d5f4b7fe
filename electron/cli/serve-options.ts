/**
 * The headless command line's options (README.md, "Command line"), parsed and checked
 * against the same settings schema the window uses.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_LOG_KEEP } from '../services/log-file.js';
import {
  DEFAULT_SETTINGS,
  describeIssues,
  serverSettingsSchema,
  type ServerSettings,
} from '../shared/protocol/settings.js';

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
        help: { type: 'boolean', short: 'h' },
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
  const parsed = serverSettingsSchema.safeParse(candidate);
  if (!parsed.success) return { kind: 'bad', message: describeIssues(parsed.error) };
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
    },
  };
}

/** `raw` as a whole number from `min` to `max`, null when not given, or the message saying what is wrong. */
function wholeNumber(
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
