/**
 * The routing configuration: aliases → ordered targets, and per-provider settings. Vocabulary
 * after Portkey's gateway configs (targets, retry attempts, request timeouts). Parsed once
 * per process or isolate; any problem stops startup with the path of the bad key.
 */
import * as v from '../validation/index.ts';

const ALIAS_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

const TargetList = v.array(v.string().min(3)).min(1, 'needs at least one target');

const AliasSchema = v.union([
  TargetList,
  v.strictObject({
    description: v.string().max(500).optional(),
    /** Tried in order; the first that can take the job serves it. */
    targets: TargetList,
    /** Extra targets a client may pin with `provider`, never used for fallback. */
    pin_only: v.array(v.string().min(3)).optional(),
  }),
]);

const ProviderPolicySchema = v.strictObject({
  enabled: v.boolean().optional(),
  base_url: v.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  request_timeout_ms: v
    .strictObject({ create: v.number().int().positive().optional(), poll: v.number().int().positive().optional() })
    .optional(),
  retry: v.strictObject({ attempts: v.number().int().min(1).max(10) }).optional(),
  /** How often the driver polls this provider's live jobs (before backing off). */
  poll_interval_ms: v.number().int().min(100).max(3_600_000).optional(),
});

/** An operator's own price for a model, replacing the published one. */
const ModelPriceSchema = v.union([
  v.strictObject({ usd_per_second: v.number().nonnegative() }),
  v.strictObject({ usd_per_job: v.number().nonnegative() }),
]);

const ProviderPriceSchema = v.strictObject({
  /** What one of the provider's billing units costs this account. */
  usd_per_unit: v.number().positive().optional(),
  /** Per provider model id (`kling/kling-2.5`). */
  models: v.record(v.string().min(1), ModelPriceSchema).optional(),
});

const KEY_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A named gateway key: the key itself comes from the environment (a secret), never from this file. */
const NamedKeySchema = v.strictObject({
  key_env: v.string().regex(ENV_NAME, 'expected the name of an environment variable (letters, digits, _)'),
  requests_per_minute: v.number().int().positive().optional(),
  max_concurrent_jobs: v.number().int().positive().optional(),
  daily_budget_usd: v.number().nonnegative().optional(),
  monthly_budget_usd: v.number().nonnegative().optional(),
  /** Sees every key's usage in `GET /v1/usage`. */
  admin: v.boolean().optional(),
});

export const RoutingConfigSchema = v.strictObject({
  aliases: v
    .record(v.string().regex(ALIAS_NAME, 'alias names are lower-case letters, digits, ".", "_" or "-" (no "/")'), AliasSchema.nullable())
    .optional(),
  providers: v.record(v.string(), ProviderPolicySchema).optional(),
  prices: v.record(v.string(), ProviderPriceSchema).optional(),
  keys: v.record(v.string().regex(KEY_NAME, 'key names are lower-case letters, digits, ".", "_" or "-"'), NamedKeySchema).optional(),
});

export type RoutingConfigInput = v.Input<typeof RoutingConfigSchema>;
export type ProviderPolicy = v.Output<typeof ProviderPolicySchema>;
export type ModelPrice = v.Output<typeof ModelPriceSchema>;
export type ProviderPriceConfig = v.Output<typeof ProviderPriceSchema>;
export type NamedKeyConfig = v.Output<typeof NamedKeySchema>;

/** An alias after normalization: its ordered fallback targets and the extra pinnable ones. */
export interface AliasConfig {
  description?: string;
  targets: string[];
  pinOnly: string[];
}

export function normalizeAlias(alias: v.Output<typeof AliasSchema>): AliasConfig {
  if (Array.isArray(alias)) return { targets: alias, pinOnly: [] };
  return { description: alias.description, targets: alias.targets, pinOnly: alias.pin_only ?? [] };
}
