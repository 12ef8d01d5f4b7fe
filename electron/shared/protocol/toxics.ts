/**
 * Faults ("toxics") as data, with Toxiproxy's names, attributes and
 * meaning, as a table's `"toxics"` list holds them (docs/command-tables.md).
 * The engine that applies them lives elsewhere; this module says which
 * toxics are valid and fills in the defaults.
 */
import { z } from 'zod';

export const TOXIC_TYPES = [
  'latency',
  'bandwidth',
  'slow_close',
  'timeout',
  'reset_peer',
  'slicer',
  'limit_data',
] as const;
export type ToxicType = (typeof TOXIC_TYPES)[number];

/** The largest value any attribute takes (an hour in ms, a GiB in bytes or KB/s, an hour in µs). */
const MAX_MS = 3_600_000;
const MAX_BYTES = 1024 * 1024 * 1024;
const MAX_US = 3_600_000_000;

const amount = (name: string, unit: string, max: number) =>
  z
    .number({ error: `${name} must be a number of ${unit}` })
    .int(`${name} must be a whole number of ${unit}`)
    .min(0, `${name} cannot be negative`)
    .max(max, `${name} must be at most ${max}`)
    .optional();

/** Each type's attributes, every one optional (Toxiproxy's default is 0). */
export const TOXIC_ATTRIBUTES = {
  latency: z.object({ latency: amount('latency', 'ms', MAX_MS), jitter: amount('jitter', 'ms', MAX_MS) }),
  bandwidth: z.object({ rate: amount('rate', 'KB/s', MAX_BYTES) }),
  slow_close: z.object({ delay: amount('delay', 'ms', MAX_MS) }),
  timeout: z.object({ timeout: amount('timeout', 'ms', MAX_MS) }),
  reset_peer: z.object({ timeout: amount('timeout', 'ms', MAX_MS) }),
  slicer: z.object({
    average_size: amount('average_size', 'bytes', MAX_BYTES),
    size_variation: amount('size_variation', 'bytes', MAX_BYTES),
    delay: amount('delay', 'µs', MAX_US),
  }),
  limit_data: z.object({ bytes: amount('bytes', 'bytes', MAX_BYTES) }),
} as const;

const base = {
  name: z
    .string({ error: 'a toxic needs a name' })
    .min(1, 'a toxic needs a name')
    .max(100, 'toxic name is too long'),
  stream: z
    .enum(['upstream', 'downstream'], { error: 'stream is "upstream" (what clients send) or "downstream"' })
    .optional(),
  toxicity: z
    .number({ error: 'toxicity must be a number from 0 to 1' })
    .min(0, 'toxicity must be from 0 to 1')
    .max(1, 'toxicity must be from 0 to 1')
    .optional(),
};

function toxic<T extends ToxicType>(type: T) {
  return z
    .object({ ...base, type: z.literal(type), attributes: TOXIC_ATTRIBUTES[type].strict().optional() })
    .strict();
}

export const toxicSchema = z.discriminatedUnion(
  'type',
  [
    toxic('latency'),
    toxic('bandwidth'),
    toxic('slow_close'),
    toxic('timeout'),
    toxic('reset_peer'),
    toxic('slicer'),
    toxic('limit_data'),
  ],
  { error: `type is one of ${TOXIC_TYPES.join(', ')}` },
);

export type ToxicField = z.infer<typeof toxicSchema>;

export const MAX_TOXICS = 32;

export const toxicsSchema = z.array(toxicSchema).max(MAX_TOXICS, `a table has at most ${MAX_TOXICS} toxics`);

/** A toxic with every default filled in. */
export interface Toxic {
  name: string;
  type: ToxicType;
  stream: 'upstream' | 'downstream';
  toxicity: number;
  attributes: Record<string, number>;
}

export function resolveToxic(field: ToxicField): Toxic {
  const attributes: Record<string, number> = {};
  for (const key of Object.keys(TOXIC_ATTRIBUTES[field.type].shape)) {
    const value = (field.attributes as Record<string, number | undefined> | undefined)?.[key];
    attributes[key] = value ?? 0;
  }
  return {
    name: field.name,
    type: field.type,
    stream: field.stream ?? 'downstream',
    toxicity: field.toxicity ?? 1,
    attributes,
  };
}

// --- The control API's view: Toxiproxy's JSON, with its defaults -----------

/** Each type's attributes with every default filled in, as the engine reads them. */
export type ToxicAttributes = {
  [T in ToxicType]: { [K in keyof z.output<(typeof TOXIC_ATTRIBUTES)[T]>]-?: number };
};

/** A toxic as Toxiproxy's API takes it: everything but `type` is optional, unknown fields are ignored. */
const toxicInputSchema = z.object({
  name: base.name.regex(/^[^/\s?#%]+$/, 'toxic name cannot hold spaces, "/", "?", "#" or "%"').optional(),
  type: z.enum(TOXIC_TYPES, { error: `invalid toxic type: use one of ${TOXIC_TYPES.join(', ')}` }),
  stream: base.stream,
  toxicity: base.toxicity,
  attributes: z.record(z.string(), z.unknown()).optional(),
});

const toxicUpdateSchema = z.object({
  toxicity: base.toxicity,
  attributes: z.record(z.string(), z.unknown()).optional(),
});

export type ToxicCheck = { ok: true; toxic: Toxic } | { ok: false; message: string };

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid toxic';
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return where + issue.message;
}

/** The attributes of `type` in `value`, defaults filled in; unknown keys are dropped, as Toxiproxy does. */
function checkAttributes(
  type: ToxicType,
  value: unknown,
): { ok: true; attributes: Record<string, number> } | { ok: false; message: string } {
  const parsed = TOXIC_ATTRIBUTES[type].safeParse(value ?? {});
  if (!parsed.success) return { ok: false, message: `attributes.${firstIssue(parsed.error)}` };
  const attributes: Record<string, number> = {};
  const given = parsed.data as Record<string, number | undefined>;
  for (const key of Object.keys(TOXIC_ATTRIBUTES[type].shape)) attributes[key] = given[key] ?? 0;
  return { ok: true, attributes };
}

/** Checks a toxic as the API takes it and fills in Toxiproxy's defaults (name `TYPE_STREAM`, downstream, toxicity 1). */
export function checkToxic(value: unknown): ToxicCheck {
  const parsed = toxicInputSchema.safeParse(value);
  if (!parsed.success) return { ok: false, message: firstIssue(parsed.error) };
  const { type } = parsed.data;
  const stream = parsed.data.stream ?? 'downstream';
  const checked = checkAttributes(type, parsed.data.attributes);
  if (!checked.ok) return checked;
  return {
    ok: true,
    toxic: {
      name: parsed.data.name ?? `${type}_${stream}`,
      type,
      stream,
      toxicity: parsed.data.toxicity ?? 1,
      attributes: checked.attributes,
    },
  };
}

/** Applies an API update (toxicity, some attributes) to a toxic, merged as Toxiproxy merges it. */
export function updateToxic(toxic: Toxic, value: unknown): ToxicCheck {
  const parsed = toxicUpdateSchema.safeParse(value);
  if (!parsed.success) return { ok: false, message: firstIssue(parsed.error) };
  const checked = checkAttributes(toxic.type, { ...toxic.attributes, ...parsed.data.attributes });
  if (!checked.ok) return checked;
  return {
    ok: true,
    toxic: { ...toxic, toxicity: parsed.data.toxicity ?? toxic.toxicity, attributes: checked.attributes },
  };
}
