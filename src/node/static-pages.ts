/** The static pages on Node: built in-process on first use, then kept (see src/static-pages/static-pages.ts). */
import { docsPage, openApiJson, playground } from '../static-pages/build.ts';
import type { HtmlPage, StaticPages } from '../static-pages/static-pages.ts';

export function nodeStaticPages(providerNames: readonly string[]): StaticPages {
  let document: string | undefined;
  let docs: HtmlPage | undefined;
  let page: HtmlPage | undefined;
  return {
    openApiJson: async () => (document ??= openApiJson(providerNames)),
    docsPage: async () => (docs ??= docsPage()),
    playground: async () => (page ??= playground()),
  };
}
