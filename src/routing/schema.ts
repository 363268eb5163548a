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

export const RoutingConfigSchema = z.strictObject({
  aliases: z
    .record(z.string().regex(ALIAS_NAME, 'alias names are lower-case letters, digits, ".", "_" or "-" (no "/")'), AliasSchema.nullable())
    .optional(),
  providers: z.record(z.string(), ProviderPolicySchema).optional(),
});

export type RoutingConfigInput = z.input<typeof RoutingConfigSchema>;
export type ProviderPolicy = z.output<typeof ProviderPolicySchema>;

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
