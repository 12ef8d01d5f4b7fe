/**
 * Faults ("toxics") as data: Toxiproxy's names, attributes and defaults
 * (docs/forwarding.md), shared by the API, a table file's `"toxics"` and the
 * window, so a toxic is refused for the same reason wherever it was written.
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

/** `upstream`: what clients send; `downstream`: what they receive. */
export type ToxicStream = 'upstream' | 'downstream';

/** The longest wait any toxic may ask for: a day, so no attribute overflows a timer. */
export const MAX_TOXIC_MS = 86_400_000;
/** Toxics one listener may hold. */
export const MAX_TOXICS = 100;

const millis = (what: string) =>
  z
    .number({ error: `${what} must be a number of milliseconds` })
    .int(`${what} must be a whole number of milliseconds`)
    .min(0, `${what} cannot be negative`)
    .max(MAX_TOXIC_MS, `${what} must be at most ${MAX_TOXIC_MS}`);

const count = (what: string, min: number, max: number) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(min, `${what} must be at least ${min}`)
    .max(max, `${what} must be at most ${max}`);

/** Each type's attributes with Toxiproxy's defaults (zero, where it has none). */
export const toxicAttributeSchemas = {
  latency: z.object({ latency: millis('latency').default(0), jitter: millis('jitter').default(0) }),
  bandwidth: z.object({ rate: count('rate (KB/s)', 0, 10_000_000).default(0) }),
  slow_close: z.object({ delay: millis('delay').default(0) }),
  timeout: z.object({ timeout: millis('timeout').default(0) }),
  reset_peer: z.object({ timeout: millis('timeout').default(0) }),
  slicer: z.object({
    average_size: count('average_size', 1, 16 * 1024 * 1024).default(1),
    size_variation: count('size_variation', 0, 16 * 1024 * 1024).default(0),
    delay: count('delay (µs)', 0, MAX_TOXIC_MS * 1000).default(0),
  }),
  limit_data: z.object({ bytes: count('bytes', 0, Number.MAX_SAFE_INTEGER).default(0) }),
} as const;

export type ToxicAttributes = {
  [T in ToxicType]: z.output<(typeof toxicAttributeSchemas)[T]>;
};

const nameSchema = z
  .string({ error: 'name must be text' })
  .min(1, 'name cannot be empty')
  .max(200, 'name is too long')
  .regex(/^[^/\s?#%]+$/, 'name cannot hold spaces, "/", "?", "#" or "%"');

const streamSchema = z.enum(['upstream', 'downstream'], {
  error: 'stream was invalid, can be either upstream or downstream',
});

const toxicitySchema = z
  .number({ error: 'toxicity must be a number from 0 to 1' })
  .min(0, 'toxicity must be from 0 to 1')
  .max(1, 'toxicity must be from 0 to 1');

/** A toxic as the API and table files write it (Toxiproxy's JSON). */
export interface Toxic<T extends ToxicType = ToxicType> {
  name: string;
  type: T;
  stream: ToxicStream;
  toxicity: number;
  attributes: ToxicAttributes[T];
}

/** A toxic as it may be written: everything but `type` is optional. */
export const toxicInputSchema = z.object({
  name: nameSchema.optional(),
  type: z.enum(TOXIC_TYPES, { error: `invalid toxic type: use one of ${TOXIC_TYPES.join(', ')}` }),
  stream: streamSchema.optional(),
  toxicity: toxicitySchema.optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
});

export const toxicUpdateSchema = z.object({
  toxicity: toxicitySchema.optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
});

export type ToxicCheck = { ok: true; toxic: Toxic } | { ok: false; message: string };

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid toxic';
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return where + issue.message;
}

type AttributeCheck = { ok: true; attributes: ToxicAttributes[ToxicType] } | { ok: false; message: string };

function checkAttributes(type: ToxicType, attributes: unknown): AttributeCheck {
  const parsed = toxicAttributeSchemas[type].safeParse(attributes ?? {});
  if (!parsed.success) return { ok: false, message: `attributes.${firstIssue(parsed.error)}` };
  return { ok: true, attributes: parsed.data };
}

/** Checks a toxic as written and fills in Toxiproxy's defaults (name `TYPE_STREAM`, downstream, toxicity 1). */
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

/** Applies an update (toxicity and some attributes) to a toxic, as Toxiproxy merges it. */
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
