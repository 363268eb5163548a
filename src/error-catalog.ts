/**
 * The public list of stable codes: every error code a client can receive (with its HTTP status and
 * where it can arise), and the codes of job warnings and job errors. The OpenAPI document publishes
 * it per route and status, and the contract tests hold every response to it. Provider trouble is
 * derived from `UPSTREAM_ERRORS`, so it cannot drift from what `upstreamError` sends.
 */
import { UPSTREAM_ERRORS, type UpstreamErrorKind } from './errors.ts';
import { MAX_URL_LENGTH, NODE_MAX_HEADER_BYTES } from './http/limits.ts';
import { MAX_PROMPT_LENGTH } from './schemas/create-job.ts';

/**
 * Where an error can arise: `any` request; `auth` on every `/v1` route; `create` (POST /v1/jobs) or
 * `poll` (one job by id: GET /v1/jobs/{id}, its cancel) before any provider call; `job` on routes
 * that call providers; `list` (GET /v1/jobs); `cancel` (POST /v1/jobs/{id}/cancel); `store` on
 * every route that reads or writes jobs; `route` for a path or method the gateway does not serve;
 * `content` on both routes that serve a video's bytes, `link` on the signed link's route only;
 * `metrics` on `GET /metrics` (its own token, not a gateway key).
 */
export type ErrorScope = 'any' | 'auth' | 'create' | 'poll' | 'job' | 'route' | 'list' | 'cancel' | 'store' | 'delivery' | 'content' | 'link' | 'metrics';

export interface ErrorCodeEntry {
  status: number;
  code: string;
  scope: ErrorScope;
  /** When a client gets it, in one sentence. */
  when: string;
  /** Whether the same request may succeed later; only stated for provider trouble. */
  retryable?: boolean;
  /**
   * Answered before the app ran (by Node's HTTP server, or the Worker entry), so the answer has no
   * `X-Request-Id` and the envelope no `request_id`.
   */
  beforeApp?: true;
}

