/**
 * The reference page's files on Node, read from the installed renderer package (found through
 * module resolution, wherever npm put it), once, on the first request that needs them, and kept in
 * memory. The script is about 5 MB, so a gzip copy is made (also once) for clients that accept it.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { RENDERER_PACKAGE, RENDERER_SCRIPT, RENDERER_VERSION, type DocsAsset, type DocsAssetSource } from '../reference/renderer.ts';

const gzipAsync = promisify(gzip);

/** The installed renderer package: its folder and the files the page loads, by public name. */
export interface RendererPackage {
  root: string;
  version: string;
  files: ReadonlyMap<string, string>;
}

/**
 * Finds the installed renderer: resolves the package's entry, walks up to its package.json, and
 * takes the standalone bundle from its `browser` field. Fails unless it is the pinned version.
 */
export async function locateRendererPackage(): Promise<RendererPackage> {
  const root = await packageRoot(fileURLToPath(import.meta.resolve(RENDERER_PACKAGE)));
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string; browser?: unknown };
  if (manifest.version !== RENDERER_VERSION) {
    throw new Error(`${RENDERER_PACKAGE} ${manifest.version} is installed, but package.json pins ${RENDERER_VERSION}: run npm ci.`);
  }
  if (typeof manifest.browser !== 'string') throw new Error(`${RENDERER_PACKAGE} ${manifest.version} names no standalone browser bundle.`);
  return { root, version: manifest.version, files: new Map([[RENDERER_SCRIPT.name, join(root, manifest.browser)]]) };
}

/** The nearest folder above `file` whose package.json is the renderer's. */
async function packageRoot(file: string): Promise<string> {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const name = await readFile(join(dir, 'package.json'), 'utf8').then((text) => (JSON.parse(text) as { name?: string }).name, () => undefined);
    if (name === RENDERER_PACKAGE) return dir;
  }
  throw new Error(`No package.json of ${RENDERER_PACKAGE} above ${file}.`);
}

interface LoadedAsset {
  bytes: Uint8Array<ArrayBuffer>;
  gzipped: () => Promise<Uint8Array<ArrayBuffer>>;
}

/** Serves the assets from the installed package; `locate` is for tests. */
export function nodeDocsAssets(locate: () => Promise<RendererPackage> = locateRendererPackage): DocsAssetSource {
  let located: Promise<RendererPackage> | undefined;
  const loaded = new Map<string, Promise<LoadedAsset>>();

  function load(asset: DocsAsset): Promise<LoadedAsset> {
    let pending = loaded.get(asset.name);
    if (!pending) {
      located ??= locate();
      pending = located.then((found) => readAsset(found, asset));
      // A failure (say, the package is missing) is not kept: the next request tries again.
      pending.catch(() => {
        loaded.delete(asset.name);
        located = undefined;
      });
      loaded.set(asset.name, pending);
    }
    return pending;
  }

  return async (asset, request) => {
    const { bytes, gzipped } = await load(asset);
    const body = acceptsGzip(request) ? await gzipped() : bytes;
    const headers: Record<string, string> = { 'content-length': String(body.byteLength), vary: 'accept-encoding' };
    if (body !== bytes) headers['content-encoding'] = 'gzip';
    return new Response(body, { headers });
  };
}

async function readAsset(found: RendererPackage, asset: DocsAsset): Promise<LoadedAsset> {
  const path = found.files.get(asset.name);
  if (!path) throw new Error(`${RENDERER_PACKAGE} has no file for ${asset.name}.`);
  const bytes = new Uint8Array(await readFile(path));
  let compressed: Promise<Uint8Array<ArrayBuffer>> | undefined;
  return { bytes, gzipped: () => (compressed ??= gzipAsync(bytes).then((buffer) => new Uint8Array(buffer))) };
}

/** `Accept-Encoding` lists gzip with a non-zero weight. */
export function acceptsGzip(request: Request): boolean {
  return (request.headers.get('accept-encoding') ?? '').split(',').some((entry) => {
    const [coding, ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
    const weight = params.find((param) => param.startsWith('q='));
    return coding === 'gzip' && (weight === undefined || Number(weight.slice(2)) > 0);
  });
}
