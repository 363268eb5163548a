/**
 * Outbound fetch inside workerd, stubbed: requests to an emulator origin are answered in-process by
 * that provider's emulator (a Hono app replying with the provider's published response shapes);
 * anything else is recorded as unexpected and refused, and the tests assert there was none.
 */
import { vi } from 'vitest';
import { createEmulator as createAimlapiEmulator } from '../../../providers/aimlapi/emulator.ts';
import type { Emulator } from '../../../providers/emulator-kit/index.ts';
import { createEmulator as createKreaEmulator } from '../../../providers/krea/emulator.ts';
import type { ProviderName } from '../../cases/index.ts';
import { EMULATOR_ORIGINS, WORKERD_TEST_BINDINGS } from './bindings.ts';

export interface ProviderStub {
  emulators: Record<ProviderName, Emulator>;
  /** URLs the Worker tried to reach that no emulator serves. */
  unexpected: string[];
  /** Answers a request as the network would (used for downloads too). */
  dispatch(request: Request): Promise<Response>;
  restore(): void;
}

/** Emulators that insist on the keys the Worker was given, so a wrong key would show. */
export function stubProviders(): ProviderStub {
  const emulators: Record<ProviderName, Emulator> = {
    krea: createKreaEmulator({ apiKey: WORKERD_TEST_BINDINGS.KREA_API_KEY }),
    aimlapi: createAimlapiEmulator({ apiKey: WORKERD_TEST_BINDINGS.AIMLAPI_API_KEY }),
  };
  const unexpected: string[] = [];
  const dispatch = async (request: Request): Promise<Response> => {
    const origin = new URL(request.url).origin;
    const name = (Object.keys(EMULATOR_ORIGINS) as ProviderName[]).find((provider) => EMULATOR_ORIGINS[provider] === origin);
    if (!name) {
      unexpected.push(request.url);
      throw new TypeError(`Unexpected outbound request to ${request.url} (no emulator serves ${origin})`);
    }
    return emulators[name].app.fetch(request);
  };
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => dispatch(new Request(input, init)));
  return { emulators, unexpected, dispatch, restore: () => spy.mockRestore() };
}
