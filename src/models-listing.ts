/**
 * `GET /v1/models`: every alias with its targets in order, every direct model with its
 * capabilities, and which providers are configured (never their keys). A client can build its
 * form from this answer alone.
 */
import type { GatewayConfig } from './config.ts';
import type { ModelIndex, Target } from './router.ts';
import type { ModelList } from './schemas/models.ts';

export function listModels(models: ModelIndex, config: GatewayConfig): ModelList {
  const usable = (name: string) => Boolean(config.providers[name]?.apiKey && config.providers[name]?.enabled);
  const describeTarget = (target: Target) => ({ model: target.publicId, provider: target.provider.name, available: usable(target.provider.name) });
  const aliases = Object.keys(models.aliases).map((name) => {
    const { targets } = models.resolve(name);
    const alias = models.aliases[name]!;
    return {
      id: name,
      object: 'model' as const,
      type: 'alias' as const,
      ...(alias.description ? { description: alias.description } : {}),
      available: targets.some((target) => usable(target.provider.name)),
      targets: targets.map(describeTarget),
    };
  });
  const direct = models.targets().map((target) => ({
    id: target.publicId,
    object: 'model' as const,
    type: 'direct' as const,
    title: target.model.title,
    provider: target.provider.name,
    provider_model: target.model.id,
    available: usable(target.provider.name),
    capabilities: target.model.capabilities,
  }));
  const providers = [...models.providers.values()].map((provider) => ({
    name: provider.name,
    title: provider.title,
    configured: Boolean(config.providers[provider.name]?.apiKey),
    enabled: config.providers[provider.name]?.enabled ?? false,
  }));
  return { object: 'list', data: [...aliases, ...direct], providers };
}
