/** `GET /v1/models`: every model a client can ask for, with capabilities, and which providers are configured. */
import type { GatewayConfig } from './config.ts';
import type { ModelIndex } from './router.ts';
import type { ModelList } from './schemas/models.ts';

export function listModels(models: ModelIndex, config: GatewayConfig): ModelList {
  const configured = (name: string) => Boolean(config.providers[name]?.apiKey);
  return {
    object: 'list' as const,
    data: models.targets().map((target) => ({
      id: target.publicId,
      object: 'model' as const,
      type: 'direct' as const,
      title: target.model.title,
      provider: target.provider.name,
      provider_model: target.model.id,
      available: configured(target.provider.name),
      capabilities: target.model.capabilities,
    })),
    providers: [...models.providers.values()].map((provider) => ({
      name: provider.name,
      title: provider.title,
      configured: configured(provider.name),
      enabled: true,
    })),
  };
}
