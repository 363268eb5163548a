/** The operator's prices (`prices` in the routing configuration), checked against the registry. */
import type { ProviderDefinition } from '../../providers/types.ts';
import { ConfigError } from '../config-error.ts';
import type { ModelPrice, ProviderPriceConfig } from '../routing/schema.ts';

export interface ProviderPrices {
  /** Replaces the provider's published USD value of its unit. */
  usdPerUnit?: number;
  /** Per provider model id: replaces the published price. */
  models: Record<string, ModelPrice>;
}

export function loadPrices(configured: Record<string, ProviderPriceConfig> | undefined, providers: readonly ProviderDefinition[]): Record<string, ProviderPrices> {
  const prices: Record<string, ProviderPrices> = {};
  for (const [name, entry] of Object.entries(configured ?? {})) {
    const provider = providers.find((candidate) => candidate.name === name);
    if (!provider) throw new ConfigError(`Invalid configuration:\n  - VIDGATE_CONFIG.prices.${name}: unknown provider (known: ${providers.map((p) => p.name).join(', ')})`);
    const unknown = Object.keys(entry.models ?? {}).find((id) => !provider.models.some((model) => model.id === id));
    if (unknown) throw new ConfigError(`Invalid configuration:\n  - VIDGATE_CONFIG.prices.${name}.models.${unknown}: ${provider.title} has no model "${unknown}" (ids as in GET /v1/models, without the provider prefix)`);
    prices[name] = { ...(entry.usd_per_unit === undefined ? {} : { usdPerUnit: entry.usd_per_unit }), models: entry.models ?? {} };
  }
  return prices;
}
