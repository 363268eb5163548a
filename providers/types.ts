/**
 * The provider contract. Core (`src/`) and every provider folder depend on this file (and on the
 * shared helpers in `providers/shared/`); providers import nothing from core, and core never
 * imports a provider folder.
 *
 * A provider is data (models with their wire mapping, status table, HTTP failure overrides, auth)
 * plus verbs, after the Vercel AI SDK's video model spec: `start` submits a job and returns an
 * operation handle; `status` reads the provider's raw state for that handle. Core owns everything
 * generic: validation, capability checks and frame counts, HTTP (timeouts, retries, error mapping),
 * decoding operations with the provider's schema, status normalization, job ids and rendering.
 */
import * as z from 'zod';
import type { EmulatorModule } from './emulator-kit/index.ts';

/** The five normalized job states of the public contract. */
export const JOB_STATUSES = ['queued', 'in_progress', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

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
   * `fps`. Core converts seconds by rounding to the nearest allowed count (ties up), reports the
   * applied length when it differs, and hands the adapter the count. `default_frames` is what the
   * provider uses by default.
   */
  | FramesRule;

export interface FramesRule {
  kind: 'frames';
  fps: number;
  step: number;
  offset: number;
  min_frames: number;
  max_frames: number;
  default_frames: number;
}

/**
 * The normalized request after core applied capabilities and defaults: exactly what the job will
 * ask the provider for, and what `job.input` echoes. Durations are in seconds (for frame-counted
 * models: the applied length). One definition for the contract, validation and the API document.
 */
export const VideoInputSchema = z.object({
  prompt: z.string(),
  duration: z.number().optional().meta({ description: 'Seconds, as applied (frame-counted models: the rounded length).' }),
  aspect_ratio: z.string().optional(),
  resolution: z.string().optional(),
  start_image: z.string().optional().meta({ description: 'An https URL, or `data:<type>;sha256=<digest>` for an inline image.' }),
  end_image: z.string().optional().meta({ description: 'An https URL, or `data:<type>;sha256=<digest>` for an inline image.' }),
  generate_audio: z.boolean().optional(),
  enhance_prompt: z.boolean().optional(),
  seed: z.number().optional(),
  mode: z.string().optional(),
});
export type VideoInput = z.infer<typeof VideoInputSchema>;

/** A non-fatal note about how a request was applied (`duration_adjusted`, …). */
export const JobWarningSchema = z
  .object({
    code: z.string().meta({ description: 'Stable snake_case code, e.g. `duration_adjusted`.' }),
    field: z.string().optional().meta({ description: 'The request field the warning is about.' }),
    message: z.string().meta({ description: 'Human-readable explanation.' }),
    requested: z.unknown().optional().meta({ description: 'What the request asked for.' }),
    applied: z.unknown().optional().meta({ description: 'What the job actually uses.' }),
  })
  .meta({ description: 'A non-fatal note about how the request was applied, for example a duration rounded to a whole number of frames.' });
export type JobWarning = z.infer<typeof JobWarningSchema>;

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

/**
 * One model a provider serves, addressed publicly as `<provider>/<id>`. `wire` is the provider's
 * own description of how the model is spelled on the wire (opaque to core), so the adapter gets it
 * with the request instead of looking the model up again.
 */
export interface ModelDescriptor<Wire = unknown> {
  /** The provider's own model id: `kling/kling-2.5`, `krea/krea-wan-14b/text-to-video`. */
  id: string;
  title: string;
  capabilities: ModelCapabilities;
  wire: Wire;
}

export interface VideoOutput {
  url: string;
  content_type?: string;
}

/**
 * What a provider reports about a job, in its own words. Core maps `raw_status` through the
 * provider's {@link ProviderDefinition.statuses}; an unmapped status is reported, never guessed.
 * Adapters report what the provider said (videos, error) without judging the status: core keeps
 * videos only for completed jobs and errors only for failed ones.
 */
export interface ProviderJobState {
  raw_status: string;
  /** 0–100 when the provider reports progress; otherwise omit. */
  progress?: number;
  videos?: VideoOutput[];
  error?: { code?: string; message: string };
  completed_at?: string;
}

/** What `start` returns: the handle to poll, plus the state if the submit response carried one. */
export interface StartResult<Operation extends JsonValue = JsonValue> {
  /** JSON stored with the job, and decoded with {@link ProviderDefinition.operation} before `status` sees it. */
  operation: Operation;
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
 * gateway errors.
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

export interface StartRequest<Wire = unknown> {
  model: ModelDescriptor<Wire>;
  input: VideoInput;
  /** For frame-counted models: the frame count core validated (its length is `input.duration`). */
  frames?: number;
  /** `provider_options.<this provider>`, already validated against the model's schema. */
  options: Record<string, unknown>;
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

/**
 * A provider: one folder under `providers/`, one line in `providers/index.ts`. Define it with
 * {@link defineProvider}, which ties the operation type to the verbs.
 */
export interface ProviderDefinition<Operation extends JsonValue = JsonValue, Wire = unknown> {
  /** First path segment of direct model ids and key of `provider_options`: `krea`, `aimlapi`. */
  name: string;
  title: string;
  /** Environment variable names for this provider's key and base URL. */
  env: { apiKey: string; baseUrl: string };
  defaultBaseUrl: string;
  /** The headers that carry the provider key (`bearerAuth` from providers/shared for most). */
  auth(apiKey: string): Record<string, string>;
  models: readonly ModelDescriptor<Wire>[];
  /** Every documented raw status → normalized status (`statusTable` from providers/shared). Unknown statuses are errors. */
  statuses: ReadonlyMap<string, JobStatus>;
  /**
   * HTTP status → failure kind, only where this provider differs from core's shared table
   * (400/422 invalid request, 401/403 auth, 402 out of credits, 404 not found, 408/504 timeout,
   * 429 rate limited, other 5xx unavailable, other 4xx invalid request).
   */
  httpFailures?: Readonly<Partial<Record<number, ProviderFailureKind>>>;
  /** The provider's own explanation in an error body, if it gave one. */
  errorMessage(body: unknown): string | undefined;
  /** The stored operation's schema; core decodes with it before `status` (and `cancel`) see it. */
  operation: z.ZodType<Operation>;
  start(request: StartRequest<Wire>, ctx: ProviderContext): Promise<StartResult<Operation>>;
  status(operation: Operation, ctx: ProviderContext): Promise<ProviderJobState>;
  /**
   * Loads the provider's emulator (sandbox mode, tests). Only Node calls it, and the import is
   * computed at run time, so the emulator never lands in the Worker bundle.
   */
  emulator(): Promise<EmulatorModule>;
}

/**
 * Defines a provider. The generic parameters tie the operation schema to `start`/`status` and the
 * models' wire mapping to `start`, so an adapter never parses its operation or looks its model up.
 */
export function defineProvider<Operation extends JsonValue, Wire>(definition: ProviderDefinition<Operation, Wire>): ProviderDefinition<Operation, Wire> {
  return Object.freeze(definition);
}
