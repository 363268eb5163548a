/**
 * The gateway's one error hierarchy. Every failure a client can see is a {@link GatewayError}
 * with a stable snake_case code; `app.onError` renders it into the one envelope
 * `{"error": {code, message, param?, provider?, request_id?}}`. Nothing else builds error bodies.
 */
import type { ProviderFailureKind } from '../providers/types.ts';

export interface GatewayErrorOptions {
  status: number;
  code: string;
  message: string;
  /** The request field at fault (`duration`, `provider_options.krea.width`). */
  param?: string;
  /** The provider involved, for upstream trouble. */
  provider?: string;
  /** Whether the same request may succeed later (drives fallback and client advice). */
  retryable?: boolean;
  /** Extra response headers (`WWW-Authenticate`). `Retry-After` is derived from `retryAfterMs`. */
  headers?: Record<string, string>;
  /**
   * How long the client (or the gateway's own retry) should wait, when known: parsed from the
   * provider's `Retry-After`, never its raw text. A 429 always gets a `Retry-After` header.
   */
  retryAfterMs?: number;
  /**
   * For upstream failures on a create: `true` when the provider provably did not start a job
   * (connection refused, an explicit 4xx refusal). Only then may a create be retried elsewhere.
   */
  jobNotStarted?: boolean;
  /** More fields of the envelope's `error` object for this code (`estimate` on `cost_limit_exceeded`). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly status: number;
  readonly code: string;
  readonly param: string | undefined;
  readonly provider: string | undefined;
  readonly retryable: boolean;
  readonly headers: Record<string, string>;
  readonly retryAfterMs: number | undefined;
  readonly jobNotStarted: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(options: GatewayErrorOptions) {
    super(options.message, { cause: options.cause });
    this.name = 'GatewayError';
    this.status = options.status;
    this.code = options.code;
    this.param = options.param;
    this.provider = options.provider;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.headers = withRetryAfter(options.headers ?? {}, options.status, options.retryAfterMs);
    this.jobNotStarted = options.jobNotStarted ?? false;
    this.details = options.details;
  }

  /** The same error with some of its options changed (another message, the field under another name), caused by this one. */
  with(changes: Partial<GatewayErrorOptions>): GatewayError {
    const { status, code, message, param, provider, retryable, retryAfterMs, jobNotStarted, details } = this;
    return new GatewayError({ status, code, message, param, provider, retryable, headers: this.headers, retryAfterMs, jobNotStarted, details, cause: this, ...changes });
  }
}

/** When a 429 carries no usable wait, clients are told to come back after this many seconds. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;
/** The longest wait the gateway passes on (a day): anything longer is a provider's mistake. */
const MAX_RETRY_AFTER_SECONDS = 86_400;

/**
 * `Retry-After` as valid delay-seconds (RFC 9110): rounded up, at least 1, at most a day. A 429
 * without a known wait gets the default, so clients never get a 429 they cannot schedule.
 */
function withRetryAfter(headers: Record<string, string>, status: number, retryAfterMs: number | undefined): Record<string, string> {
  if (retryAfterMs === undefined && status !== 429) return headers;
  const seconds = retryAfterMs === undefined ? DEFAULT_RETRY_AFTER_SECONDS : Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(retryAfterMs / 1000)));
  return { ...headers, 'Retry-After': String(seconds) };
}

/** 400: the request is not well-formed (types, unknown fields, bad JSON). */
export function invalidRequest(message: string, param?: string, code = 'invalid_request'): GatewayError {
  return new GatewayError({ status: 400, code, message, param });
}

/** 422: well-formed, but the chosen model cannot do it. Nothing was sent to a provider. */
export function unsupported(code: string, message: string, param: string): GatewayError {
  return new GatewayError({ status: 422, code, message, param });
}

export function jobNotFound(): GatewayError {
  return new GatewayError({ status: 404, code: 'job_not_found', message: 'No job with this id exists.', param: 'id' });
}

export function unauthorized(code: 'missing_api_key' | 'invalid_api_key'): GatewayError {
  const message =
    code === 'missing_api_key'
      ? 'Send your gateway key as `Authorization: Bearer <key>`.'
      : 'The gateway key is not valid.';
  return new GatewayError({ status: 401, code, message, headers: { 'WWW-Authenticate': 'Bearer' } });
}

export interface UpstreamErrorShape {
  status: number;
  code: string;
  retryable: boolean;
  describe: (title: string) => string;
}

