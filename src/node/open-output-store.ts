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

/**
 * What `./s3-output-store.ts` is to export, once it exists on this branch: settings read from the
 * URL and the environment (credentials, endpoint), and the store opened with them.
 *
 * TODO(s3 output store): src/node/s3-output-store.ts is being written in parallel and is not on
 * this branch. When it lands, replace the `throw` in the s3 branch of `openOutputStore` with
 *
 *   return onceClosed(await openS3(await import('./s3-output-store.ts'), value, env));
 *
 * (imported lazily, so deployments without S3 never load its client), letting the module's own
 * setting errors (ConfigError naming the bad key) through as they are.
 */
export interface S3OutputStoreModule<Settings> {
  s3SettingsFrom(url: string, env: Record<string, string | undefined>): Settings;
  s3OutputStore(settings: Settings): OutputStore | Promise<OutputStore>;
}

export async function openS3<Settings>(module: S3OutputStoreModule<Settings>, url: string, env: Record<string, string | undefined>): Promise<OutputStore> {
  return module.s3OutputStore(module.s3SettingsFrom(url, env));
}

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
    // TODO(s3 output store): call openS3 (above) on `await import('./s3-output-store.ts')`, which exports s3SettingsFrom(url, env) and s3OutputStore(settings).
    throw new ConfigError('Invalid configuration:\n  - OUTPUT_STORE: s3://… is not supported in this build');
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
