/**
 * The app's answers from the static pages (static-pages.ts): `GET /openapi.json`, `GET /docs` and
 * `GET /playground`, the same bytes and headers on both runtimes. `undefined` when the runtime has
 * no copy to serve (the app answers 404, as for the reference's assets).
 */
import type { Context } from 'hono';
import { fillPlaygroundPage, type PlaygroundSettings } from '../playground/settings.ts';
import type { HtmlPage, StaticPages } from './static-pages.ts';

export interface StaticPageAnswers {
  openApiDocument(c: Context): Promise<Response | undefined>;
  docsPage(c: Context): Promise<Response | undefined>;
  playground(c: Context): Promise<Response | undefined>;
}

/** A page under its policy, never sniffed as anything but HTML. */
function htmlAnswer(c: Context, html: string, page: HtmlPage): Response {
  return c.html(html, 200, { 'content-security-policy': page.contentSecurityPolicy, 'x-content-type-options': 'nosniff' });
}

export function staticPageAnswers(pages: StaticPages | undefined, settings: PlaygroundSettings): StaticPageAnswers {
  /** The page filled with this app's settings, once. */
  let filled: string | undefined;
  return {
    async openApiDocument(c) {
      const json = await pages?.openApiJson();
      return json === undefined ? undefined : c.body(json, 200, { 'content-type': 'application/json' });
    },
    async docsPage(c) {
      const page = await pages?.docsPage();
      return page && htmlAnswer(c, page.html, page);
    },
    async playground(c) {
      const page = await pages?.playground();
      if (!page) return undefined;
      filled ??= fillPlaygroundPage(page.html, settings);
      return htmlAnswer(c, filled, page);
    },
  };
}
