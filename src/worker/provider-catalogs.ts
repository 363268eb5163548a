/**
 * The provider registry on Workers. Krea's models (derived from its route table, a JSON file of
 * some 40 KiB: with the derivation, most of what the bundle would otherwise carry) are a static
 * asset, written there by scripts/worker-assets.ts with the code Node derives them with, and read
 * once per isolate before the gateway is built; the registry is then the same as on Node
 * (providers/registry.ts).
 */
import { kreaModelsFromJson } from '../../providers/krea/models-json.ts';
import { createProviders } from '../../providers/registry.ts';
import type { ProviderDefinition } from '../../providers/types.ts';
import { ConfigError } from '../config-error.ts';
import { readAssetText } from './asset-files.ts';
import type { FetcherLike } from './bindings.ts';

/** Where the catalog data is in the static assets. */
export const CATALOG_FILES = { kreaModels: '/_catalogs/krea-models.json' } as const;

export async function workerProviders(assets: FetcherLike | undefined): Promise<readonly ProviderDefinition[]> {
  const text = assets ? await readAssetText(assets, CATALOG_FILES.kreaModels) : undefined;
  if (text === undefined) {
    throw new ConfigError(`Invalid configuration:\n  - ASSETS: the provider catalogs (${CATALOG_FILES.kreaModels}) are not in the static assets (wrangler.toml [assets], filled by npm run assets:worker)`);
  }
  return createProviders({ kreaModels: kreaModelsFromJson(text) });
}
