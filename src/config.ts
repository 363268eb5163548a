/**
 * Configuration, parsed once per process or isolate from environment-like input (Node's
 * `process.env`, Worker bindings and `[vars]`). Provider settings are derived from the registry, so
 * a new provider brings its own `<NAME>_API_KEY` / `<NAME>_BASE_URL` without touching this file.
 *
 * Precedence for a provider setting, most specific first: its own variable (`KREA_BASE_URL`),
 * `VIDGATE_CONFIG.providers.<name>`, the global `UPSTREAM_*` variables, built-in defaults.
 */
import * as v from './validation/index.ts';
import type { ProviderDefinition } from '../providers/types.ts';
import { DEFAULT_ROUTING } from './routing/defaults.ts';
import { readRoutingConfig, resolveAliases } from './routing/load.ts';
import type { AliasConfig, ProviderPolicy } from './routing/schema.ts';
import { loadNamedKeys, type NamedKey } from './keys/named-keys.ts';
import { loadPrices, type ProviderPrices } from './pricing/price-config.ts';
import { DEFAULT_POLICY, type UpstreamPolicy } from './upstream/retry-policy.ts';
import { ConfigError, parseOrThrow } from './config-error.ts';
import { parseAllowedHosts } from './security/url-rules.ts';
import { CorsOriginsSchema, type CorsOrigins } from './http/cors.ts';

export { ConfigError } from './config-error.ts';

export interface ProviderSettings {
  /** `undefined`: not configured; its targets are skipped and its models answer `provider_not_configured`. */
  apiKey: string | undefined;
  enabled: boolean;
  baseUrl: string;
  policy: UpstreamPolicy;
  /** The first interval between polls of a live job (the driver backs off from it unless `POLL_INTERVAL_MS` fixes it). */
  pollIntervalMs: number;
}

/** Outbound webhooks (DESIGN §6 "Webhooks"). */
export interface WebhookSettings {
  /** `WEBHOOK_SECRET` (`whsec_` + base64); without it, creates with `webhook_url` are refused. */
  secret: string | undefined;
  /** Waits before each retry, in order; after the last, the delivery is given up. */
  retryScheduleMs: number[];
}

/** 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h, 12 h: about a day in all. */
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000, 43_200_000];

/** The gateway's copies of finished videos (DESIGN §6 "Outputs"). Where they go is the runtime's choice (`OUTPUT_STORE`, `VIDEOS`). */
export interface OutputSettings {
  /** `MAX_OUTPUT_BYTES`: a video larger than this is not copied (its `storage` is `failed`, for good). */
  maxBytes: number;
  /** `OUTPUT_URL_TTL`: how long a signed video link works, in seconds. */
  urlTtlSeconds: number;
  /** `OUTPUT_RETENTION_DAYS`: copies older than this are deleted (`storage: expired`); `undefined` keeps them. */
  retentionDays: number | undefined;
  /** `OUTPUT_WEBHOOK_WAIT_MS`: how long `job.completed` webhooks wait for copies, so they carry durable links. */
  webhookWaitMs: number;
  /** `OUTPUT_COPY_RETRY_SCHEDULE_MS`: waits before each retry of a failed copy; after the last, the copy is `failed`. */
  copyRetryScheduleMs: number[];
}

/** 5 s, 30 s, 2 min, 10 min, 30 min, 1 h: a provider's result URL rarely outlives a few hours. */
export const DEFAULT_COPY_RETRY_SCHEDULE_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000];

/** How the gateway keeps jobs fresh (DESIGN §6 "Driver and freshness"). */
export interface LifecycleSettings {
  /** `POLL_INTERVAL_MS`: one fixed interval for every provider, without backoff. */
  fixedPollIntervalMs: number | undefined;
  /** The longest interval backoff reaches. */
  maxPollIntervalMs: number;
  /** `POLL_FRESHNESS_MS`: how old a stored state may be before a poll of the job refreshes it. */
  freshnessMs: number;
  /** `LEASE_MS`: how long one instance holds a job while it talks to the provider. */
  leaseMs: number;
}

