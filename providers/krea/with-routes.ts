/**
 * Krea's video routes as generated (`npm run generate:krea-catalog`), the models derived from them,
 * and the provider serving them: the catalog as Node, the tests and the scripts load it. The Worker
 * reads the same models from its static assets instead (src/worker/provider-catalogs.ts), so
 * nothing the Worker bundles imports this module.
 */
import type { ModelDescriptor } from '../types.ts';
import { kreaModelsOf, type KreaWire } from './catalog.ts';
import type { KreaRoute } from './generate-catalog.ts';
import { kreaProvider } from './index.ts';
import routesJson from './routes.generated.json' with { type: 'json' };

/** Every Krea video route, sorted by id. */
export const kreaRoutes: readonly KreaRoute[] = routesJson as readonly KreaRoute[];

export const kreaModels: readonly ModelDescriptor<KreaWire>[] = kreaModelsOf(kreaRoutes);

/** The provider, the same object the registry (providers/index.ts) holds. */
export const krea = kreaProvider(kreaModels);
