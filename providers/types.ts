/**
 * The provider contract. Core (`src/`) and every provider folder depend on this file; providers
 * import nothing else from core, and core never imports a provider folder.
 *
 * A provider is data (catalog, status table, error table, auth) plus an adapter with two verbs,
 * after the Vercel AI SDK's video model spec: `start` submits a job and returns an opaque
 * operation handle; `status` reads that handle back and reports the provider's raw state. Core
 * owns everything generic: request validation, capability checks, HTTP (timeouts, retries, error
 * mapping), status normalization through the provider's table, job ids and rendering.
 */
import type * as z from 'zod';

/** The five normalized job states of the public contract. */
export const JOB_STATUSES = ['queued', 'in_progress', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set(['completed', 'failed', 'cancelled']);

/** JSON Schema (draft 2020-12), as published in provider specs and in `GET /v1/models`. */
export type JsonSchema = { [key: string]: unknown };
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** How a model takes its length. `null` in {@link ModelCapabilities.duration}: no length control. */
export type DurationRule =
  /** Only these seconds, exactly. */
  | { kind: 'values'; values: number[]; default?: number }
  /** Any number of seconds within the bounds (a missing bound is open). */
  | { kind: 'range'; min?: number; max?: number; default?: number }
  /**
   * Counted in frames: `frames = step * n + offset` within `[min_frames, max_frames]`, played at
   * `fps`. Seconds are converted by rounding to the nearest allowed count (ties up); the applied
   * length is reported back when it differs. `default_frames` is what the provider uses by default.
   */
  | {
      kind: 'frames';
      fps: number;
      step: number;
      offset: number;
      min_frames: number;
      max_frames: number;
      default_frames: number;
    };

/**
 * What a model accepts, in the gateway's vocabulary. Core validates every request against this
 * before any upstream call; `GET /v1/models` publishes it so that clients can build their forms.
 */
export interface ModelCapabilities {
  prompt: { min_length?: number; max_length?: number };
  duration: DurationRule | null;
  /** `"16:9"` style, reduced. `null`: the model has no aspect ratio control. */
  aspect_ratios: string[] | null;
  /** Lower-case (`"720p"`, `"4k"`); matched case-insensitively. */
  resolutions: string[] | null;
  modes: string[] | null;
  /** First frame: `null` when the model takes none. */
  start_image: 'optional' | 'required' | null;
  end_image: boolean;
  generate_audio: boolean;
  enhance_prompt: boolean;
  /** Integer seed bounds, or `null` when the model takes no seed. */
  seed: { min: number; max: number } | null;
  /**
   * The provider's documented defaults for the normalized fields above, in gateway vocabulary.
   * Core sends them explicitly and echoes them in `job.input`, so the job says what was applied.
   */
  defaults: Partial<Pick<VideoInput, 'duration' | 'aspect_ratio' | 'resolution' | 'mode' | 'generate_audio' | 'enhance_prompt'>>;
  /**
   * JSON Schema of the provider-native extras a client may pass as
   * `provider_options.<provider>` (an object schema with `additionalProperties: false`).
   */
  provider_options: JsonSchema;
}

/** One model a provider serves. Addressed publicly as `<provider>/<id>`. */
export interface ModelDescriptor {
  /** The provider's own model id: `kling/kling-2.5`, `krea/krea-wan-14b/text-to-video`. */
  id: string;
  title: string;
  capabilities: ModelCapabilities;
}

/**
 * The normalized request after core applied capabilities and defaults: exactly what the job will
 * ask the provider for. Durations are in seconds (for frame-counted models: the applied length).
 */
export interface VideoInput {
  prompt: string;
  duration?: number;
  aspect_ratio?: string;
  resolution?: string;
  start_image?: string;
  end_image?: string;
  generate_audio?: boolean;
  enhance_prompt?: boolean;
  seed?: number;
  mode?: string;
}

/** A non-fatal note about how a request was applied (`duration_adjusted`, …). */
export interface JobWarning {
  code: string;
  field?: string;
  message: string;
  requested?: JsonValue;
  applied?: JsonValue;
}

export interface VideoOutput {
  url: string;
  content_type?: string;
}

/**
 * What a provider reports about a job, in its own words. Core maps `raw_status` through the
 * provider's {@link ProviderDefinition.statusTable}; an unmapped status is reported as an error,
 * never guessed.
 */
export interface ProviderJobState {
  raw_status: string;
  /** 0–100 when the provider reports progress; otherwise omit. */
  progress?: number;
  /** Present once completed. */
  videos?: VideoOutput[];
  /** Present when the provider explains a failure. */
  error?: { code?: string; message: string };
  completed_at?: string;
}

/** What `start` returns: the handle to poll, plus the state if the submit response carried one. */
export interface StartResult {
  /** Opaque to core; stored in the signed job id and decoded with {@link ProviderDefinition.operationSchema}. */
  operation: JsonValue;
  state?: ProviderJobState;
  /** Notes about how the provider applied the request, added to the job's warnings. */
  warnings?: JobWarning[];
}

export type UpstreamCallKind = 'create' | 'poll' | 'cancel';

/** A request an adapter asks core to send. Base URL and auth are added by core. */
export interface UpstreamRequest {
  kind: UpstreamCallKind;
  method: 'GET' | 'POST' | 'DELETE';
  /** Path below the provider's base URL, already encoded (`/jobs/…`). */
  path: string;
  query?: Record<string, string>;
  body?: JsonValue;
  headers?: Record<string, string>;
}

export interface UpstreamResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON body (`undefined` when the body was empty). */
  body: unknown;
}

