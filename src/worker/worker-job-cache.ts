/**
 * Which store remembers finished jobs on Workers, chosen once per isolate from what is bound:
 *
 * - always a small in-memory LRU (per isolate), so repeated polls on a warm isolate are free;
 * - behind it, KV when a `JOB_CACHE` namespace is bound (global), otherwise the Cache API
 *   (per data center), otherwise nothing more.
 *
 * No binding is required: with none, the gateway behaves exactly as it does with an empty cache.
 */
import { memoryJobCache, type JobCache } from '../jobs/job-cache.ts';
import { silentLogger, type Logger } from '../logger.ts';
import { jobCacheNamespace, platformCaches, type WorkerBindings } from './bindings.ts';
import { cacheApiJobCache } from './cache-api-job-cache.ts';
import { kvJobCache } from './kv-job-cache.ts';
import { failSoftJobCache, layeredJobCache } from './layered-job-cache.ts';

export type JobCacheStore = 'kv' | 'cache-api' | 'memory';

export interface WorkerJobCacheOptions {
  /** Origin for Cache API keys (the Worker's own, from the request that started the isolate). */
  origin: string;
  /** Where to look for `caches`; tests pass an object without it. */
  scope?: object;
  log?: Logger;
}

/** How long KV or the Cache API remembers a finished job; after that, one poll asks the provider again. */
const JOB_CACHE_TTL_SECONDS = 24 * 60 * 60;
/** Isolates have 128 MB; a finished job is a few kB. */
const MEMORY_ENTRIES = 1_000;
const NAMED_CACHE = 'vidgate-jobs';

export function workerJobCache(env: WorkerBindings, options: WorkerJobCacheOptions): { cache: JobCache; store: JobCacheStore } {
  const memory = memoryJobCache(MEMORY_ENTRIES);
  const shared = sharedStore(env, options);
  if (!shared) return { cache: memory, store: 'memory' };
  return { cache: layeredJobCache([memory, failSoftJobCache(shared.cache, shared.store, options.log ?? silentLogger)]), store: shared.store };
}

function sharedStore(env: WorkerBindings, options: WorkerJobCacheOptions): { cache: JobCache; store: JobCacheStore } | undefined {
  const namespace = jobCacheNamespace(env);
  if (namespace) return { cache: kvJobCache(namespace, { ttlSeconds: JOB_CACHE_TTL_SECONDS }), store: 'kv' };
  const caches = platformCaches(options.scope);
  if (!caches) return undefined;
  return { cache: cacheApiJobCache(() => caches.open(NAMED_CACHE), { origin: options.origin, ttlSeconds: JOB_CACHE_TTL_SECONDS }), store: 'cache-api' };
}
