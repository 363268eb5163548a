/**
 * The static pages on Workers: the copies scripts/worker-assets.ts built into the static assets
 * (wrangler.toml `[assets]`), read through the `ASSETS` binding on first use and kept for the
 * isolate's life. The bundle carries neither the OpenAPI builder with its schemas nor the pages'
 * texts (see src/static-pages/static-pages.ts).
 */
import { STATIC_PAGE_FILES, type HtmlPage, type StaticPages } from '../static-pages/static-pages.ts';
import { readAssetText } from './asset-files.ts';
import type { FetcherLike } from './bindings.ts';

export function workerStaticPages(assets: FetcherLike | undefined): StaticPages {
  const read = kept(async (file: string) => (assets ? readAssetText(assets, file) : undefined));
  const page = async (file: string) => {
    const text = await read(file);
    return text === undefined ? undefined : (JSON.parse(text) as HtmlPage);
  };
  return {
    openApiJson: () => read(STATIC_PAGE_FILES.openApiJson),
    docsPage: () => page(STATIC_PAGE_FILES.docsPage),
    playground: () => page(STATIC_PAGE_FILES.playground),
  };
}

/** `load` once per file; a missing file is asked for again next time (nothing is kept but texts). */
function kept(load: (file: string) => Promise<string | undefined>): (file: string) => Promise<string | undefined> {
  const texts = new Map<string, string>();
  return async (file) => {
    const known = texts.get(file);
    if (known !== undefined) return known;
    const text = await load(file);
    if (text !== undefined) texts.set(file, text);
    return text;
  };
}
