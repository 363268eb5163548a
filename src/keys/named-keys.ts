/**
 * Named gateway keys from the routing configuration (`keys`): each names the environment variable
 * holding its secret, and carries its limits. Keys in `GATEWAY_API_KEYS` stay unnamed and unlimited.
 */
import { ConfigError } from '../config-error.ts';
import type { Env } from '../config.ts';
import type { NamedKeyConfig } from '../routing/schema.ts';

export interface NamedKey {
  name: string;
  /** The secret itself: held in memory only to compute its digest, never logged or stored. */
  key: string;
  requestsPerMinute?: number;
  maxConcurrentJobs?: number;
  dailyBudgetUsd?: number;
  monthlyBudgetUsd?: number;
  admin: boolean;
}

const MIN_KEY_LENGTH = 8;

export function loadNamedKeys(configured: Record<string, NamedKeyConfig> | undefined, env: Env, unnamed: readonly string[]): NamedKey[] {
  const keys = Object.entries(configured ?? {}).map(([name, entry]) => namedKey(name, entry, env));
  const seen = new Set(unnamed);
  for (const key of keys) {
    if (seen.has(key.key)) throw new ConfigError(`Invalid configuration:\n  - VIDGATE_CONFIG.keys.${key.name}.key_env: the same key is configured twice (in another named key or in GATEWAY_API_KEYS)`);
    seen.add(key.key);
  }
  return keys;
}

function namedKey(name: string, entry: NamedKeyConfig, env: Env): NamedKey {
  const value = env[entry.key_env];
  if (typeof value !== 'string' || value.trim().length < MIN_KEY_LENGTH) {
    throw new ConfigError(`Invalid configuration:\n  - VIDGATE_CONFIG.keys.${name}.key_env: the environment variable ${entry.key_env} must hold the key (at least ${MIN_KEY_LENGTH} characters)`);
  }
  return {
    name,
    key: value.trim(),
    ...(entry.requests_per_minute === undefined ? {} : { requestsPerMinute: entry.requests_per_minute }),
    ...(entry.max_concurrent_jobs === undefined ? {} : { maxConcurrentJobs: entry.max_concurrent_jobs }),
    ...(entry.daily_budget_usd === undefined ? {} : { dailyBudgetUsd: entry.daily_budget_usd }),
    ...(entry.monthly_budget_usd === undefined ? {} : { monthlyBudgetUsd: entry.monthly_budget_usd }),
    admin: entry.admin ?? false,
  };
}
