/**
 * The public create-job request. This schema is the single definition: it validates requests
 * and (issue #4) generates the OpenAPI document. `provider_options` keys come from the registry.
 */
import * as v from '../validation/index.ts';
import { WEBHOOK_EVENTS } from '../jobs/webhooks/events.ts';
import type { IssueAnswer } from '../http/request-body.ts';

/** Limits on `metadata`, which is echoed back and carried inside the job id. */
const METADATA_LIMITS = { keys: 16, keyLength: 64, valueLength: 512 } as const;

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
  return v
    .strictObject({
      model: v.string().min(1).max(200).meta({ description: '`<provider>/<model id>` (or an alias); `GET /v1/models` lists them all.', examples: ['krea/kling/kling-2.5'] }),
      /** Pin the job to one provider among the model's targets (no fallback to others). */
      provider: optional(v.enum(providerNames as [string, ...string[]])).meta({ description: "Pin the job to one provider among the model's targets (no fallback to others)." }),
      prompt: v
        .string()
        .refine((value) => value.length <= MAX_PROMPT_LENGTH, {
          params: { status: 422, code: 'prompt_too_long' } satisfies IssueAnswer,
          error: (issue) => `vidgate accepts prompts of at most ${MAX_PROMPT_LENGTH} characters; got ${String(issue.input).length}.`,
          abort: true,
        })
        .refine((value) => value.trim().length > 0, { message: 'Must not be empty.' })
        // The refinements are code; these keywords state them for the document.
        .meta({ maxLength: MAX_PROMPT_LENGTH, pattern: '\\S', description: `What to generate, at most ${MAX_PROMPT_LENGTH} characters. Must not be blank; each model's own limit (\`capabilities.prompt\` in \`GET /v1/models\`) may be lower.` }),
      duration: optional(v.number().positive().finite()).meta({ description: 'Length in seconds. Accepted as sent or rejected (422); frame-counted models round to the nearest frame count and say so in `warnings`.' }),
      aspect_ratio: optional(v.string().regex(/^\d{1,5}:\d{1,5}$/, 'Expected a ratio like "16:9".')).meta({ description: 'Like `16:9`; compared by value (`1920:1080` is `16:9`).' }),
      resolution: optional(v.string().min(1).max(20)).meta({ description: 'Like `720p` or `4k`; case-insensitive.' }),
      start_image: optional(ImageInput).meta({ description: 'First frame: an https URL or a `data:image/<type>;base64,…` URI.' }),
      end_image: optional(ImageInput).meta({ description: 'Last frame: an https URL or a `data:image/<type>;base64,…` URI.' }),
      generate_audio: optional(v.boolean()).meta({ description: 'Generate a soundtrack. `false` is accepted by models without audio.' }),
      enhance_prompt: optional(v.boolean()).meta({ description: "Let the provider rewrite the prompt. `false` is accepted by models without the feature." }),
      seed: optional(v.number().int()).meta({ description: "Integer seed, within the model's bounds." }),
      mode: optional(v.string().min(1).max(50)).meta({ description: "A model's generation mode, e.g. Kling's `pro`." }),
      provider_options: optional(v.strictObject(options)).meta({
        description: 'Provider-native extras keyed by provider name, validated against the JSON Schema that `GET /v1/models` publishes for the model (`capabilities.provider_options`).',
        examples: [{ krea: { width: 832, height: 480 } }],
      }),
      metadata: optional(Metadata).meta({
        description: `Your own string map, echoed back on the job: up to ${METADATA_LIMITS.keys} keys of at most ${METADATA_LIMITS.keyLength} characters, values of at most ${METADATA_LIMITS.valueLength}.`,
        examples: [{ order: '42' }],
      }),
      max_cost_usd: optional(v.number().nonnegative().finite()).meta({
        description: 'The most this job may cost, in USD. A target whose estimate is higher (or unknown) is never picked; when no target fits, the create is a 422 `cost_limit_exceeded` with the estimate, and nothing is sent.',
        examples: [1.5],
      }),
      webhook_url: optional(v.string().min(1).max(2_048)).meta({
        format: 'uri',
        description: 'Where to send signed webhooks (Standard Webhooks) about this job: an https URL on a public address. Needs `WEBHOOK_SECRET` on the gateway.',
        examples: ['https://app.example.com/hooks/vidgate'],
      }),
      webhook_events: optional(v.array(v.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length).refine((events) => new Set(events).size === events.length, { message: 'Each event at most once.' })).meta({
        description: 'Which events to send (default: the three terminal ones). `job.updated` is sent for every change of status or progress after the create.',
        examples: [['job.completed', 'job.failed']],
      }),
    })
    .meta({ description: 'A video generation request. Unknown fields are a 400; `null` means "not set". Documented defaults are applied and echoed in the job\'s `input`.' });
}

export type CreateJobRequest = v.Output<ReturnType<typeof createJobRequestSchema>>;
