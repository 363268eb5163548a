/**
 * Finished jobs in Workers KV: global, so a job finished in one data center is not re-fetched from
 * the provider in another. KV is eventually consistent (a new entry can take about a minute to be
 * seen everywhere), which only costs a provider call; entries expire after `ttlSeconds`.
 */
import type { JobCache } from '../jobs/job-cache.ts';
import type { KvNamespaceLike } from './bindings.ts';
import { jobCacheKey, storedJob } from './job-cache-key.ts';

/** KV refuses expirations shorter than a minute. */
const MIN_KV_TTL_SECONDS = 60;

export function kvJobCache(namespace: KvNamespaceLike, options: { ttlSeconds: number }): JobCache {
  return {
    async get(id) {
      return storedJob(id, await namespace.get(await jobCacheKey(id), 'json'));
    },
    async set(id, job) {
      await namespace.put(await jobCacheKey(id), JSON.stringify(job), { expirationTtl: Math.max(MIN_KV_TTL_SECONDS, options.ttlSeconds) });
    },
  };
}
