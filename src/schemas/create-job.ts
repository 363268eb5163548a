/**
 * The public create-job request. This zod schema is the single definition: it validates requests
 * and (issue #4) generates the OpenAPI document. `provider_options` keys come from the registry.
 */
import { z } from 'zod';

/** Limits on `metadata`, which is echoed back and carried inside the job id. */
export const METADATA_LIMITS = { keys: 16, keyLength: 64, valueLength: 512 } as const;

/** Gateway-wide ceiling; each model's own limit is checked against its capabilities. */
export const MAX_PROMPT_LENGTH = 10_000;

const DATA_URI = /^data:image\/(png|jpeg|jpg|webp|gif|heic);base64,[A-Za-z0-9+/=\s]+$/;

/** An image input: an https URL the provider will fetch, or an inline base64 `data:` URI. */
export const ImageInput = z
  .string()
  .max(20_000_000)
  .refine((value) => isHttpsUrl(value) || DATA_URI.test(value), {
    message: 'Expected an https URL or a data:image/<type>;base64 URI.',
  });

const Metadata = z
  .record(z.string().min(1).max(METADATA_LIMITS.keyLength), z.string().max(METADATA_LIMITS.valueLength))
  .refine((value) => Object.keys(value).length <= METADATA_LIMITS.keys, {
    message: `At most ${METADATA_LIMITS.keys} keys.`,
  });

/** Optional fields also accept `null`, meaning "not set" (many clients serialize absent as null). */
function optional<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((value) => value ?? undefined);
}

export function createJobRequestSchema(providerNames: readonly string[]) {
  const options = Object.fromEntries(providerNames.map((name) => [name, optional(z.record(z.string(), z.unknown()))]));
  return z.strictObject({
    model: z.string().min(1).max(200),
    /** Pin the job to one provider among the model's targets (no fallback to others). */
    provider: optional(z.enum(providerNames as [string, ...string[]])),
    prompt: z.string().max(MAX_PROMPT_LENGTH).refine((value) => value.trim().length > 0, { message: 'Must not be empty.' }),
    duration: optional(z.number().positive().finite()),
    aspect_ratio: optional(z.string().regex(/^\d{1,5}:\d{1,5}$/, 'Expected a ratio like "16:9".')),
    resolution: optional(z.string().min(1).max(20)),
    start_image: optional(ImageInput),
    end_image: optional(ImageInput),
    generate_audio: optional(z.boolean()),
    enhance_prompt: optional(z.boolean()),
    seed: optional(z.number().int()),
    mode: optional(z.string().min(1).max(50)),
    provider_options: optional(z.strictObject(options)),
    metadata: optional(Metadata),
  });
}

export type CreateJobRequest = z.output<ReturnType<typeof createJobRequestSchema>>;

function isHttpsUrl(value: string): boolean {
  if (!value.startsWith('https://')) return false;
  try {
    return new URL(value).hostname.length > 0;
  } catch {
    return false;
  }
}
