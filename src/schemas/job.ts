/**
 * The public job object and error envelope, as zod schemas (one definition for code, tests and docs).
 * The `.meta()` texts are the API reference: `openapi/build-document.ts` publishes them verbatim.
 */
import * as z from 'zod';
import { JobWarningSchema, VideoInputSchema } from '../../providers/schemas.ts';
import { JOB_STATUSES, type JobStatus } from '../../providers/types.ts';
import { STORAGE_STATES, type StorageState } from '../outputs/videos.ts';


/** One sentence per job status: the public meaning of each state. */
const JOB_STATUS_DESCRIPTIONS: Record<JobStatus, string> = {
  queued: 'Accepted by the provider and waiting for capacity; `progress` is 0.',
  in_progress: 'The provider is generating the video; `progress` is a percentage when the provider reports one, otherwise null.',
  completed: 'Terminal: the video is ready, `videos` holds its URLs and `progress` is 100.',
  failed: 'Terminal: the provider failed the job, and `error` says why (code `generation_failed`, with the provider\'s status and message).',
  cancelled: 'Terminal: the job was cancelled at the provider; it has no videos.',
};

export const JobStatusSchema = z.enum(JOB_STATUSES).meta({
  description: [
    'The normalized job state. Poll until it is terminal (`completed`, `failed` or `cancelled`); a terminal job never changes again.',
    '',
    ...JOB_STATUSES.map((status) => `- \`${status}\`: ${JOB_STATUS_DESCRIPTIONS[status]}`),
  ].join('\n'),
  'x-enumDescriptions': JOB_STATUS_DESCRIPTIONS,
});

export const JobErrorSchema = z
  .object({
    code: z.string().meta({ description: 'Stable code; `generation_failed` when the provider failed the job.' }),
    message: z.string().meta({ description: 'Human-readable explanation.' }),
    provider_status: z.string().optional().meta({ description: "The provider's own status for the job." }),
    provider_code: z.string().optional().meta({ description: "The provider's own error code, when it gave one." }),
    provider_message: z.string().optional().meta({ description: "The provider's own error message, when it gave one." }),
  })
  .meta({ description: 'Why a job failed. Present only when `status` is `failed`.' });

const STORAGE_DESCRIPTIONS: Record<StorageState, string> = {
  pending: 'The gateway is copying the video (retrying with backoff if a try failed); `url` already works and streams from the provider meanwhile.',
  stored: 'The gateway holds its own copy: `url` serves it, with `bytes` and `sha256` of the stored file.',
  failed: 'The copy failed for good (`storage_error` says why, e.g. over `MAX_OUTPUT_BYTES`); `url` is the provider\'s.',
  expired: 'The copy was deleted under `OUTPUT_RETENTION_DAYS`; `url` is the provider\'s (which has likely expired too).',
};

export const VideoSchema = z
  .object({
    url: z.string().meta({
      format: 'uri',
      description: "Where to fetch the video. With an output store (the default), a signed gateway link (`/outputs/{id}/{index}?expires=…&signature=…`) that needs no Authorization header (so a `<video>` tag can play it), supports `Range`, and expires after `OUTPUT_URL_TTL` seconds (every read of the job gives a fresh one). Without one, or once the copy `failed` or `expired`, the provider's own URL, which may expire on the provider's schedule.",
    }),
    content_type: z.string().optional().meta({ description: 'Media type, e.g. `video/mp4` (checked by the gateway once the copy is stored).' }),
    provider_url: z.string().optional().meta({ format: 'uri', description: "The provider's own URL for the video (present with an output store)." }),
    bytes: z.number().int().optional().meta({ description: 'Size of the stored copy in bytes (once `storage` is `stored`).' }),
    sha256: z.string().optional().meta({ description: 'SHA-256 of the stored copy, lowercase hex (once `storage` is `stored`).', pattern: '^[0-9a-f]{64}$' }),
    storage: z.enum(STORAGE_STATES).optional().meta({
      description: ['Where the gateway\'s copy stands (absent without an output store):', '', ...STORAGE_STATES.map((state) => `- \`${state}\`: ${STORAGE_DESCRIPTIONS[state]}`)].join('\n'),
      'x-enumDescriptions': STORAGE_DESCRIPTIONS,
    }),
    storage_error: z.string().optional().meta({ description: 'Why the copy failed (only when `storage` is `failed`).' }),
  })
  .meta({ description: 'A generated video.' });

