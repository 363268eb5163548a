/**
 * The app's answers from the static pages (static-pages.ts): `GET /openapi.json` and
 * `GET /playground`, the same bytes and headers on both runtimes. `undefined` when the runtime has
 * no copy to serve (the app answers 404, as for the reference's assets).
 */
import type { Context } from 'hono';
import { fillPlaygroundPage, type PlaygroundSettings } from '../playground/settings.ts';
import type { StaticPages } from './static-pages.ts';

export interface StaticPageAnswers {
  openApiDocument(c: Context): Promise<Response | undefined>;
  playground(c: Context): Promise<Response | undefined>;
}

export function staticPageAnswers(pages: StaticPages | undefined, settings: PlaygroundSettings): StaticPageAnswers {
  /** The page filled with this app's settings, once. */
  let filled: string | undefined;
  return {
    async openApiDocument(c) {
      const json = await pages?.openApiJson();
      return json === undefined ? undefined : c.body(json, 200, { 'content-type': 'application/json' });
    },
    async playground(c) {
      const template = await pages?.playground();
      if (!template) return undefined;
      filled ??= fillPlaygroundPage(template.html, settings);
      return c.html(filled, 200, { 'content-security-policy': template.contentSecurityPolicy, 'x-content-type-options': 'nosniff' });
    },
  };
}
