/**
 * The server settings as the form holds them: text as typed, checked with the
 * shared schema, so the window refuses exactly what main would refuse.
 */
import type { LogRetentionChoice } from '../../../electron/shared/ipc/ipc-contract';
import {
  forwardIssue,
  serverSettingsSchema,
  type ServerSettings,
} from '../../../electron/shared/protocol/settings';

/** The fields the panel shows: every server setting. */
export type SettingsField = keyof ServerSettings;

/** Every field as the user typed it; numbers stay text until they parse. */
export type SettingsDraft = Record<SettingsField, string>;

export type FieldErrors = Partial<Record<SettingsField, string>>;

export type DraftResult = { ok: true; settings: ServerSettings } | { ok: false; errors: FieldErrors };

/** The fields in the order they appear, so the first bad one can take focus. */
export const SETTINGS_FIELDS: readonly SettingsField[] = [
  'host',
  'port',
  'mode',
  'maxConnections',
  'idleTimeoutSec',
  'maxLineBytes',
  'lineTimeoutSec',
  'maxPerRemote',
  'kind',
  'forward',
];

const NUMERIC_FIELDS = new Set<SettingsField>([
  'port',
  'maxConnections',
  'idleTimeoutSec',
  'maxLineBytes',
  'lineTimeoutSec',
  'maxPerRemote',
]);

export function draftFromSettings(settings: ServerSettings): SettingsDraft {
  return {
    host: settings.host,
    port: String(settings.port),
    mode: settings.mode,
    maxConnections: String(settings.maxConnections),
    idleTimeoutSec: String(settings.idleTimeoutSec),
    maxLineBytes: String(settings.maxLineBytes),
    lineTimeoutSec: String(settings.lineTimeoutSec),
    maxPerRemote: String(settings.maxPerRemote),
    kind: settings.kind,
    forward: settings.forward,
  };
}

/**
 * Reads a typed number. `Number('')` is 0 and `Number('0x10')` is 16, which
 * would let a cleared or odd field pass as a valid value, so only plain
 * decimals count; anything else becomes NaN and the schema's "must be a
 * number" message.
 */
export function parseDecimal(text: string): number {
  const t = text.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(t) ? Number(t) : Number.NaN;
}

export function parseDraft(draft: SettingsDraft): DraftResult {
  const candidate: Record<string, string | number> = {};
  for (const field of SETTINGS_FIELDS) {
    candidate[field] = NUMERIC_FIELDS.has(field) ? parseDecimal(draft[field]) : draft[field];
  }
  const parsed = serverSettingsSchema.safeParse(candidate);
  if (parsed.success) {
    const forward = forwardIssue(parsed.data);
    return forward === null ? { ok: true, settings: parsed.data } : { ok: false, errors: { forward } };
  }
  const errors: FieldErrors = {};
  // A range says the most: 99999999999999999999 is "at most 65535", not "not a whole number"
  // (a number that large has no exact integer value, so both checks fail).
  const ranged = [...parsed.error.issues].sort((a, b) => rangeFirst(a) - rangeFirst(b));
  for (const issue of ranged) {
    const field = issue.path[0];
    // The first message per field is the one that says what to fix.
    if (typeof field === 'string' && isSettingsField(field) && errors[field] === undefined) {
      errors[field] = issue.message;
    }
  }
  return { ok: false, errors };
}

/** The field's own range first; zod's "outside the safe integers" (also a too_big) last. */
function rangeFirst(issue: { code: string; origin?: unknown }): number {
  const range = (issue.code === 'too_big' || issue.code === 'too_small') && issue.origin !== 'int';
  return range ? 0 : 1;
}

function isSettingsField(key: string): key is SettingsField {
  return (SETTINGS_FIELDS as readonly string[]).includes(key);
}

/** The log retention as the form holds it: the file size in MB (MiB, as the log file counts it) and the files kept. */
export interface RetentionDraft {
  sizeMb: string;
  keep: string;
}

export type RetentionField = keyof RetentionDraft;
export type RetentionErrors = Partial<Record<RetentionField, string>>;
export type RetentionResult =
  { ok: true; retention: LogRetentionChoice } | { ok: false; errors: RetentionErrors };

export const BYTES_PER_MB = 1024 * 1024;
/** The bounds main's settings store accepts (a file of at least 4 KiB, at most 1000 old files). */
const MIN_LOG_BYTES = 4096;
const MAX_LOG_KEEP = 1000;

/** Bytes as MB with at most three decimals: 25 MiB is "25", 4 KiB is "0.004". */
export function formatMb(bytes: number): string {
  return String(Math.round((bytes / BYTES_PER_MB) * 1000) / 1000);
}

export function retentionDraftFrom(choice: LogRetentionChoice): RetentionDraft {
  return { sizeMb: formatMb(choice.maxBytes), keep: String(choice.keep) };
}

export function parseRetentionDraft(draft: RetentionDraft): RetentionResult {
  const errors: RetentionErrors = {};
  const mb = parseDecimal(draft.sizeMb);
  const maxBytes = Math.round(mb * BYTES_PER_MB);
  if (Number.isNaN(mb)) errors.sizeMb = 'log file size must be a number';
  else if (maxBytes < MIN_LOG_BYTES) errors.sizeMb = 'log file size must be at least 0.004 MB (4 KiB)';
  else if (!Number.isSafeInteger(maxBytes)) errors.sizeMb = 'log file size is too large';
  const keep = parseDecimal(draft.keep);
  if (Number.isNaN(keep)) errors.keep = 'files kept must be a number';
  else if (!Number.isInteger(keep)) errors.keep = 'files kept must be a whole number';
  else if (keep < 0 || keep > MAX_LOG_KEEP) errors.keep = `files kept must be 0 to ${MAX_LOG_KEEP}`;
  if (errors.sizeMb !== undefined || errors.keep !== undefined) return { ok: false, errors };
  return { ok: true, retention: { maxBytes, keep } };
}
