/**
 * Every registered provider's emulator on a pretend network, answered in-process: each provider
 * lives at `https://<name>.emulator.test`, and a `fetch` routes requests there to its emulator.
 * Runtime-agnostic (no Node or Workers APIs), so the Node conformance suite and the workerd tests
 * share it. The provider list comes from the registry alone.
 */
import type { Emulator, EmulatorModule, EmulatorOptions } from '../../providers/emulator-kit/index.ts';
import { providers } from '../../providers/index.ts';
import type { ProviderDefinition } from '../../providers/types.ts';

/** The pretend origin of a provider's emulator. */
export function emulatorOrigin(name: string): string {
  return `https://${name}.emulator.test`;
}

/** The key tests give a provider: distinctive, so a leak into any response or log line shows. */
export function testProviderKey(name: string): string {
  return `${name}-secret-key-7f3a9c`;
}

/** `<NAME>_API_KEY` and `<NAME>_BASE_URL` for every provider, pointing at its pretend origin. */
export function emulatorEnv(): Record<string, string> {
  return Object.fromEntries(providers.flatMap((provider) => [[provider.env.apiKey, testProviderKey(provider.name)], [provider.env.baseUrl, emulatorOrigin(provider.name)]]));
}

export interface EmulatorNetwork {
  emulators: Record<string, Emulator>;
  modules: Record<string, EmulatorModule>;
  /** URLs something tried to reach that no emulator serves. */
  unexpected: string[];
  /** A fetch that answers emulator origins in-process and refuses everything else. */
  fetch: typeof fetch;
  /** Clears every emulator's faults, request log and served statuses (emulated jobs survive). */
  reset(): void;
}

/** Starts every provider's emulator, insisting on the test key so a wrong key would show. */
export async function emulatorNetwork(
  options: (provider: ProviderDefinition) => EmulatorOptions = () => ({}),
  /** More pretend hosts (e.g. a webhook receiver), by origin. */
  others: Record<string, (request: Request) => Promise<Response>> = {},
): Promise<EmulatorNetwork> {
  const loaded = await Promise.all(providers.map(async (provider) => [provider, await provider.emulator()] as const));
  const modules = Object.fromEntries(loaded.map(([provider, module]) => [provider.name, module]));
  const emulators = Object.fromEntries(
    loaded.map(([provider, module]) => [provider.name, module.createEmulator({ apiKey: testProviderKey(provider.name), ...options(provider) })]),
  );
  const unexpected: string[] = [];
  const byOrigin = new Map(providers.map((provider) => [emulatorOrigin(provider.name), emulators[provider.name]!]));
  const dispatch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const emulator = byOrigin.get(new URL(request.url).origin);
    if (emulator) return emulator.app.fetch(request);
    const other = others[new URL(request.url).origin];
    if (other) return other(request);
    unexpected.push(request.url);
    throw new TypeError(`Unexpected outbound request to ${request.url} (no emulator serves it)`);
  };
  return {
    emulators,
    modules,
    unexpected,
    fetch: dispatch as typeof fetch,
    reset: () => Object.values(emulators).forEach((emulator) => emulator.control.reset()),
  };
}