const GATEWAY_ERRORS: readonly ErrorCodeEntry[] = [
  { status: 400, code: 'invalid_request', scope: 'any', when: 'The request cannot be served as sent: its path is malformed (a raw backslash; percent-encode it as `%5C`) or its `Host` header is missing or invalid, or the body is not a JSON object, or a field has the wrong type or format (`param` names it).' },
  { status: 400, code: 'bad_request', scope: 'any', when: 'The HTTP server could not parse the request (a malformed request line, header or chunked body) and closed the connection. The gateway never saw the request, so there is no `request_id`.', beforeApp: true },
  { status: 400, code: 'invalid_json', scope: 'create', when: 'The body is not valid JSON.' },
  { status: 400, code: 'unknown_parameter', scope: 'create', when: 'The body has a field the API does not define; `param` names it.' },
  { status: 400, code: 'missing_parameter', scope: 'create', when: 'A required field (`model`, `prompt`) is missing; `param` names it.' },
  { status: 400, code: 'invalid_image', scope: 'create', when: 'An inline `data:` image is not base64 of a non-empty image of its declared type within the size limit (`MAX_IMAGE_BYTES`); `param` names the field.' },
  { status: 401, code: 'missing_api_key', scope: 'auth', when: 'No `Authorization: Bearer <key>` header was sent.' },
  { status: 401, code: 'invalid_api_key', scope: 'auth', when: 'The gateway key is not valid.' },
  { status: 401, code: 'missing_metrics_token', scope: 'metrics', when: 'No `Authorization: Bearer <METRICS_TOKEN>` header was sent.' },
  { status: 401, code: 'invalid_metrics_token', scope: 'metrics', when: 'The metrics token is not `METRICS_TOKEN`.' },
  { status: 400, code: 'invalid_request', scope: 'list', when: 'A query parameter is malformed (`limit` outside 1–100, `status` not a job status, `after` not one of your job ids, a parameter given twice); `param` names it.' },
  { status: 400, code: 'unknown_parameter', scope: 'list', when: 'The query has a parameter the route does not define; `param` names it.' },
  { status: 404, code: 'job_not_found', scope: 'poll', when: 'No job with this id belongs to your key (unknown, or another key\'s). No provider is called.' },
  { status: 409, code: 'idempotency_key_in_use', scope: 'create', when: 'A create with the same `Idempotency-Key` is still being submitted; retry after `Retry-After`.', retryable: true },
  { status: 409, code: 'cancel_not_supported', scope: 'cancel', when: 'The job\'s provider offers no way to cancel; `provider` names it.' },
  { status: 409, code: 'job_already_finished', scope: 'cancel', when: 'The job is already completed or failed.' },
  { status: 409, code: 'job_submitting', scope: 'cancel', when: 'The job is still being submitted to its provider; retry after `Retry-After`.', retryable: true },
  { status: 400, code: 'invalid_request', scope: 'content', when: '`index` is not a non-negative integer; `param` names it.' },
  { status: 409, code: 'job_not_completed', scope: 'content', when: 'The job is not completed yet (or failed or was cancelled), so it has no video to serve.' },
  { status: 404, code: 'video_not_found', scope: 'content', when: 'The job has no video at this index, or its copy was deleted under the retention policy (`OUTPUT_RETENTION_DAYS`), or (signed links) the job no longer exists.' },
  { status: 416, code: 'range_not_satisfiable', scope: 'content', when: 'The `Range` starts past the end of the video; `Content-Range: bytes */<size>` gives its size.' },
  { status: 403, code: 'invalid_signature', scope: 'link', when: 'The link\'s `signature` does not match its job, index and `expires` (tampered, truncated or made up).' },
  { status: 410, code: 'link_expired', scope: 'link', when: 'The link is genuine but its `expires` has passed (`OUTPUT_URL_TTL`, 24 h by default); read the job again for a fresh link.' },
  { status: 404, code: 'delivery_not_found', scope: 'delivery', when: 'The job has no webhook delivery with this id.' },
  { status: 409, code: 'delivery_busy', scope: 'delivery', when: 'The delivery is being sent at this moment; retry after `Retry-After`.', retryable: true },
  { status: 422, code: 'webhooks_not_configured', scope: 'create', when: 'The create asks for webhooks (`webhook_url`), but the gateway has no `WEBHOOK_SECRET` to sign them with.' },
  { status: 422, code: 'idempotency_key_reused', scope: 'create', when: 'The `Idempotency-Key` was used with a different body within 24 hours.' },
  { status: 404, code: 'not_found', scope: 'route', when: 'The gateway serves no such path or method.' },
  { status: 408, code: 'request_timeout', scope: 'any', when: 'The request\'s headers or body did not arrive in time; the connection is closed (no `request_id`).', beforeApp: true },
  { status: 413, code: 'payload_too_large', scope: 'create', when: 'The body exceeds the gateway\'s limit (`MAX_REQUEST_BYTES`, 16 MiB by default).' },
  { status: 414, code: 'uri_too_long', scope: 'any', when: `The path and query string together are longer than ${thousands(MAX_URL_LENGTH)} characters.` },
  { status: 415, code: 'unsupported_media_type', scope: 'create', when: 'The body was not sent with `Content-Type: application/json` (`POST /v1/videos` also takes `multipart/form-data`).' },
  { status: 417, code: 'expectation_failed', scope: 'any', when: 'The `Expect` header asks for something other than `100-continue`.' },
  { status: 422, code: 'unknown_model', scope: 'create', when: 'No alias or model has this name; `GET /v1/models` lists them.' },
  { status: 422, code: 'no_capable_target', scope: 'create', when: 'No target of the alias can serve the request; the message gives each target\'s reason.' },
  { status: 422, code: 'cost_limit_exceeded', scope: 'create', when: 'Every target that could serve the request is estimated above `max_cost_usd` (or has no known price); the error carries the cheapest `estimate`. Nothing was sent.' },
  { status: 422, code: 'price_unknown', scope: 'create', when: 'The gateway key has a budget, and no price is known for the target that would serve the job, so the spend could not be held to the budget; the operator can set the model\'s price under `prices`. Nothing was sent.' },
  { status: 429, code: 'rate_limit_exceeded', scope: 'create', when: 'The gateway key sent more creates in the last minute than its `requests_per_minute`; `Retry-After` says when the oldest leaves the window. Nothing was sent.' },
  { status: 429, code: 'concurrency_limit_exceeded', scope: 'create', when: 'The gateway key has `max_concurrent_jobs` live jobs already; `Retry-After` suggests when to try again. Nothing was sent.' },
  { status: 402, code: 'budget_exceeded', scope: 'create', when: 'The job\'s estimate would take the gateway key over its `daily` or `monthly` budget (the message says which; UTC days and months). Nothing was sent.' },
  { status: 422, code: 'provider_not_allowed', scope: 'create', when: 'The model cannot be pinned to the requested `provider`.' },
  { status: 422, code: 'unsupported_duration', scope: 'create', when: 'The model does not offer this duration; the message lists what it supports.' },
  { status: 422, code: 'unsupported_aspect_ratio', scope: 'create', when: 'The model does not offer this aspect ratio; the message lists what it supports.' },
  { status: 422, code: 'unsupported_resolution', scope: 'create', when: 'The model does not offer this resolution; the message lists what it supports.' },
  { status: 422, code: 'unsupported_mode', scope: 'create', when: 'The model does not offer this mode; the message lists what it supports.' },
  { status: 422, code: 'unsupported_seed', scope: 'create', when: 'The seed is outside the model\'s bounds.' },
  { status: 422, code: 'unsupported_parameter', scope: 'create', when: 'The model does not take this field at all; `param` names it.' },
  { status: 422, code: 'missing_parameter', scope: 'create', when: 'The model needs a field the request lacks (e.g. `start_image` for image-to-video).' },
  { status: 422, code: 'invalid_provider_option', scope: 'create', when: 'A `provider_options` entry does not match the model\'s published schema; `param` names it.' },
  { status: 422, code: 'unsafe_url', scope: 'create', when: 'A URL in the request is not https, embeds credentials, or points at a loopback, private, link-local or metadata address (hosts in `ALLOWED_PRIVATE_HOSTS` excepted); `param` names the field. Nothing was sent.' },
  { status: 422, code: 'prompt_too_long', scope: 'create', when: `The prompt is longer than the model accepts, or than the gateway-wide limit of ${thousands(MAX_PROMPT_LENGTH)} characters; the message names the limit and the length received.` },
  { status: 422, code: 'prompt_too_short', scope: 'create', when: 'The prompt is shorter than the model needs.' },
  { status: 431, code: 'request_header_too_large', scope: 'any', when: `The request line and headers together are larger than ${kib(NODE_MAX_HEADER_BYTES)} (Node; on Workers, Cloudflare's own limits apply). The connection is closed (no \`request_id\`).`, beforeApp: true },
  { status: 503, code: 'store_unavailable', scope: 'store', when: 'The job store cannot be reached or written (disk full, database down); for a create, nothing was sent to a provider.', retryable: true },
  { status: 503, code: 'provider_not_configured', scope: 'job', when: 'The provider serving the model or job has no key on this gateway.' },
  { status: 503, code: 'provider_disabled', scope: 'create', when: 'The provider is disabled in this gateway\'s routing configuration (its jobs in flight can still be polled).' },
  { status: 503, code: 'no_available_target', scope: 'create', when: 'No target of the alias is available (disabled or without a key); the message gives each target\'s reason.' },
  { status: 500, code: 'internal_error', scope: 'any', when: 'The gateway failed unexpectedly; the request id identifies it in the logs.' },
  { status: 500, code: 'configuration_error', scope: 'any', when: 'Cloudflare Workers only: the Worker\'s configuration is invalid; the operator must fix it (see the Worker logs).', beforeApp: true },
];

