/**
 * Examples shown in the document. They are data, not schema: a contract test validates each one
 * against its schema, and replays the create example against a live gateway, so they cannot lie.
 * Error messages come from the gateway's own error constructors wherever one exists.
 */
import type { ErrorCodeEntry } from '../error-catalog.ts';
import { errorBody, GatewayError, internalError, jobNotFound, openAIErrorBody, unauthorized, upstreamError, type ErrorBody, type OpenAIErrorBody } from '../errors.ts';
import type { Job } from '../schemas/job.ts';

const JOB_ID = 'job_A_NyupTnkhX2UIO4SkQ3c1V6bZp9Jr0Lw8eYtGxHuKoDmFsNa';
const REQUEST_ID = 'req_81f2486fa74946f9bdebefb1b82d80ee';

/** The create example: Wan 14B counts frames, so 5 s is applied as 78 frames = 4.875 s. */
export const CREATE_REQUEST_EXAMPLE = {
  model: 'aimlapi/krea/krea-wan-14b/text-to-video',
  prompt: 'a red fox running through snow',
  duration: 5,
  metadata: { order: '42' },
};

const DURATION_ADJUSTED = {
  code: 'duration_adjusted',
  field: 'duration',
  message: 'This model counts length in frames (12n+6 at 16 fps); 5 s became 78 frames = 4.875 s.',
  requested: 5,
  applied: 4.875,
};

/** The 202 answer to {@link CREATE_REQUEST_EXAMPLE}. */
export const CREATED_JOB_EXAMPLE: Job = {
  id: JOB_ID,
  object: 'job',
  status: 'queued',
  progress: 0,
  model: CREATE_REQUEST_EXAMPLE.model,
  provider: 'aimlapi',
  provider_model: 'krea/krea-wan-14b/text-to-video',
  created_at: '2026-11-22T02:43:00.012Z',
  completed_at: null,
  input: { prompt: CREATE_REQUEST_EXAMPLE.prompt, duration: 4.875, enhance_prompt: true },
  warnings: [DURATION_ADJUSTED],
  videos: [],
  error: null,
  metadata: CREATE_REQUEST_EXAMPLE.metadata,
  // AI/ML API publishes no per-model price, but its submit answer reports the charge (`meta.usage`).
  usage: { amount: 0.04914, currency: 'USD', provider_units: 98_280, unit: 'aimlapi_credit', source: 'provider' },
};

/** A poll of the same job once it is done. */
export const COMPLETED_JOB_EXAMPLE: Job = {
  ...CREATED_JOB_EXAMPLE,
  status: 'completed',
  progress: 100,
  completed_at: '2026-11-22T02:44:31.282Z',
  videos: [
    {
      url: `https://vidgate.example.com/outputs/${JOB_ID}/0?expires=1796140800&signature=3nQ0k8yVf2Zq7cXw1mLr5tB9sD4gH6jK8pN0aE2uI1o`,
      provider_url: 'https://cdn.aimlapi.com/generations/654b2b40-5c8e-4f0e-9d3a-8b1e2f7c6a90.mp4',
      content_type: 'video/mp4',
      bytes: 4_718_592,
      sha256: '9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e8a1c3e5b7d9f0a2c4e6b8d0f',
      storage: 'stored',
    },
  ],
};

/** A poll of a job the provider is still generating. */
export const IN_PROGRESS_JOB_EXAMPLE: Job = { ...CREATED_JOB_EXAMPLE, status: 'in_progress', progress: null };

/** A poll of a job the provider failed. */
export const FAILED_JOB_EXAMPLE: Job = {
  ...CREATED_JOB_EXAMPLE,
  status: 'failed',
  progress: null,
  completed_at: '2026-11-22T02:43:41.907Z',
  error: {
    code: 'generation_failed',
    message: 'The provider failed the job: The prompt was flagged by the content filter.',
    provider_status: 'error',
    provider_message: 'The prompt was flagged by the content filter.',
  },
};

const KREA = { name: 'krea', title: 'Krea' };

/** One realistic error per code that has one; other codes get a generic example from the catalog. */
const SAMPLE_ERRORS: Record<string, () => GatewayError> = {
  unknown_parameter: () => new GatewayError({ status: 400, code: 'unknown_parameter', message: 'Unknown field `colour`.', param: 'colour' }),
  missing_api_key: () => unauthorized('missing_api_key'),
  job_not_found: jobNotFound,
  unsupported_duration: () =>
    new GatewayError({ status: 422, code: 'unsupported_duration', message: 'krea/kling/kling-2.5 supports durations of 5, 10 seconds; got 7.', param: 'duration' }),
  provider_rejected_request: () => upstreamError('invalid_request', { provider: KREA, detail: '(HTTP 400: "Invalid job id")' }),
  provider_rate_limited: () => upstreamError('rate_limited', { provider: KREA, detail: '(HTTP 429)' }),
  internal_error: () => internalError(undefined),
  provider_bad_response: () => upstreamError('bad_response', { provider: KREA, detail: 'The body was not valid JSON.' }),
  provider_unavailable: () => upstreamError('unavailable', { provider: KREA, detail: '(HTTP 503)' }),
  provider_timeout: () => upstreamError('timeout', { provider: KREA, detail: 'No answer within 30000 ms.' }),
};

/** The example body of an error response that can carry these codes. */
export function errorExample(entries: readonly ErrorCodeEntry[]): ErrorBody {
  const { error, beforeApp } = sampleError(entries);
  return errorBody(error, beforeApp ? undefined : REQUEST_ID);
}

/** The same example in OpenAI's envelope (the `/v1/videos` routes). */
export function openAIErrorExample(entries: readonly ErrorCodeEntry[]): OpenAIErrorBody {
  return openAIErrorBody(sampleError(entries).error);
}

function sampleError(entries: readonly ErrorCodeEntry[]): { error: GatewayError; beforeApp: boolean } {
  const sampled = entries.find((entry) => SAMPLE_ERRORS[entry.code]);
  if (sampled) return { error: SAMPLE_ERRORS[sampled.code]!(), beforeApp: false };
  const first = entries[0]!;
  return { error: new GatewayError({ status: first.status, code: first.code, message: first.when }), beforeApp: first.beforeApp === true };
}
