/**
 * The Node server as one bundle (scripts/build-node.ts, run by `npm install`'s `prepare`): the
 * same code as src/node/main.ts, in one file instead of about 230 modules. Loading those modules
 * one by one (resolving each path, reading its package scope, instantiating it) was over half of a
 * start; from the bundle the gateway answers about 150 ms sooner.
 *
 * The bundle is used only when it was built from exactly the files on disk now: its manifest lists
 * every input with its size and modification time, and one that differs (an edit, a checkout, a
 * dependency update) means the sources run instead, as they would without a bundle.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where `npm run build:node` writes the bundle, relative to the project. */
export const BUILT_SERVER_DIR = 'build/node-server';
export const MANIFEST_FILE = 'manifest.json';

export interface BuiltServerManifest {
  /** The entry module, relative to the manifest. */
  entry: string;
  /** Every file the bundle was built from, relative to the project: path, size in bytes, modification time (ms). */
  inputs: [path: string, size: number, mtimeMs: number][];
}

/** The bundle's entry URL when the bundle in `dir` matches the files under `root`; `undefined` to run the sources. */
export function freshBuiltServer(root: string, dir = join(root, BUILT_SERVER_DIR)): string | undefined {
  let manifest: BuiltServerManifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as BuiltServerManifest;
  } catch {
    return undefined;
  }
  for (const [path, size, mtimeMs] of manifest.inputs) {
    const stats = statSync(join(root, path), { throwIfNoEntry: false });
    if (!stats || stats.size !== size || stats.mtimeMs !== mtimeMs) return undefined;
  }
  return pathToFileURL(join(dir, manifest.entry)).href;
}
