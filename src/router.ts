/**
 * Model resolution: which provider and which of its models serve a request's `model`. Direct
 * targets are `<provider>/<provider's model id>`; aliases (issue #3) will resolve to ordered
 * lists of such targets here.
 */
import type { ModelDescriptor, ProviderDefinition } from '../providers/types.ts';
import { unsupported } from './errors.ts';

export interface Target {
  provider: ProviderDefinition;
  model: ModelDescriptor;
  /** `<provider>/<model id>`. */
  publicId: string;
}

export interface ModelIndex {
  providers: ReadonlyMap<string, ProviderDefinition>;
  resolve(model: string): Target;
  targets(): Target[];
}

export function createModelIndex(providers: readonly ProviderDefinition[]): ModelIndex {
  const byName = new Map(providers.map((provider) => [provider.name, provider]));
  const targets = new Map<string, Target>();
  for (const provider of providers) {
    for (const model of provider.models) {
      const publicId = `${provider.name}/${model.id}`;
      targets.set(publicId, { provider, model, publicId });
    }
  }
  return {
    providers: byName,
    targets: () => [...targets.values()],
    resolve(model) {
      const target = targets.get(model);
      if (target) return target;
      const providerName = model.split('/')[0] ?? '';
      const known = [...byName.keys()].join(', ');
      const reason = byName.has(providerName)
        ? `${byName.get(providerName)!.title} has no model "${model.slice(providerName.length + 1)}".`
        : `Model ids start with a provider name (${known}).`;
      throw unsupported('unknown_model', `Unknown model "${model}". ${reason} GET /v1/models lists what is available.`, 'model');
    },
  };
}
