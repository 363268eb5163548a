/** The static pages on Node: built in-process on first use, then kept (see src/static-pages/static-pages.ts). */
import { openApiJson, playground } from '../static-pages/build.ts';
import type { StaticPages } from '../static-pages/static-pages.ts';

export function nodeStaticPages(providerNames: readonly string[]): StaticPages {
  let document: string | undefined;
  let page: ReturnType<typeof playground> | undefined;
  return {
    openApiJson: async () => (document ??= openApiJson(providerNames)),
    playground: async () => (page ??= playground()),
  };
}
