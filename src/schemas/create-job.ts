/**
 * The public create-job request. This schema is the single definition: it validates requests
 * and (issue #4) generates the OpenAPI document, with the fields' texts from create-job-docs.ts
 * (kept apart so that the Worker, which validates but serves a prebuilt document, does not carry
 * them). `provider_options` keys come from the registry.
 */
import * as v from '../validation/index.ts';
import { WEBHOOK_EVENTS } from '../jobs/webhooks/events.ts';
import type { IssueAnswer } from '../http/request-body.ts';

/** Limits on `metadata`, which is echoed back and carried inside the job id. */
export const METADATA_LIMITS = { keys: 16, keyLength: 64, valueLength: 512 } as const;

/**
 * Gateway-wide ceiling on `prompt` (characters); each model's own limit is checked against its
 * capabilities. Both answer `422 prompt_too_long`, so a client handles one code whichever applies.
 */
export const MAX_PROMPT_LENGTH = 10_000;

/**
 * An image input: an https URL the provider will fetch, or an inline base64 `data:` URI. What makes
 * one acceptable (safe addresses, a decodable image of the declared type within the size limit) is
 * checked with the gateway's configuration before the create (src/capabilities/client-urls.ts).
 */
const ImageInput = v
  .string()
  .min(1)
  .max(20_000_000)
  .meta({ pattern: '^(https?://|[dD][aA][tT][aA]:image/)', format: 'uri' });

const Metadata = v
  .record(v.string().min(1).max(METADATA_LIMITS.keyLength), v.string().max(METADATA_LIMITS.valueLength))
  .refine((value) => Object.keys(value).length <= METADATA_LIMITS.keys, {
    message: `At most ${METADATA_LIMITS.keys} keys.`,
  })
  .meta({ maxProperties: METADATA_LIMITS.keys });

/** Optional fields also accept `null`, meaning "not set" (many clients serialize absent as null). */
function optional<T extends v.AnySchema>(schema: T) {
  return schema.nullish().transform((value) => value ?? undefined);
}

export function createJobRequestSchema(providerNames: readonly string[]) {
  const options = Object.fromEntries(providerNames.map((name) => [name, optional(v.record(v.string(), v.unknown()))]));
  return v.strictObject({
    model: v.string().min(1).max(200),
    /** Pin the job to one provider among the model's targets (no fallback to others). */
    provider: optional(v.enum(providerNames as [string, ...string[]])),
    prompt: v
      .string()
      .refine((value) => value.length <= MAX_PROMPT_LENGTH, {
        params: { status: 422, code: 'prompt_too_long' } satisfies IssueAnswer,
        error: (issue) => `vidgate accepts prompts of at most ${MAX_PROMPT_LENGTH} characters; got ${String(issue.input).length}.`,
        abort: true,
      })
      .refine((value) => value.trim().length > 0, { message: 'Must not be empty.' })
      // The refinements are code; these keywords state them for the document.
      .meta({ maxLength: MAX_PROMPT_LENGTH, pattern: '\\S' }),
    duration: optional(v.number().positive().finite()),
    aspect_ratio: optional(v.string().regex(/^\d{1,5}:\d{1,5}$/, 'Expected a ratio like "16:9".')),
    resolution: optional(v.string().min(1).max(20)),
    start_image: optional(ImageInput),
    end_image: optional(ImageInput),
    generate_audio: optional(v.boolean()),
    enhance_prompt: optional(v.boolean()),
    seed: optional(v.number().int()),
    mode: optional(v.string().min(1).max(50)),
    provider_options: optional(v.strictObject(options)),
    metadata: optional(Metadata),
    max_cost_usd: optional(v.number().nonnegative().finite()),
    webhook_url: optional(v.string().min(1).max(2_048)).meta({ format: 'uri' }),
    webhook_events: optional(v.array(v.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length).refine((events) => new Set(events).size === events.length, { message: 'Each event at most once.' })),
  });
}

export type CreateJobRequest = v.Output<ReturnType<typeof createJobRequestSchema>>;
