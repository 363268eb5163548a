/**
 * The output store on Node, chosen by `OUTPUT_STORE`:
 * - unset or empty: a directory in the data directory (`<VIDGATE_DATA_DIR>/outputs`), which needs no setup;
 * - `none`: no copies (videos are served from the providers' URLs while those last);
 * - `s3://bucket/prefix`: S3-compatible storage.
 * Anything else, or a store that cannot be opened, stops startup with one line naming OUTPUT_STORE.
 */
import { join, resolve } from 'node:path';
import { ConfigError } from '../config-error.ts';
import type { OutputStore } from '../outputs/output-store.ts';
import { openDirectoryOutputStore } from './directory-output-store.ts';

const ACCEPTED = 'expected "none", an s3://bucket/prefix URL, or unset for the data directory';

/** The store copies go to, or `undefined` when `OUTPUT_STORE=none`. Its `close` may be called more than once. */
export async function openOutputStore(env: Record<string, string | undefined>, dataDir: string): Promise<OutputStore | undefined> {
  const value = (env.OUTPUT_STORE ?? '').trim();
  if (value.toLowerCase() === 'none') return undefined;
  if (value === '') {
    try {
      return onceClosed(await openDirectoryOutputStore(join(resolve(dataDir), 'outputs')));
    } catch (error) {
      throw new ConfigError(`Invalid configuration:\n  - OUTPUT_STORE (unset, so the data directory): ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (/^s3:\/\//i.test(value)) {
    // Loaded only when asked for: deployments without S3 never load its client.
    const { s3OutputStore, s3SettingsFrom } = await import('./s3-output-store.ts');
    return onceClosed(await s3OutputStore(s3SettingsFrom(value, env)));
  }
  // The value is not echoed: a mistyped URL may carry credentials.
  throw new ConfigError(`Invalid configuration:\n  - OUTPUT_STORE: ${ACCEPTED}`);
}

/** The store with a `close` that runs once; later calls wait for the same close. */
function onceClosed(store: OutputStore): OutputStore {
  let closing: Promise<void> | undefined;
  return {
    get description() {
      return store.description;
    },
    put: (key, body, options) => store.put(key, body, options),
    get: (key, range) => store.get(key, range),
    delete: (key) => store.delete(key),
    close: () => (closing ??= store.close()),
  };
}