/**
 * Everything an adapter may use. Adapters never see API keys, base URLs or the runtime's fetch:
 * core sends the request, applies timeouts and the retry policy, and turns non-2xx answers into
 * gateway errors through {@link ProviderDefinition.classifyHttpError}.
 */
export interface ProviderContext {
  send(request: UpstreamRequest): Promise<UpstreamResponse>;
  /**
   * Parse an upstream body with a zod schema; on mismatch this throws the gateway's
   * `provider_bad_response` error naming the provider (a malformed answer is a 502, not a crash).
   */
  parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T;
  /** A stable per-request id core also returns to the client; send it upstream if the provider traces. */
  requestId: string;
}

export interface StartRequest {
  model: ModelDescriptor;
  input: VideoInput;
  /** `provider_options.<this provider>`, already validated against the model's schema. */
  options: Record<string, unknown>;
}

export interface ProviderAdapter {
  start(request: StartRequest, ctx: ProviderContext): Promise<StartResult>;
  status(operation: JsonValue, ctx: ProviderContext): Promise<ProviderJobState>;
}

/** How core should read a non-2xx answer from the provider. */
export type ProviderFailureKind =
  | 'invalid_request'
  | 'auth'
  | 'out_of_credits'
  | 'rate_limited'
  | 'not_found'
  | 'unavailable'
  | 'timeout';

export interface ProviderFailure {
  kind: ProviderFailureKind;
  /** The provider's own message, if it gave one (never contains credentials). */
  message?: string;
}

/** A provider: one folder under `providers/`, one line in `providers/index.ts`. */
export interface ProviderDefinition {
  /** First path segment of direct model ids and key of `provider_options`: `krea`, `aimlapi`. */
  name: string;
  title: string;
  /** Environment variable names for this provider's key and base URL. */
  env: { apiKey: string; baseUrl: string };
  defaultBaseUrl: string;
  authHeaders(apiKey: string): Record<string, string>;
  models: readonly ModelDescriptor[];
  /** Every documented raw status → normalized status. Unknown statuses are errors. */
  statusTable: Readonly<Record<string, JobStatus>>;
  classifyHttpError(status: number, body: unknown): ProviderFailure;
  /** Validates an operation decoded from a job id before `status` sees it. */
  operationSchema: z.ZodType<JsonValue>;
  adapter: ProviderAdapter;
}
