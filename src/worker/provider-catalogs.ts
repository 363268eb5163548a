/**
 * The provider registry on Workers. Krea's route table (a JSON file of some 40 KiB, most of what
 * the bundle would otherwise carry) is a static asset, copied there by scripts/worker-assets.ts
 * from the file Node imports, and read once per isolate before the gateway is built; the registry
 * is then the same as on Node (providers/registry.ts).
 */
import type { KreaRoute } from '../../providers/krea/generate-catalog.ts';
import { createProviders } from '../../providers/registry.ts';
import type { ProviderDefinition } from '../../providers/types.ts';
import { ConfigError } from '../config-error.ts';
import { readAssetText } from './asset-files.ts';
import type { FetcherLike } from './bindings.ts';

/** Where the catalog data is in the static assets. */
export const CATALOG_FILES = { kreaRoutes: '/_catalogs/krea-routes.json' } as const;

export async function workerProviders(assets: FetcherLike | undefined): Promise<readonly ProviderDefinition[]> {
  const text = assets ? await readAssetText(assets, CATALOG_FILES.kreaRoutes) : undefined;
  if (text === undefined) {
    throw new ConfigError(`Invalid configuration:\n  - ASSETS: the provider catalogs (${CATALOG_FILES.kreaRoutes}) are not in the static assets (wrangler.toml [assets], filled by npm run assets:worker)`);
  }
  return createProviders({ kreaRoutes: JSON.parse(text) as KreaRoute[] });
}
