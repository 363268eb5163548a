/**
 * Model resolution: which targets (provider + provider model) may serve a request's `model`, in
 * order. A direct id `<provider>/<model id>` is its own single target; an alias from the routing
 * configuration resolves to its ordered targets (plus pin-only extras).
 */
import type { ModelDescriptor, ProviderDefinition } from '../providers/types.ts';
import { unsupported } from './errors.ts';
import type { AliasConfig } from './routing/schema.ts';

export interface Target {
  provider: ProviderDefinition;
  model: ModelDescriptor;
  /** `<provider>/<model id>`. */
  publicId: string;
}

export interface Route {
  /** The alias name, when `model` was one. */
  alias?: string;
  /** Tried in order for fallback. */
  targets: Target[];
  /** Reachable only by pinning a provider. */
  pinOnly: Target[];
}

export interface ModelIndex {
  providers: ReadonlyMap<string, ProviderDefinition>;
  aliases: Readonly<Record<string, AliasConfig>>;
  resolve(model: string): Route;
  target(publicId: string): Target | undefined;
  targets(): Target[];
}

export function createModelIndex(providers: readonly ProviderDefinition[], aliases: Record<string, AliasConfig> = {}): ModelIndex {
  const byName = new Map(providers.map((provider) => [provider.name, provider]));
  const targets = new Map<string, Target>();
  for (const provider of providers) {
    for (const model of provider.models) {
      const publicId = `${provider.name}/${model.id}`;
      targets.set(publicId, { provider, model, publicId });
    }
  }
  const lookup = (ids: string[]) => ids.map((id) => targets.get(id)!);
  return {
    providers: byName,
    aliases,
    targets: () => [...targets.values()],
    target: (publicId) => targets.get(publicId),
    resolve(model) {
      const direct = targets.get(model);
      if (direct) return { targets: [direct], pinOnly: [] };
      const alias = Object.hasOwn(aliases, model) ? aliases[model] : undefined;
      if (alias) return { alias: model, targets: lookup(alias.targets), pinOnly: lookup(alias.pinOnly) };
      throw unknownModel(model, byName, aliases);
    },
  };
}

function unknownModel(model: string, providers: ReadonlyMap<string, ProviderDefinition>, aliases: Record<string, AliasConfig>) {
  const providerName = model.split('/')[0] ?? '';
  const reason = model.includes('/')
    ? providers.has(providerName)
      ? `${providers.get(providerName)!.title} has no model "${model.slice(providerName.length + 1)}".`
      : `Direct model ids start with a provider name (${[...providers.keys()].join(', ')}).`
    : `It is not an alias here (aliases: ${Object.keys(aliases).join(', ') || 'none'}).`;
  return unsupported('unknown_model', `Unknown model "${model}". ${reason} GET /v1/models lists what is available.`, 'model');
}
