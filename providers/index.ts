/**
 * The one provider registry. Adding a provider = a folder under `providers/` plus one line here;
 * model ids, `provider_options` keys, configuration variables and sandbox emulators all derive
 * from this list. (Each folder's `emulator.ts` is found by convention, so it stays out of the
 * Worker bundle.)
 */
import { aimlapi } from './aimlapi/index.ts';
import { krea } from './krea/index.ts';
import type { ProviderDefinition } from './types.ts';

export const providers: readonly ProviderDefinition[] = [krea, aimlapi];
