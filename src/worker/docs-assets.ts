/**
 * The reference page's script on Workers. Cloudflare serves `/docs/assets/*` from the static
 * assets (wrangler.toml `[assets]`, copied out of the pinned package by `npm run assets:worker`)
 * without running the Worker; a request that reaches the Worker anyway is answered through the
 * `ASSETS` binding, so the app's route gives the same file either way.
 */
import type { DocsAssetSource } from '../reference/renderer.ts';
import type { FetcherLike } from './bindings.ts';

/** Fetches the request's own path from the static assets; `undefined` without the binding. */
export function workerDocsAssets(assets: FetcherLike | undefined): DocsAssetSource | undefined {
  if (!assets) return undefined;
  return async (_asset, request) => {
    const served = await assets.fetch(request);
    return served.ok ? served : undefined;
  };
}
