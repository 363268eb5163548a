/**
 * The one provider registry, with its catalog data (see registry.ts). Model ids, `provider_options`
 * keys, configuration variables, the sandbox's emulators, the API document and the tests' harnesses
 * all derive from this list; the Worker builds the same list from its static assets.
 */
import { kreaModels } from './krea/with-routes.ts';
import { createProviders } from './registry.ts';
import type { ProviderDefinition } from './types.ts';

export const providers: readonly ProviderDefinition[] = createProviders({ kreaModels });