export interface GatewayConfig {
  apiKeys: string[];
  jobIdSecrets: string[];
  providers: Record<string, ProviderSettings>;
  aliases: Record<string, AliasConfig>;
  maxBodyBytes: number;
  /** Decoded size limit of an inline `data:` image. */
  maxImageBytes: number;
  /** `ALLOWED_PRIVATE_HOSTS`: hosts URLs may point at although they are private (or plain http). */
  allowedPrivateHosts: string[];
  lifecycle: LifecycleSettings;
  webhooks: WebhookSettings;
  /** `PUBLIC_URL`: the gateway's own address as the world reaches it (providers' callbacks, signed links). */
  publicUrl: string | undefined;
  /** Browser origins allowed by CORS (`CORS_ORIGINS`); `none` by default. */
  corsOrigins: CorsOrigins;
  outputs: OutputSettings;
  /** The operator's prices per provider (`prices`), over the providers' published ones. */
  prices: Record<string, ProviderPrices>;
  /** Named keys with limits (`keys`); their secrets are also in `apiKeys`. */
  keys: NamedKey[];
  /** `METRICS_TOKEN`: the bearer token `GET /metrics` needs; without it the route is a 404. */
  metricsToken: string | undefined;
}

/** Environment-like input: strings from `process.env`, possibly objects and numbers from wrangler `[vars]`. */
export type Env = Record<string, unknown>;

const list = (minLength: number, what: string) =>
  v
    .string({ error: `required (${what})` })
    .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean))
    .pipe(v.array(v.string().min(minLength, `each entry needs at least ${minLength} characters`)).min(1, `required (${what})`));

const positiveInt = v.coerce.number().int().positive();

/** Comma-separated milliseconds, e.g. `5000,30000,120000`. */
const schedule = v
  .string()
  .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'expected comma-separated milliseconds, e.g. 5000,30000,120000')
  .transform((value) => value.split(',').map((item) => Number(item.trim())));

export const CoreEnvSchema = v.object({
  // Optional here: named keys (VIDGATE_CONFIG.keys) may be the only keys; loadConfig requires one or the other.
  GATEWAY_API_KEYS: list(8, 'comma-separated bearer keys clients must send'),
  JOB_ID_SECRET: list(16, 'secret that seals job ids; comma-separate old secrets to rotate'),
  MAX_REQUEST_BYTES: positiveInt.default(16 * 1024 * 1024),
  MAX_IMAGE_BYTES: positiveInt.default(10 * 1024 * 1024),
  ALLOWED_PRIVATE_HOSTS: v.string().optional(),
  POLL_INTERVAL_MS: positiveInt.optional(),
  POLL_FRESHNESS_MS: v.coerce.number().int().min(0).default(2_000),
  LEASE_MS: v.coerce.number().int().min(500).default(30_000),
  WEBHOOK_SECRET: v
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]{22,}={0,2}$/, 'expected whsec_ followed by a base64 secret of at least 16 bytes (as Standard Webhooks writes them)')
    .optional(),
  WEBHOOK_RETRY_SCHEDULE_MS: schedule.optional(),
  MAX_OUTPUT_BYTES: positiveInt.default(1024 * 1024 * 1024),
  OUTPUT_URL_TTL: positiveInt.max(7 * 24 * 3600, 'at most 604800 (7 days)').default(86_400),
  OUTPUT_RETENTION_DAYS: v.coerce.number().positive().optional(),
  OUTPUT_WEBHOOK_WAIT_MS: v.coerce.number().int().min(0).default(60_000),
  OUTPUT_COPY_RETRY_SCHEDULE_MS: schedule.optional(),
  PUBLIC_URL: v.url({ protocol: /^https?$/, error: 'expected the http(s) URL clients reach the gateway at' }).optional(),
  UPSTREAM_CREATE_TIMEOUT_MS: positiveInt.optional(),
  UPSTREAM_POLL_TIMEOUT_MS: positiveInt.optional(),
  UPSTREAM_ATTEMPTS: positiveInt.max(10).optional(),
  CORS_ORIGINS: CorsOriginsSchema,
  // Empty counts as unset, so `METRICS_TOKEN=` in an env file turns the route off rather than failing.
  METRICS_TOKEN: v.preprocess((value) => (value === '' ? undefined : value), v.string().min(16, 'at least 16 characters (a scraper\'s bearer token)').optional()),
});
/** With named keys (VIDGATE_CONFIG.keys), they may be the only keys. */
export const CoreEnvWithNamedKeysSchema = CoreEnvSchema.extend({ GATEWAY_API_KEYS: CoreEnvSchema.shape.GATEWAY_API_KEYS.optional() });
type CoreEnv = v.Output<typeof CoreEnvWithNamedKeysSchema>;

