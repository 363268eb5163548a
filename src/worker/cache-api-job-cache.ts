/**
 * Finished jobs in the Workers Cache API. Entries live in one data center (they do not replicate),
 * expire after `ttlSeconds`, and are kept in a named cache so they never mix with the zone's CDN
 * content. Cloudflare makes the Cache API a no-op on `*.workers.dev` and behind Access: there,
 * every lookup misses and polls simply go to the provider, as they would with no cache at all.
 */
import type { JobCache } from '../jobs/job-cache.ts';
import type { CacheLike } from './bindings.ts';
import { jobCacheKey, storedJob } from './job-cache-key.ts';

export interface CacheApiJobCacheOptions {
  /** Origin of the synthetic cache-key URLs; Cloudflare advises the Worker's own hostname. */
  origin: string;
  ttlSeconds: number;
}

/**
 * `openCache` runs per operation (opening a cache is local and cheap): a Cache object or pending
 * promise kept across requests could tie one request's I/O to another's context on Workers.
 */
export function cacheApiJobCache(openCache: () => Promise<CacheLike>, options: CacheApiJobCacheOptions): JobCache {
  const url = async (id: string) => `${options.origin}/__vidgate/${await jobCacheKey(id)}`;
  return {
    async get(id) {
      const response = await (await openCache()).match(await url(id));
      return response ? storedJob(id, await response.json()) : undefined;
    },
    async set(id, job) {
      const response = new Response(JSON.stringify(job), {
        headers: { 'content-type': 'application/json', 'cache-control': `max-age=${options.ttlSeconds}` },
      });
      await (await openCache()).put(await url(id), response);
    },
  };
}
