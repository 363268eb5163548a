/**
 * The interactive reference's renderer: Scalar's standalone browser bundle, pinned to the exact
 * version in package.json and served by the gateway itself (never from a CDN), so `/docs` works
 * offline and no third-party script runs on the gateway's origin. Runtime-agnostic: Node reads the
 * file from the installed package, Workers serves a copy as a static asset.
 */
/** The npm package that ships the renderer. */
export const RENDERER_PACKAGE = '@scalar/api-reference';

/**
 * The pinned version: package.json's dependency, which must be exact. Written out rather than read
 * from package.json, whose whole text a JSON import would put in the Worker bundle; a test checks
 * that the two agree and that this version is the one installed.
 */
export const RENDERER_VERSION = '1.76.0';

/** A file the reference page loads, by its public name under {@link DOCS_ASSETS_PATH}. */
export interface DocsAsset {
  name: string;
  contentType: string;
}

/** The standalone bundle: the renderer with its styles, one script that needs no other file. */
export const RENDERER_SCRIPT: DocsAsset = { name: 'standalone.js', contentType: 'text/javascript; charset=utf-8' };

/** Every file served under {@link DOCS_ASSETS_PATH}. */
export const DOCS_ASSETS: readonly DocsAsset[] = [RENDERER_SCRIPT];

/** Where the files are served. The version is in the path, so a file never changes under its URL. */
export const DOCS_ASSETS_PATH = `/docs/assets/${RENDERER_VERSION}`;

/** The URL of an asset, relative to the gateway's origin. */
export function docsAssetUrl(asset: DocsAsset): string {
  return `${DOCS_ASSETS_PATH}/${asset.name}`;
}

/** Versioned paths can be cached for a year and never revalidated. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** The asset a request path names, if it names the pinned version and a served file. */
export function docsAssetFor(version: string, name: string): DocsAsset | undefined {
  return version === RENDERER_VERSION ? DOCS_ASSETS.find((asset) => asset.name === name) : undefined;
}

/**
 * Serves one asset's bytes for a request, or `undefined` when this runtime cannot. Each runtime
 * brings its own: the installed package on Node, the static-assets binding on Workers.
 */
export type DocsAssetSource = (asset: DocsAsset, request: Request) => Promise<Response | undefined>;