export const JobInputSchema = VideoInputSchema.extend({
  provider_options: z.record(z.string(), z.unknown()).optional().meta({ description: 'The provider-native options sent, keyed by provider name.' }),
}).meta({ description: "What the job asked the provider for, with the model's documented defaults filled in." });

/** A cost figure in USD and, where the price is the provider's own, in its billing unit. */
export const EstimateSchema = z
  .object({
    amount: z.number().meta({ description: 'USD, to the micro-dollar.' }),
    currency: z.literal('USD'),
    provider_units: z.number().nullable().meta({ description: "In the provider's billing unit (`unit`); null when the price is the operator's own in USD." }),
    unit: z.string().nullable().meta({ description: '`krea_compute_unit`, `aimlapi_credit`; null with `provider_units`.' }),
    approximate: z.literal(true).optional().meta({ description: 'The published price is an average, or was scaled from the nearest published length.' }),
  })
  .meta({ description: "What a job costs by the provider's published prices (or the operator's)." });

export const JobUsageSchema = EstimateSchema.extend({
  source: z.enum(['estimate', 'provider']).meta({ description: "`estimate` until the provider reports what it billed, then `provider`. A failed or cancelled job on a provider that bills no such job is 0." }),
}).meta({ description: 'What the job costs: the estimate at create, then the billed figure when the provider reports one.' });

export const JobSchema = z
  .object({
    id: z.string().meta({ description: 'The job id: `job_` and up to 60 URL-safe characters (37 today: the creation time, then 160 random bits). Poll it at `GET /v1/jobs/{id}`.', pattern: '^job_[A-Za-z0-9_-]{1,60}$' }),
    object: z.literal('job'),
    status: JobStatusSchema,
    progress: z.number().min(0).max(100).nullable().meta({ description: 'Percent done: 0 when queued, 100 when completed, the provider\'s figure while in progress, otherwise null.' }),
    model: z.string().meta({ description: 'The `model` the job was created with.' }),
    provider: z.string().meta({ description: 'The provider serving the job.' }),
    provider_model: z.string().meta({ description: "The provider's own model id." }),
    created_at: z.string().meta({ format: 'date-time', description: 'When the job was created (ISO 8601, UTC).' }),
    completed_at: z.string().meta({ format: 'date-time' }).nullable().meta({ description: 'When the job became terminal (ISO 8601, UTC); null until then.' }),
    input: JobInputSchema,
    warnings: z.array(JobWarningSchema).meta({ description: 'Notes about how the request was applied; empty when it was applied as sent.' }),
    videos: z.array(VideoSchema).meta({ description: 'The result; empty unless `status` is `completed`.' }),
    error: JobErrorSchema.nullable(),
    metadata: z.record(z.string(), z.string()).meta({ description: 'The `metadata` sent with the create, echoed back.' }),
    usage: JobUsageSchema.nullable().meta({ description: 'What the job costs (null when no price is known for its target).' }),
  })
  .meta({ description: 'A video generation job, as returned by create and by every poll.' });
export type Job = z.infer<typeof JobSchema>;

export const JobListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(JobSchema).meta({ description: 'Jobs, newest first.' }),
    has_more: z.boolean().meta({ description: 'Whether more jobs follow: ask again with `after` set to `last_id`.' }),
    first_id: z.string().nullable().meta({ description: 'The id of the first job of the page; null when it is empty.' }),
    last_id: z.string().nullable().meta({ description: 'The id of the last job of the page; null when it is empty.' }),
  })
  .meta({ description: 'A page of your jobs.' });

export const ErrorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable snake_case code; each response lists the codes it can carry. New codes may be added, so handle unknown ones by HTTP status.' }),
      message: z.string().meta({ description: 'Human-readable explanation; not stable, do not parse it.' }),
      param: z.string().optional().meta({ description: 'The request field at fault, as a dotted path (`duration`, `provider_options.krea.width`).' }),
      provider: z.string().optional().meta({ description: 'The provider involved, for provider trouble.' }),
      estimate: EstimateSchema.nullable().optional().meta({ description: 'On `cost_limit_exceeded`: the cheapest estimate among the targets that could serve the request (null when none has a known price).' }),
      request_id: z.string().optional().meta({ description: 'The request id (also sent as `X-Request-Id`); quote it when reporting a problem.' }),
    }),
  })
  .meta({ description: 'The one error envelope: every error response has this shape.' });
export type JobList = z.infer<typeof JobListSchema>;
