/**
 * Reading files the build put in the Worker's static assets (wrangler.toml `[assets]`, filled by
 * scripts/worker-assets.ts) through the `ASSETS` binding, by path. Files outside `/docs/assets/`
 * are never served to clients as such: every other path runs the Worker first, and the app has no
 * route there.
 */
import type { FetcherLike } from './bindings.ts';

/** Any origin does: the binding serves by path. */
const ASSETS_ORIGIN = 'https://assets.invalid';

/** The text of the file at `path`; `undefined` when there is no such file. */
export async function readAssetText(assets: FetcherLike, path: string): Promise<string | undefined> {
  const response = await assets.fetch(new Request(ASSETS_ORIGIN + path));
  if (!response.ok) {
    await response.body?.cancel();
    return undefined;
  }
  return response.text();
}