export function loadConfig(env: Env, providers: readonly ProviderDefinition[]): GatewayConfig {
  const routing = readRoutingConfig(env.VIDGATE_CONFIG);
  const core: CoreEnv = parseOrThrow(Object.keys(routing.keys ?? {}).length > 0 ? CoreEnvWithNamedKeysSchema : CoreEnvSchema, env);
  const policies = routing.providers ?? {};
  const unknown = Object.keys(policies).filter((name) => !providers.some((provider) => provider.name === name));
  if (unknown.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - VIDGATE_CONFIG.providers.${unknown[0]}: unknown provider (known: ${providers.map((p) => p.name).join(', ')})`);
  }
  const unnamed = core.GATEWAY_API_KEYS ?? [];
  const keys = loadNamedKeys(routing.keys, env, unnamed);
  return {
    apiKeys: [...unnamed, ...keys.map((key) => key.key)],
    keys,
    prices: loadPrices(routing.prices, providers),
    jobIdSecrets: core.JOB_ID_SECRET,
    maxBodyBytes: core.MAX_REQUEST_BYTES,
    maxImageBytes: core.MAX_IMAGE_BYTES,
    allowedPrivateHosts: parseAllowedHosts(core.ALLOWED_PRIVATE_HOSTS),
    webhooks: { secret: core.WEBHOOK_SECRET, retryScheduleMs: core.WEBHOOK_RETRY_SCHEDULE_MS ?? DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS },
    publicUrl: core.PUBLIC_URL?.replace(/\/+$/, ''),
    lifecycle: {
      fixedPollIntervalMs: core.POLL_INTERVAL_MS,
      maxPollIntervalMs: 30_000,
      freshnessMs: core.POLL_FRESHNESS_MS,
      leaseMs: core.LEASE_MS,
    },
    corsOrigins: core.CORS_ORIGINS,
    metricsToken: core.METRICS_TOKEN,
    outputs: {
      maxBytes: core.MAX_OUTPUT_BYTES,
      urlTtlSeconds: core.OUTPUT_URL_TTL,
      retentionDays: core.OUTPUT_RETENTION_DAYS,
      webhookWaitMs: core.OUTPUT_WEBHOOK_WAIT_MS,
      copyRetryScheduleMs: core.OUTPUT_COPY_RETRY_SCHEDULE_MS ?? DEFAULT_COPY_RETRY_SCHEDULE_MS,
    },
    aliases: resolveAliases(DEFAULT_ROUTING.aliases ?? {}, routing.aliases ?? {}, providers),
    providers: Object.fromEntries(providers.map((provider) => [provider.name, providerSettings(provider, env, core, policies[provider.name])])),
  };
}

function providerSettings(provider: ProviderDefinition, env: Env, core: CoreEnv, policy: ProviderPolicy | undefined): ProviderSettings {
  const schema = v.object({
    [provider.env.apiKey]: v.string().trim().min(1).optional(),
    [provider.env.baseUrl]: v.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  });
  const parsed = parseOrThrow(schema, emptyAsUndefined(env, [provider.env.apiKey, provider.env.baseUrl]));
  return {
    apiKey: parsed[provider.env.apiKey] as string | undefined,
    enabled: policy?.enabled ?? true,
    baseUrl: (parsed[provider.env.baseUrl] as string | undefined) ?? policy?.base_url ?? provider.defaultBaseUrl,
    pollIntervalMs: core.POLL_INTERVAL_MS ?? policy?.poll_interval_ms ?? provider.pollIntervalMs,
    policy: {
      ...DEFAULT_POLICY,
      attempts: policy?.retry?.attempts ?? core.UPSTREAM_ATTEMPTS ?? DEFAULT_POLICY.attempts,
      createTimeoutMs: policy?.request_timeout_ms?.create ?? core.UPSTREAM_CREATE_TIMEOUT_MS ?? DEFAULT_POLICY.createTimeoutMs,
      pollTimeoutMs: policy?.request_timeout_ms?.poll ?? core.UPSTREAM_POLL_TIMEOUT_MS ?? DEFAULT_POLICY.pollTimeoutMs,
    },
  };
}

function emptyAsUndefined(env: Env, keys: string[]): Env {
  return Object.fromEntries(keys.map((key) => [key, env[key] === '' ? undefined : env[key]]));
}
