/**
 * The server settings: one schema that the window, main, the settings file
 * and the command line all validate against, so every one of them refuses
 * the same bad values with the same words.
 */
import { z } from 'zod';

export const SESSION_MODES = ['session', 'one-shot'] as const;

/** What a listener does with a connection: answer from its table, or relay it (docs/forwarding.md). */
export const LISTENER_KINDS = ['mock', 'forward'] as const;
export type ListenerKind = (typeof LISTENER_KINDS)[number];

/**
 * `HOST:PORT` (`[v6]:PORT` for IPv6) of an upstream, as `--forward` takes it
 * (electron/core/forwarder.ts's parseHostPort reads the same). The upstream's
 * port cannot be 0: there is no "any port" to connect to.
 */
export function checkForwardTarget(text: string): { host: string; port: number } | string {
  const m = /^(?:\[([^\]]+)\]|([^:[\]\s/\\]+)):(\d{1,5})$/.exec(text.trim());
  const host = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  if (text.trim() === '') return 'enter the upstream as HOST:PORT, such as 127.0.0.1:6379';
  if (!m || !host) return 'forward to must be HOST:PORT, such as 127.0.0.1:6379';
  if (!Number.isInteger(port) || port < 1 || port > 65535) return 'the upstream port must be 1 to 65535';
  return { host, port };
}

export const serverSettingsSchema = z
  .object({
    host: z
      .string()
      .trim()
      .min(1, 'enter a host, such as 127.0.0.1')
      .max(253, 'host is too long')
      .regex(/^[^\s/\\]+$/, 'host cannot contain spaces or slashes'),
    port: z
      .number({ error: 'port must be a number' })
      .int('port must be a whole number')
      .min(0, 'port must be 0 to 65535')
      .max(65535, 'port must be 0 to 65535'),
    mode: z.enum(SESSION_MODES, { error: 'mode must be session or one-shot' }),
    maxConnections: z
      .number({ error: 'max connections must be a number' })
      .int('max connections must be a whole number')
      .min(1, 'max connections must be at least 1')
      .max(1_000_000, 'max connections must be at most 1000000'),
    idleTimeoutSec: z
      .number({ error: 'idle timeout must be a number' })
      .min(0, 'idle timeout must be 0 (none) or more seconds')
      .max(86_400 * 7, 'idle timeout must be at most a week'),
    maxLineBytes: z
      .number({ error: 'max line must be a number' })
      .int('max line must be a whole number of bytes')
      .min(1, 'max line must be at least 1 byte')
      .max(16 * 1024 * 1024, 'max line must be at most 16 MiB'),
    // The two below came later: a settings file or a caller without them gets the default.
    /** How long a client may take to finish a line once it has begun it (0 = no limit). */
    lineTimeoutSec: z
      .number({ error: 'line timeout must be a number' })
      .min(0, 'line timeout must be 0 (none) or more seconds')
      .max(86_400 * 7, 'line timeout must be at most a week')
      .default(60),
    /** Connections one remote address may hold at once (0 = no limit but max connections). */
    maxPerRemote: z
      .number({ error: 'max per remote must be a number' })
      .int('max per remote must be a whole number')
      .min(0, 'max per remote must be 0 (no limit) or more')
      .max(1_000_000, 'max per remote must be at most 1000000')
      .default(0),
    /** `forward`: relay every connection to `forward` instead of answering (docs/forwarding.md). */
    kind: z.enum(LISTENER_KINDS, { error: 'listener must be mock or forward' }).default('mock'),
    /** The upstream, `HOST:PORT`; checked only in forward mode, kept as typed otherwise. */
    forward: z.string({ error: 'forward to must be text' }).max(300, 'forward to is too long').default(''),
  })
  .strict();

export type ServerSettings = z.output<typeof serverSettingsSchema>;

/**
 * What the schema cannot say without losing `.partial()` (the workspace
 * file's listeners build on it): in forward mode, the upstream must be
 * `HOST:PORT`. Null when the settings are good.
 */
export function forwardIssue(settings: Pick<ServerSettings, 'kind' | 'forward'>): string | null {
  if (settings.kind !== 'forward') return null;
  const target = checkForwardTarget(settings.forward);
  return typeof target === 'string' ? target : null;
}

export const DEFAULT_SETTINGS: Readonly<ServerSettings> = Object.freeze({
  host: '127.0.0.1',
  port: 31310,
  mode: 'session',
  maxConnections: 1000,
  idleTimeoutSec: 300,
  maxLineBytes: 4096,
  lineTimeoutSec: 60,
  maxPerRemote: 0,
  kind: 'mock',
  forward: '',
});

/** One message for a failed parse: the field and what is wrong with it. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.map(String).join('.');
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** True for an address only this machine can reach (the safe default). */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  return h === 'localhost' || h === '::1' || h === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
