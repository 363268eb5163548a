/** Loading a provider's emulator without putting it in the Worker bundle. */
import type { EmulatorModule } from '../emulator-kit/index.ts';

/**
 * A loader for the emulator module at `path` relative to `base` (the provider's `import.meta.url`).
 * The specifier is computed when called, so bundlers cannot follow it: the Worker never ships (or
 * runs) an emulator, while Node's sandbox and the tests load it on demand.
 */
export function emulatorAt(base: string, path: string): () => Promise<EmulatorModule> {
  return () => import(new URL(path, base).href) as Promise<EmulatorModule>;
}
