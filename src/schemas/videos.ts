/**
 * The OpenAI-shaped Videos API (DESIGN §7): the create's form variant, the video object, its list,
 * the delete answer and OpenAI's error envelope, as zod schemas, for their types and the API
 * document (the request itself, which validates, is in video-request.ts). Field names and types
 * follow the official `openai` SDK's `Video` so that SDK (and LiteLLM, Azure-style clients) read
 * our answers as its own.
 */
import * as z from 'zod';

/** The form variant, for the document: the same fields, with `input_reference` as a file part. */
export const CreateVideoFormSchema = z
  .object({
    model: z.string(),
    prompt: z.string(),
    seconds: z.string().optional(),
    size: z.string().optional(),
    input_reference: z.string().optional().meta({ format: 'binary', description: 'The first frame as an image file (PNG, JPEG, WebP, GIF, HEIC/HEIF), at most `MAX_IMAGE_BYTES`.' }),
    'input_reference[image_url]': z.string().optional().meta({ description: 'The first frame by URL instead of a file.' }),
  })
  .meta({ description: 'The create as `multipart/form-data`.' });

export const VIDEO_STATUSES = ['queued', 'in_progress', 'completed', 'failed'] as const;

export const OpenAIVideoSchema = z
  .object({
    id: z.string().meta({ description: 'The job id: the same id works on `/v1/jobs/{id}`.', pattern: '^job_[A-Za-z0-9_-]{1,60}$' }),
    object: z.literal('video'),
    model: z.string().meta({ description: 'The model as requested.' }),
    status: z.enum(VIDEO_STATUSES).meta({ description: 'A cancelled job shows as `failed` with `error.code` `cancelled`.' }),
    progress: z.number().min(0).max(100).meta({ description: 'Percent done (0 while queued or when the provider reports none, 100 when completed).' }),
    created_at: z.number().int().meta({ description: 'Unix seconds.' }),
    completed_at: z.number().int().nullable().meta({ description: 'Unix seconds when the job ended; null until then.' }),
    expires_at: z.number().int().nullable().meta({ description: 'Unix seconds when the gateway\'s copy is deleted (`OUTPUT_RETENTION_DAYS`); null when it is kept (or not yet stored).' }),
    prompt: z.string().nullable(),
    seconds: z.string().nullable().meta({ description: 'The applied length in seconds; null for a model without length control.' }),
    size: z.string().nullable().meta({ description: 'The requested `size` (or, without one, the applied resolution and ratio as `WxH` where they determine it); null when unknown.' }),
    remixed_from_video_id: z.null().meta({ description: 'Always null: remixes are not offered.' }),
    error: z.object({ code: z.string(), message: z.string() }).nullable().meta({ description: 'Why the job failed or was cancelled; null otherwise.' }),
  })
  .meta({ description: 'A video job in the OpenAI Videos API shape.' });
export type OpenAIVideo = z.infer<typeof OpenAIVideoSchema>;

export const OpenAIVideoListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(OpenAIVideoSchema),
    has_more: z.boolean().meta({ description: 'Whether more follow: ask again with `after` set to `last_id`.' }),
    first_id: z.string().nullable(),
    last_id: z.string().nullable(),
  })
  .meta({ description: 'A page of your videos.' });
export type OpenAIVideoList = z.infer<typeof OpenAIVideoListSchema>;

export const OpenAIVideoDeletedSchema = z
  .object({ id: z.string(), object: z.literal('video.deleted'), deleted: z.literal(true) })
  .meta({ description: 'The video (job) and its stored copies are gone: `/v1/videos/{id}` and `/v1/jobs/{id}` are 404 from now on.' });

export const OPENAI_ERROR_TYPES = ['invalid_request_error', 'authentication_error', 'permission_error', 'rate_limit_error', 'server_error'] as const;

export const OpenAIErrorEnvelopeSchema = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.enum(OPENAI_ERROR_TYPES).meta({ description: 'From the HTTP status: 401 `authentication_error`, 403 `permission_error`, 429 `rate_limit_error`, 5xx `server_error`, any other `invalid_request_error`.' }),
      param: z.string().nullable().meta({ description: 'The request field at fault, in this API\'s names (`seconds`, `size`, `input_reference`).' }),
      code: z.string().meta({ description: 'The gateway\'s stable code (the same codes as the jobs API).' }),
    }),
  })
  .meta({ description: "OpenAI's error envelope, used on every `/v1/videos` route." });
export type OpenAIErrorEnvelope = z.infer<typeof OpenAIErrorEnvelopeSchema>;
