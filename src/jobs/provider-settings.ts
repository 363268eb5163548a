/** A provider's settings, or the error explaining why it cannot be used. */
import type { ProviderDefinition } from '../../providers/types.ts';
import type { GatewayConfig, ProviderSettings } from '../config.ts';
import { GatewayError } from '../errors.ts';

export type UsableSettings = ProviderSettings & { apiKey: string };

/**
 * New jobs need the provider enabled and keyed; polling an existing job only needs the key, so
 * disabling a provider stops new traffic without orphaning its jobs in flight.
 */
export function providerSettingsFor(config: GatewayConfig, provider: ProviderDefinition, options: { forNewJob: boolean }): UsableSettings {
  const settings = config.providers[provider.name];
  if (!settings?.apiKey) {
    throw new GatewayError({
      status: 503,
      code: 'provider_not_configured',
      message: `${provider.title} is not configured on this gateway (no ${provider.env.apiKey}).`,
      provider: provider.name,
    });
  }
  if (options.forNewJob && !settings.enabled) {
    throw new GatewayError({
      status: 503,
      code: 'provider_disabled',
      message: `${provider.title} is disabled in this gateway's routing configuration.`,
      provider: provider.name,
    });
  }
  return settings as UsableSettings;
}
