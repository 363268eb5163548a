/**
 * The static pages on Node: built in-process on first use, then kept (see src/static-pages/static-pages.ts).
 * Their builder (the OpenAPI document from the zod schemas, the reference page, the playground) is
 * imported on first use too: loading it is about a fifth of the gateway's start, and most processes
 * never serve those pages.
 */
import type { HtmlPage, StaticPages } from '../static-pages/static-pages.ts';

type Builder = typeof import('../static-pages/build.ts');

export function nodeStaticPages(providerNames: readonly string[]): StaticPages {
  let builder: Promise<Builder> | undefined;
  const build = () => (builder ??= import('../static-pages/build.ts'));
  let document: Promise<string> | undefined;
  let docs: Promise<HtmlPage> | undefined;
  let page: Promise<HtmlPage> | undefined;
  return {
    openApiJson: () => (document ??= build().then((pages) => pages.openApiJson(providerNames))),
    docsPage: () => (docs ??= build().then((pages) => pages.docsPage())),
    playground: () => (page ??= build().then((pages) => pages.playground())),
  };
}
