/**
 * The provider registry, built from catalog data the runtime loads: Krea's route table (most of
 * the catalog data there is) is imported on Node (providers/index.ts) and read from the static
 * assets on Workers (src/worker/provider-catalogs.ts), so the Worker bundle does not carry it.
 * Adding a provider = a folder under `providers/` plus one line here (and, if its catalog is large
 * data, a field of {@link CatalogData}).
 */
import { aimlapi } from './aimlapi/index.ts';
import { kreaProvider } from './krea/index.ts';
import type { KreaRoute } from './krea/generate-catalog.ts';
import type { ProviderDefinition } from './types.ts';

/** The providers' catalog data that is loaded rather than written in code. */
export interface CatalogData {
  kreaRoutes: readonly KreaRoute[];
}

export function createProviders(data: CatalogData): readonly ProviderDefinition[] {
  return [kreaProvider(data.kreaRoutes), aimlapi];
}