/** Provider trouble, one entry per code, worded from `UPSTREAM_ERRORS` itself. */
function upstreamEntries(): ErrorCodeEntry[] {
  const entries = new Map<string, ErrorCodeEntry>();
  for (const [kind, shape] of Object.entries(UPSTREAM_ERRORS) as [UpstreamErrorKind, (typeof UPSTREAM_ERRORS)[UpstreamErrorKind]][]) {
    const when = capitalize(shape.describe('provider'));
    const known = entries.get(shape.code);
    // Only a poll reads a job status, so only a poll can meet one the provider never documented.
    const scope: ErrorScope = kind === 'unknown_status' ? 'poll' : 'job';
    entries.set(shape.code, known ? { ...known, when: `${known.when} Or: ${when}` } : { status: shape.status, code: shape.code, scope, when, retryable: shape.retryable });
  }
  return [...entries.values()];
}

function kib(bytes: number): string {
  return `${bytes / 1024} KiB`;
}

/** `10000` → `10,000`, without Intl (the document must come out the same on every runtime). */
function thousands(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Every error code a client can receive, ordered by HTTP status. */
export const ERROR_CODES: readonly ErrorCodeEntry[] = [...GATEWAY_ERRORS, ...upstreamEntries()].sort((a, b) => a.status - b.status);

/** Codes of `job.warnings[].code`. */
export const WARNING_CODES: Readonly<Record<string, string>> = {
  duration_adjusted: 'The model counts length in frames; the requested seconds were rounded to the nearest allowed frame count (`requested` and `applied` give both).',
  target_skipped: 'A target of the alias ahead of the one serving the job was passed over (`requested`), with the reason; `applied` names the target that serves the job. Targets after it are not mentioned.',
  size_resolution_not_applied: 'A `POST /v1/videos` `size` was given for a model without resolution control: only its aspect ratio applies, at the model\'s native resolution (`requested` is the size).',
  unknown_provider_status: 'The provider answered the create with a status the gateway does not know; the next poll reports the real state.',
};

/** Codes of `job.error.code` (a failed job). */
export const JOB_ERROR_CODES: Readonly<Record<string, string>> = {
  generation_failed: "The provider failed the job; `provider_status`, `provider_code` and `provider_message` carry the provider's own words.",
  submission_outcome_unknown: 'The create may or may not have started (and billed) a job at the provider: the gateway stopped mid-create, or the provider timed out or failed without saying. It is never resubmitted.',
  provider_bad_response: 'The provider reported the job completed, but none of its result URLs was safe to hand out.',
  provider_job_not_found: 'The provider no longer knows the job (it may have expired there).',
};

/** `error.code` of a cancelled job in the OpenAI-shaped video object (where it shows as `failed`). */
export { CANCELLED_VIDEO_ERROR_CODE } from './videos/render.ts';
