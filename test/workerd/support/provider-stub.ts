/**
 * Outbound fetch inside workerd, stubbed: requests to an emulator origin are answered in-process by
 * that provider's emulator (a Hono app replying with the provider's published response shapes);
 * anything else is recorded as unexpected and refused, and the tests assert there was none.
 */
import { vi } from 'vitest';
import { emulatorNetwork, type EmulatorNetwork } from '../../support/emulator-network.ts';

export interface ProviderStub extends EmulatorNetwork {
  /** Answers a request as the network would (used for downloads too). */
  dispatch(request: Request): Promise<Response>;
  restore(): void;
}

/** Every registered provider's emulator behind the global fetch, and any `others` hosts. */
export async function stubProviders(others: Record<string, (request: Request) => Promise<Response>> = {}): Promise<ProviderStub> {
  const network = await emulatorNetwork(() => ({}), others);
  const spy = vi.spyOn(globalThis, 'fetch').mockImplementation(network.fetch);
  return { ...network, dispatch: (request) => network.fetch(request), restore: () => spy.mockRestore() };
}
