/**
 * Answers that are the same for every request to a deployment and large to build: the OpenAPI
 * document (built from every schema and the error catalog) and the playground page (with its
 * script). They depend only on the code and the provider registry, never on configuration or the
 * request. Node builds them in-process on first use (src/node/static-pages.ts); the Worker reads the
 * copies that scripts/worker-assets.ts built into its static assets (src/worker/static-pages.ts),
 * so its bundle carries neither the builders nor the texts. Both come from build.ts: the two
 * runtimes serve the same bytes.
 */
import type { PlaygroundTemplate } from '../playground/settings.ts';

export interface StaticPages {
  /** `GET /openapi.json`'s body: the document as compact JSON. `undefined`: this runtime cannot serve it. */
  openApiJson(): Promise<string | undefined>;
  /** The playground page with its settings' slots empty, and its policy. `undefined`: this runtime cannot serve it. */
  playground(): Promise<PlaygroundTemplate | undefined>;
}

/**
 * Where the built copies are in the Worker's static assets. The folder is not served as such: every
 * path but `/docs/assets/*` runs the Worker first (wrangler.toml `run_worker_first`), and the app
 * has no route there; the Worker reads them through the `ASSETS` binding.
 */
export const STATIC_PAGE_FILES = {
  openApiJson: '/_pages/openapi.json',
  playground: '/_pages/playground.json',
} as const satisfies Record<keyof StaticPages, string>;
