/**
 * The one provider registry. Adding a provider = a folder under `providers/` plus one line here;
 * model ids, `provider_options` keys, configuration variables, the sandbox's emulators, the API
 * document and the tests' harnesses all derive from this list.
 */
import { aimlapi } from './aimlapi/index.ts';
import { krea } from './krea/index.ts';
import type { ProviderDefinition } from './types.ts';

export const providers: readonly ProviderDefinition[] = [krea, aimlapi];
