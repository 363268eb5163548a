/**
 * The two `cloudflare:workers` exports the workerd tests use, typed locally: the full
 * `@cloudflare/workers-types` would clash with the Node types the rest of the project checks against.
 * (`DurableObject`, which the Worker's own code extends, is declared in src/worker/cloudflare-workers.d.ts.)
 */
declare module 'cloudflare:workers' {
  /** The Worker's bindings: wrangler.toml `[vars]` plus the test project's `miniflare.bindings` and KV. */
  export const env: Record<string, unknown>;
  /** The main module's exports as loopback services; `exports.default.fetch` goes through src/worker.ts. */
  export const exports: { default: { fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> } };
}
