/** Reading `VIDGATE_CONFIG` and resolving aliases against the provider registry. */
import type { ProviderDefinition } from '../../providers/types.ts';
import { ConfigError, parseOrThrow } from '../config-error.ts';
import { normalizeAlias, RoutingConfigSchema, type AliasConfig, type RoutingConfigInput } from './schema.ts';

const SOURCE = 'VIDGATE_CONFIG';

/** `VIDGATE_CONFIG` may be a JSON string (environment variable) or an object (wrangler `[vars]` table). */
export function readRoutingConfig(value: unknown) {
  if (value === undefined || value === '') return parseOrThrow(RoutingConfigSchema, {}, SOURCE);
  let input = value;
  if (typeof value === 'string') {
    try {
      input = JSON.parse(value);
    } catch (error) {
      throw new ConfigError(`Invalid configuration:\n  - ${SOURCE}: not valid JSON (${(error as Error).message})`);
    }
  }
  return parseOrThrow(RoutingConfigSchema, input, SOURCE);
}

/**
 * Defaults overlaid with the operator's aliases (same name replaces, `null` removes), every target
 * checked to be a model some provider in the registry serves.
 */
export function resolveAliases(
  defaults: NonNullable<RoutingConfigInput['aliases']>,
  overrides: NonNullable<RoutingConfigInput['aliases']>,
  providers: readonly ProviderDefinition[],
): Record<string, AliasConfig> {
  const known = new Set(providers.flatMap((provider) => provider.models.map((model) => `${provider.name}/${model.id}`)));
  const merged = { ...defaults, ...overrides };
  const aliases: Record<string, AliasConfig> = {};
  for (const [name, alias] of Object.entries(merged)) {
    if (!alias) continue;
    const normalized = normalizeAlias(alias as never);
    checkTargets(name, 'targets', normalized.targets, known, name in overrides);
    checkTargets(name, 'pin_only', normalized.pinOnly, known, name in overrides);
    aliases[name] = normalized;
  }
  return aliases;
}

function checkTargets(alias: string, field: string, targets: string[], known: Set<string>, fromOperator: boolean): void {
  targets.forEach((target, index) => {
    if (known.has(target)) return;
    const where = fromOperator ? `${SOURCE}.aliases.${alias}.${field}.${index}` : `built-in alias ${alias}`;
    throw new ConfigError(`Invalid configuration:\n  - ${where}: unknown model "${target}" (targets are direct ids like krea/kling/kling-2.5; GET /v1/models lists them)`);
  });
}
