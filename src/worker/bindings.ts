/**
 * The slice of the Workers runtime the gateway uses, typed locally and structurally: the project
 * type-checks against Node's types, and pulling `@cloudflare/workers-types` into the same program
 * would clash with them. These shapes match the real platform objects, which satisfy them.
 */

/** A KV namespace binding (only the calls the job cache makes). */
export interface KvNamespaceLike {
  get(key: string, type: 'json'): Promise<unknown>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
}

/** A Cache API cache (`caches.default` or `await caches.open(name)`). */
export interface CacheLike {
  match(request: Request | string): Promise<Response | undefined>;
  put(request: Request | string, response: Response): Promise<void>;
}

/** Workers' `caches` global: the zone's `default` cache plus named ones. */
export interface CacheStorageLike {
  readonly default: CacheLike;
  open(name: string): Promise<CacheLike>;
}

/** A fetcher binding, such as the static-assets binding `ASSETS`. */
export interface FetcherLike {
  fetch(request: Request): Promise<Response>;
}

/**
 * What a deployment binds: `[vars]` (strings, or objects for TOML tables such as `VIDGATE_CONFIG`),
 * secrets, the optional `JOB_CACHE` KV namespace, and `ASSETS` (wrangler.toml `[assets]`, the
 * reference page's script). Nothing is required beyond what `loadConfig` asks for.
 */
export type WorkerBindings = Record<string, unknown> & { JOB_CACHE?: KvNamespaceLike; ASSETS?: FetcherLike };

/** Workers' `caches`, or `undefined` where the runtime has none (or only the browser-style one). */
export function platformCaches(scope: object = globalThis): CacheStorageLike | undefined {
  const caches = (scope as { caches?: Partial<CacheStorageLike> }).caches;
  return caches?.default && typeof caches.open === 'function' ? (caches as CacheStorageLike) : undefined;
}

/** The KV binding, if one is bound under `JOB_CACHE` and looks like KV (a stray `[vars]` string does not). */
export function jobCacheNamespace(env: WorkerBindings): KvNamespaceLike | undefined {
  const binding = env.JOB_CACHE as Partial<KvNamespaceLike> | undefined;
  return typeof binding?.get === 'function' && typeof binding.put === 'function' ? (binding as KvNamespaceLike) : undefined;
}

/** The static-assets binding, if one is bound under `ASSETS` and can fetch. */
export function assetsFetcher(env: WorkerBindings): FetcherLike | undefined {
  const binding = env.ASSETS as Partial<FetcherLike> | undefined;
  return typeof binding?.fetch === 'function' ? (binding as FetcherLike) : undefined;
}
