/**
 * The provider contract. Core (`src/`) and every provider folder depend on this file (and on the
 * shared helpers in `providers/shared/`); providers import nothing from core but its
 * self-contained validation library (`src/validation/`, which stands in for zod: schemas for the
 * operation handle and for upstream answers), and core never imports a provider folder.
 *
 * A provider is data (models with their wire mapping, status table, HTTP failure overrides, auth)
 * plus verbs, after the Vercel AI SDK's video model spec: `start` submits a job and returns an
 * operation handle; `status` reads the provider's raw state for that handle. Core owns everything
 * generic: validation, capability checks and frame counts, HTTP (timeouts, retries, error mapping),
 * decoding operations with the provider's schema, status normalization, job ids and rendering.
 */
import type * as z from 'zod';
import type { Schema } from '../src/validation/schema.ts';
import type { EmulatorModule } from './emulator-kit/index.ts';
import type * as schemas from './schemas.ts';

/** The five normalized job states of the public contract. */
export const JOB_STATUSES = ['queued', 'in_progress', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** JSON Schema (draft 2020-12), as published in provider specs and in `GET /v1/models`. */
export type JsonSchema = { [key: string]: unknown };
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * The contract's data shapes (the normalized request, warnings, capabilities, output videos) are
 * defined once as zod schemas in schemas.ts, which the API document publishes; here they are types
 * only, so that nothing that runs (the Worker least of all) loads zod for them.
 */
export type VideoInput = z.infer<typeof schemas.VideoInputSchema>;
/** A non-fatal note about how a request was applied (`duration_adjusted`, …). */
export type JobWarning = z.infer<typeof schemas.JobWarningSchema>;
/** Counted in frames (see schemas.ts). */
export type FramesRule = z.infer<typeof schemas.FramesRuleSchema>;
/** How a model takes its length: exact values, a range, or frames. */
export type DurationRule = z.infer<typeof schemas.DurationRuleSchema>;
/** What a model accepts, in the gateway's vocabulary (see schemas.ts). */
export type ModelCapabilities = z.infer<typeof schemas.ModelCapabilitiesSchema>;
/** An output video as a provider reports it. */
export type VideoOutput = z.infer<typeof schemas.VideoOutputSchema>;


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
  /** What the provider says it billed for the job so far, in its unit and/or in USD. */
  usage?: ReportedUsage;
}

/** A provider's own figure for what a job cost (AI/ML API's `meta.usage`, its `x-aimlapi-*` headers). */
export interface ReportedUsage {
  units?: number;
  usd?: number;
}

/** A provider's published price for one request, in its billing unit. */
export interface ProviderPrice {
  units: number;
  /** The published figure is an average (`~270`), or was scaled from the nearest published length. */
  approximate?: boolean;
}

/**
 * How a provider bills: its unit, what one is worth in USD (operators may override both this and
 * any model's price), and, where it publishes prices, the price of a request. Prices are read from
 * the provider's own documents, never guessed.
 */
export interface ProviderPricing<Wire = unknown> {
  /** Stable snake_case name of the billing unit: `krea_compute_unit`, `aimlapi_credit`. */
  unit: string;
  usdPerUnit: number;
  /** Where the figures come from (a document and its date), shown in the README and `GET /v1/models`. */
  source: string;
  /** Terminal states the provider documents as not billed (Krea: failed and cancelled jobs). */
  unbilled?: readonly JobStatus[];
  /** The published price of exactly what `start` would send, or undefined when none is published. */
  price?(request: StartRequest<Wire>): ProviderPrice | undefined;
}

/** What `start` returns: the handle to poll, plus the state if the submit response carried one. */
export interface StartResult<Operation extends JsonValue = JsonValue> {
  /** JSON stored with the job, and decoded with {@link ProviderDefinition.operation} before `status` sees it. */
  operation: Operation;
  state?: ProviderJobState;
  /** Notes about how the provider applied the request, added to the job's warnings. */
  warnings?: JobWarning[];
}

/**
 * `upload` puts an input file where the provider can read it (Krea's `POST /assets`): it starts no
 * job and bills nothing, so core retries it like a poll and, when it fails, knows no job started.
 */
export type UpstreamCallKind = 'create' | 'poll' | 'cancel' | 'upload';

/** A request an adapter asks core to send. Base URL and auth are added by core. */
export interface UpstreamRequest {
  kind: UpstreamCallKind;
  method: 'GET' | 'POST' | 'DELETE';
  /** Path below the provider's base URL, already encoded (`/jobs/…`). */
  path: string;
  query?: Record<string, string>;
  body?: JsonValue;
  /** A multipart body instead of JSON (file uploads); the runtime's fetch sets its boundary. */
  form?: FormData;
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
   * Parse an upstream body with a schema (src/validation/); on mismatch this throws the gateway's
   * `provider_bad_response` error naming the provider (a malformed answer is a 502, not a crash).
   */
  parse<T>(schema: Schema<T, any>, body: unknown, what: string): T;
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
  /**
   * For providers with {@link ProviderDefinition.callsBack}: a URL the provider may call when the
   * job changes. It only wakes the gateway, which then reads the job from the provider itself.
   */
  callbackUrl?: string;
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
  operation: Schema<Operation, any>;
  start(request: StartRequest<Wire>, ctx: ProviderContext): Promise<StartResult<Operation>>;
  status(operation: Operation, ctx: ProviderContext): Promise<ProviderJobState>;
  /**
   * Asks the provider to cancel the job, when it can. Core reads the job's status afterwards (the
   * confirmed state is what the client gets), so this only has to send the request.
   */
  cancel?(operation: Operation, ctx: ProviderContext): Promise<void>;
  /** How often the gateway polls a live job by default (the routing configuration may override it). */
  pollIntervalMs: number;
  /** Its billing unit and published prices; without it, jobs on this provider have no estimate. */
  pricing?: ProviderPricing<Wire>;
  /** Whether the provider can call a URL when a job changes (then `start` gets a `callbackUrl` when `PUBLIC_URL` is set). */
  callsBack?: boolean;
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
