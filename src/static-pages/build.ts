/**
 * Building the static pages (static-pages.ts): used by the Node runtime in-process and by
 * scripts/worker-assets.ts for the Worker's static assets, never by the Worker itself.
 */
import { buildOpenApiDocument } from '../openapi/build-document.ts';
import { playgroundTemplate } from '../playground/page.ts';
import { DOCS_CONTENT_SECURITY_POLICY, DOCS_PAGE_HTML } from '../reference/docs-page.ts';
import { STATIC_PAGE_FILES, type HtmlPage } from './static-pages.ts';

/** The document's body as `GET /openapi.json` sends it (what Hono's `c.json` would write). */
export function openApiJson(providerNames: readonly string[]): string {
  return JSON.stringify(buildOpenApiDocument(providerNames));
}

export function docsPage(): HtmlPage {
  return { html: DOCS_PAGE_HTML, contentSecurityPolicy: DOCS_CONTENT_SECURITY_POLICY };
}

export function playground(): HtmlPage {
  return playgroundTemplate();
}

/** Every static page as a file of the Worker's static assets: path → contents. */
export function staticPageFiles(providerNames: readonly string[]): Map<string, string> {
  return new Map([
    [STATIC_PAGE_FILES.openApiJson, openApiJson(providerNames)],
    [STATIC_PAGE_FILES.docsPage, JSON.stringify(docsPage())],
    [STATIC_PAGE_FILES.playground, JSON.stringify(playground())],
  ]);
}
