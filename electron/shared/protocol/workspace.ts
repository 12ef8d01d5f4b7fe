/**
 * The workspace file: several listeners run together (docs/listeners.md).
 *
 * `npm run serve -- --config FILE` reads it, and the window will edit the
 * same structure. Every listener takes the server settings (host, port,
 * mode, limits) under the same names and with the same checks as the
 * settings file and the command line. Checking a workspace names the place
 * of every problem: the listener (1-based, with its name) and the field.
 */
import { z } from 'zod';
import { checkTable, describeTableIssue } from './command-table.js';
import { formatAddress } from './address.js';
import { parseJson } from './json-location.js';
import { DEFAULT_SETTINGS, serverSettingsSchema } from './settings.js';
import { toxicsSchema } from './toxics.js';

export const TRANSPORTS = ['tcp', 'tls', 'udp'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** The largest payload of one UDP datagram over IPv4. */
export const MAX_DATAGRAM_BYTES = 65_507;
export const MAX_LISTENERS = 64;

export const listenerSpecSchema = serverSettingsSchema
  .partial()
  .extend({
    name: z
      .string({ error: 'give each listener a name' })
      .trim()
      .min(1, 'give each listener a name')
      .max(64, 'name is too long (at most 64 characters)')
      .regex(/^[^\s()]+$/, 'name cannot contain spaces or brackets'),
    transport: z.enum(TRANSPORTS, { error: 'transport must be tcp, tls or udp' }).default('tcp'),
    /** A command table, or the path of a table file relative to the workspace file. */
    commands: z.unknown().optional(),
    /** PEM files of the listener's own certificate (tls only), relative to the workspace file. */
    cert: z.string().min(1, 'cert needs a file name').optional(),
    key: z.string().min(1, 'key needs a file name').optional(),
    maxDatagramBytes: z
      .number({ error: 'max datagram must be a number' })
      .int('max datagram must be a whole number of bytes')
      .min(1, 'max datagram must be at least 1 byte')
      .max(MAX_DATAGRAM_BYTES, `max datagram must be at most ${MAX_DATAGRAM_BYTES} bytes`)
      .optional(),
    /** Forwarding and faults (docs/listeners.md): kept as given, read by the forwarder. */
    forward: z.string().min(1, 'forward needs HOST:PORT').optional(),
    /** Reach the forward target over TLS: `true` checks its certificate, `{ "verify": false }` does not. */
    forwardTls: z
      .union(
        [
          z.boolean(),
          z
            .object({
              verify: z.boolean({ error: 'verify must be true or false' }).optional(),
              ca: z.string().min(1, 'ca needs a file name').optional(),
              servername: z.string().min(1, 'servername cannot be empty').max(253).optional(),
            })
            .strict(),
        ],
        { error: 'forwardTls must be true, false or { "verify", "ca", "servername" }' },
      )
      .optional(),
    toxics: z.array(z.unknown(), { error: 'toxics must be a list' }).optional(),
  })
  .strict();

export type ListenerSpec = z.output<typeof listenerSpecSchema>;

export const workspaceSchema = z
  .object({
    listeners: z
      .array(z.unknown(), { error: 'listeners must be a list' })
      .min(1, 'a workspace needs at least one listener')
      .max(MAX_LISTENERS, `a workspace holds at most ${MAX_LISTENERS} listeners`),
  })
  .strict();

export interface Workspace {
  listeners: ListenerSpec[];
}

export interface WorkspaceIssue {
  message: string;
  /** 0-based index into `listeners`. */
  listener?: number;
  /** The listener's name, when it has one. */
  name?: string;
  field?: string;
  line?: number;
  column?: number;
}

export type WorkspaceCheck = { ok: true; workspace: Workspace } | { ok: false; issues: WorkspaceIssue[] };

/** One issue as a line of text: `listener 2 "api", port: …`. */
export function describeWorkspaceIssue(issue: WorkspaceIssue): string {
  if (issue.line !== undefined) return `line ${issue.line}, column ${issue.column ?? 1}: ${issue.message}`;
  const parts: string[] = [];
  if (issue.listener !== undefined) {
    parts.push(`listener ${issue.listener + 1}${issue.name ? ` "${issue.name}"` : ''}`);
  }
  if (issue.field) parts.push(issue.field);
  return parts.length > 0 ? `${parts.join(', ')}: ${issue.message}` : issue.message;
}

/** Checks the text of a workspace file. */
export function parseWorkspaceFile(text: string): WorkspaceCheck {
  const json = parseJson(text);
  if (!json.ok) {
    const { message, line, column } = json.error;
    return { ok: false, issues: [{ message: `not valid JSON: ${message}`, line, column }] };
  }
  return checkWorkspace(json.value);
}

/** Checks a parsed workspace: every listener alone, then the listeners together. */
export function checkWorkspace(value: unknown): WorkspaceCheck {
  const top = workspaceSchema.safeParse(value);
  if (!top.success) {
    return {
      ok: false,
      issues: top.error.issues.map((issue) => ({
        message: issue.message,
        ...(issue.path[0] !== undefined ? { field: String(issue.path[0]) } : {}),
      })),
    };
  }
  const issues: WorkspaceIssue[] = [];
  const listeners: ListenerSpec[] = [];
  top.data.listeners.forEach((raw, index) => {
    const name = nameOf(raw);
    const at = { listener: index, ...(name ? { name } : {}) };
    const parsed = listenerSpecSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.map(String).join('.');
        issues.push({ ...at, message: issue.message, ...(field ? { field } : {}) });
      }
      return;
    }
    const spec = parsed.data;
    if (spec.commands === '') {
      issues.push({ ...at, field: 'commands', message: 'commands needs a file name or a table' });
    } else if (spec.commands !== undefined && typeof spec.commands !== 'string') {
      const table = checkTable(spec.commands);
      if (!table.ok) {
        for (const issue of table.issues)
          issues.push({ ...at, field: 'commands', message: describeTableIssue(issue) });
      }
    }
    if ((spec.cert === undefined) !== (spec.key === undefined)) {
      issues.push({
        ...at,
        field: spec.cert ? 'key' : 'cert',
        message: 'cert and key go together: give both or neither',
      });
    }
    if (spec.transport !== 'tls') {
      for (const field of ['cert', 'key'] as const) {
        if (spec[field] !== undefined)
          issues.push({ ...at, field, message: `${field} is for tls listeners only` });
      }
    }
    if (spec.forwardTls !== undefined && spec.forward === undefined) {
      issues.push({ ...at, field: 'forwardTls', message: 'forwardTls needs forward (HOST:PORT)' });
    }
    if (spec.forward !== undefined && spec.transport === 'udp' && spec.forwardTls) {
      issues.push({ ...at, field: 'forwardTls', message: 'a udp listener forwards datagrams, not TLS' });
    }
    if (spec.toxics !== undefined) {
      if (spec.transport === 'udp') {
        issues.push({ ...at, field: 'toxics', message: 'udp listeners take no toxics' });
      } else {
        const toxics = toxicsSchema.safeParse(spec.toxics);
        if (!toxics.success) {
          for (const issue of toxics.error.issues) {
            const field = ['toxics', ...issue.path.map(String)].join('.').replace(/\.(\d+)/g, '[$1]');
            issues.push({ ...at, field, message: issue.message });
          }
        } else {
          const names = new Set<string>();
          toxics.data.forEach((toxic, i) => {
            if (names.has(toxic.name)) {
              issues.push({ ...at, field: `toxics[${i}].name`, message: `"${toxic.name}" is named twice` });
            }
            names.add(toxic.name);
          });
        }
      }
    }
    if (spec.maxDatagramBytes !== undefined && spec.transport !== 'udp') {
      issues.push({
        ...at,
        field: 'maxDatagramBytes',
        message: 'maxDatagramBytes is for udp listeners only',
      });
    }
    listeners.push(spec);
  });
  if (issues.length === 0) issues.push(...clashes(listeners));
  return issues.length > 0 ? { ok: false, issues } : { ok: true, workspace: { listeners } };
}

function nameOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || !('name' in raw)) return undefined;
  return typeof raw.name === 'string' && raw.name.trim() !== '' ? raw.name.trim() : undefined;
}

/** TCP and TLS listeners share the TCP ports; UDP ports are another space. */
function portSpace(transport: Transport): 'tcp' | 'udp' {
  return transport === 'udp' ? 'udp' : 'tcp';
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/** Two listeners that cannot both listen: same name, or the same port on an overlapping address. */
function clashes(listeners: readonly ListenerSpec[]): WorkspaceIssue[] {
  const issues: WorkspaceIssue[] = [];
  listeners.forEach((spec, index) => {
    const at = { listener: index, name: spec.name };
    for (let j = 0; j < index; j++) {
      const other = listeners[j];
      if (!other) continue;
      const them = `listener ${j + 1} "${other.name}"`;
      if (other.name === spec.name) {
        issues.push({ ...at, field: 'name', message: `"${spec.name}" is already the name of ${them}` });
        continue;
      }
      const host = spec.host ?? DEFAULT_SETTINGS.host;
      const port = spec.port ?? DEFAULT_SETTINGS.port;
      const otherHost = other.host ?? DEFAULT_SETTINGS.host;
      const otherPort = other.port ?? DEFAULT_SETTINGS.port;
      if (port === 0 || port !== otherPort || portSpace(spec.transport) !== portSpace(other.transport))
        continue;
      const overlap =
        host.toLowerCase() === otherHost.toLowerCase() || WILDCARDS.has(host) || WILDCARDS.has(otherHost);
      if (overlap) {
        const space = portSpace(spec.transport).toUpperCase();
        issues.push({
          ...at,
          field: 'port',
          message: `${space} port ${formatAddress(host, port)} is already taken by ${them} on ${formatAddress(otherHost, otherPort)}`,
        });
      }
    }
  });
  return issues;
}
