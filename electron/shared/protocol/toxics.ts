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
