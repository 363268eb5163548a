/**
 * The provider registry, built from catalog data the runtime loads: Krea's models (derived from its
 * route table, most of the catalog data there is) are derived in-process on Node
 * (providers/index.ts) and read from the static assets on Workers (src/worker/provider-catalogs.ts),
 * so the Worker bundle carries neither the table nor the derivation.
 * Adding a provider = a folder under `providers/` plus one line here (and, if its catalog is large
 * data, a field of {@link CatalogData}).
 */
import { aimlapi } from './aimlapi/index.ts';
import { kreaProvider } from './krea/index.ts';
import type { KreaWire } from './krea/catalog.ts';
import type { ModelDescriptor, ProviderDefinition } from './types.ts';

/** The providers' catalog data that is loaded rather than written in code. */
export interface CatalogData {
  kreaModels: readonly ModelDescriptor<KreaWire>[];
}

export function createProviders(data: CatalogData): readonly ProviderDefinition[] {
  return [kreaProvider(data.kreaModels), aimlapi];
}
