/**
 * Answers that are the same for every request to a deployment: the OpenAPI document (built from
 * every schema and the error catalog), the API reference page and the playground page (with its
 * script). They depend only on the code and the provider registry, never on the request (the
 * playground's few settings are filled in by each app, src/playground/settings.ts). Node builds
 * them in-process on first use (src/node/static-pages.ts); the Worker reads the copies that
 * scripts/worker-assets.ts built into its static assets (src/worker/static-pages.ts), so its bundle
 * carries neither the builders nor the texts. Both come from build.ts: the runtimes serve the same bytes.
 */

/** An HTML page and the Content-Security-Policy it is served under. */
export interface HtmlPage {
  html: string;
  contentSecurityPolicy: string;
}

export interface StaticPages {
  /** `GET /openapi.json`'s body: the document as compact JSON. `undefined`: this runtime cannot serve it. */
  openApiJson(): Promise<string | undefined>;
  /** `GET /docs`. */
  docsPage(): Promise<HtmlPage | undefined>;
  /** `GET /playground`, its settings' slots still empty. */
  playground(): Promise<HtmlPage | undefined>;
}

/**
 * Where the built copies are in the Worker's static assets. The folder is not served as such: every
 * path but `/docs/assets/*` runs the Worker first (wrangler.toml `run_worker_first`), and the app
 * has no route there; the Worker reads them through the `ASSETS` binding.
 */
export const STATIC_PAGE_FILES = {
  openApiJson: '/_pages/openapi.json',
  docsPage: '/_pages/docs.json',
  playground: '/_pages/playground.json',
} as const satisfies Record<keyof StaticPages, string>;
