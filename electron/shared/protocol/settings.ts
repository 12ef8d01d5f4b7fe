/**
 * The server settings: one schema that the window, main, the settings file
 * and the command line all validate against, so every one of them refuses
 * the same bad values with the same words.
 */
import { z } from 'zod';

export const SESSION_MODES = ['session', 'one-shot'] as const;

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
  })
  .strict();

export type ServerSettings = z.output<typeof serverSettingsSchema>;

export const DEFAULT_SETTINGS: Readonly<ServerSettings> = Object.freeze({
  host: '127.0.0.1',
  port: 31310,
  mode: 'session',
  maxConnections: 1000,
  idleTimeoutSec: 300,
  maxLineBytes: 4096,
  lineTimeoutSec: 60,
  maxPerRemote: 0,
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
