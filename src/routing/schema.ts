/**
 * The routing configuration: aliases → ordered targets, and per-provider settings. Vocabulary
 * after Portkey's gateway configs (targets, retry attempts, request timeouts). Parsed with zod once
 * per process or isolate; any problem stops startup with the path of the bad key.
 */
import * as z from 'zod';

const ALIAS_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

const TargetList = z.array(z.string().min(3)).min(1, 'needs at least one target');

const AliasSchema = z.union([
  TargetList,
  z.strictObject({
    description: z.string().max(500).optional(),
    /** Tried in order; the first that can take the job serves it. */
    targets: TargetList,
    /** Extra targets a client may pin with `provider`, never used for fallback. */
    pin_only: z.array(z.string().min(3)).optional(),
  }),
]);

const ProviderPolicySchema = z.strictObject({
  enabled: z.boolean().optional(),
  base_url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  request_timeout_ms: z
    .strictObject({ create: z.number().int().positive().optional(), poll: z.number().int().positive().optional() })
    .optional(),
  retry: z.strictObject({ attempts: z.number().int().min(1).max(10) }).optional(),
  /** How often the driver polls this provider's live jobs (before backing off). */
  poll_interval_ms: z.number().int().min(100).max(3_600_000).optional(),
});

/** An operator's own price for a model, replacing the published one. */
const ModelPriceSchema = z.union([
  z.strictObject({ usd_per_second: z.number().nonnegative() }),
  z.strictObject({ usd_per_job: z.number().nonnegative() }),
]);

const ProviderPriceSchema = z.strictObject({
  /** What one of the provider's billing units costs this account. */
  usd_per_unit: z.number().positive().optional(),
  /** Per provider model id (`kling/kling-2.5`). */
  models: z.record(z.string().min(1), ModelPriceSchema).optional(),
});

const KEY_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A named gateway key: the key itself comes from the environment (a secret), never from this file. */
const NamedKeySchema = z.strictObject({
  key_env: z.string().regex(ENV_NAME, 'expected the name of an environment variable (letters, digits, _)'),
  requests_per_minute: z.number().int().positive().optional(),
  max_concurrent_jobs: z.number().int().positive().optional(),
  daily_budget_usd: z.number().nonnegative().optional(),
  monthly_budget_usd: z.number().nonnegative().optional(),
  /** Sees every key's usage in `GET /v1/usage`. */
  admin: z.boolean().optional(),
});

export const RoutingConfigSchema = z.strictObject({
  aliases: z
    .record(z.string().regex(ALIAS_NAME, 'alias names are lower-case letters, digits, ".", "_" or "-" (no "/")'), AliasSchema.nullable())
    .optional(),
  providers: z.record(z.string(), ProviderPolicySchema).optional(),
  prices: z.record(z.string(), ProviderPriceSchema).optional(),
  keys: z.record(z.string().regex(KEY_NAME, 'key names are lower-case letters, digits, ".", "_" or "-"'), NamedKeySchema).optional(),
});

export type RoutingConfigInput = z.input<typeof RoutingConfigSchema>;
export type ProviderPolicy = z.output<typeof ProviderPolicySchema>;
export type ModelPrice = z.output<typeof ModelPriceSchema>;
export type ProviderPriceConfig = z.output<typeof ProviderPriceSchema>;
export type NamedKeyConfig = z.output<typeof NamedKeySchema>;

/** An alias after normalization: its ordered fallback targets and the extra pinnable ones. */
export interface AliasConfig {
  description?: string;
  targets: string[];
  pinOnly: string[];
}

export function normalizeAlias(alias: z.output<typeof AliasSchema>): AliasConfig {
  if (Array.isArray(alias)) return { targets: alias, pinOnly: [] };
  return { description: alias.description, targets: alias.targets, pinOnly: alias.pin_only ?? [] };
}