/** How each kind of provider trouble is presented to clients. */
export const UPSTREAM_ERRORS: Record<ProviderFailureKind | 'bad_response' | 'unknown_status' | 'network', UpstreamErrorShape> = {
  invalid_request: {
    status: 422,
    code: 'provider_rejected_request',
    retryable: false,
    describe: (title) => `${title} rejected the request.`,
  },
  auth: {
    status: 502,
    code: 'provider_auth_failed',
    retryable: false,
    describe: (title) => `${title} rejected the gateway's credentials; the operator must fix the provider key.`,
  },
  out_of_credits: {
    status: 503,
    code: 'provider_out_of_credits',
    retryable: false,
    describe: (title) => `The ${title} account behind this gateway is out of credits.`,
  },
  rate_limited: {
    status: 429,
    code: 'provider_rate_limited',
    retryable: true,
    describe: (title) => `${title} is rate limiting or at its concurrency limit; retry later.`,
  },
  not_found: {
    status: 404,
    code: 'provider_job_not_found',
    retryable: false,
    describe: (title) => `${title} no longer knows this job (it may have expired).`,
  },
  unavailable: {
    status: 503,
    code: 'provider_unavailable',
    retryable: true,
    describe: (title) => `${title} is unavailable.`,
  },
  network: {
    status: 503,
    code: 'provider_unavailable',
    retryable: true,
    describe: (title) => `${title} could not be reached.`,
  },
  timeout: {
    status: 504,
    code: 'provider_timeout',
    retryable: true,
    describe: (title) => `${title} did not answer in time.`,
  },
  bad_response: {
    status: 502,
    code: 'provider_bad_response',
    retryable: true,
    describe: (title) => `${title} sent a response the gateway could not understand.`,
  },
  unknown_status: {
    status: 502,
    code: 'provider_unknown_status',
    retryable: true,
    describe: (title) => `${title} reported a job status the gateway does not know.`,
  },
};

export type UpstreamErrorKind = keyof typeof UPSTREAM_ERRORS;

export interface UpstreamErrorDetails {
  provider: { name: string; title: string };
  detail?: string;
  retryAfterMs?: number;
  jobNotStarted?: boolean;
  /** More fields of the envelope's `error` object for this code (`estimate` on `cost_limit_exceeded`). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** A provider-trouble error: stable code per kind, message naming the provider. */
export function upstreamError(kind: UpstreamErrorKind, details: UpstreamErrorDetails): GatewayError {
  const shape = UPSTREAM_ERRORS[kind];
  const base = shape.describe(details.provider.title);
  return new GatewayError({
    status: shape.status,
    code: shape.code,
    message: details.detail ? `${base} ${details.detail}` : base,
    provider: details.provider.name,
    retryable: shape.retryable,
    retryAfterMs: details.retryAfterMs,
    jobNotStarted: details.jobNotStarted,
    cause: details.cause,
  });
}

/** The wire form of an error. */
export interface ErrorBody {
  error: { code: string; message: string; param?: string; provider?: string; request_id?: string; [detail: string]: unknown };
}

export function errorBody(error: GatewayError, requestId: string | undefined): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.param ? { param: error.param } : {}),
      ...(error.provider ? { provider: error.provider } : {}),
      ...error.details,
      ...(requestId ? { request_id: requestId } : {}),
    },
  };
}

/**
 * The same error in OpenAI's envelope, for the OpenAI-shaped routes (`/v1/videos`): `type` from the
 * status as OpenAI assigns it, `param` and `code` always present (null when there is none), as the
 * `openai` SDK reads them into its typed errors.
 */
export interface OpenAIErrorBody {
  error: { message: string; type: 'invalid_request_error' | 'authentication_error' | 'permission_error' | 'rate_limit_error' | 'server_error'; param: string | null; code: string };
}

export function openAIErrorBody(error: GatewayError): OpenAIErrorBody {
  return { error: { message: error.message, type: openAIErrorType(error.status), param: error.param ?? null, code: error.code } };
}

function openAIErrorType(status: number): OpenAIErrorBody['error']['type'] {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

/**
 * `x-should-retry`, which the `openai` SDK obeys before its own rules (it would retry every 408,
 * 409, 429 and 5xx twice): `true` only when the same request may succeed later and repeating it
 * cannot start a second billed job, i.e. not after a create whose outcome at the provider is unknown.
 */
export function shouldRetry(error: GatewayError, onCreate: boolean): boolean {
  const mayHaveStartedJob = onCreate && error.provider !== undefined && !error.jobNotStarted;
  return error.retryable && !mayHaveStartedJob;
}

/** Anything that is not a GatewayError is a bug: a 500 with no internals in the message. */
export function internalError(cause: unknown): GatewayError {
  return new GatewayError({
    status: 500,
    code: 'internal_error',
    message: 'The gateway failed unexpectedly. The request id identifies it in the logs.',
    cause,
  });
}
