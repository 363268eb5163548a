/**
 * Cache plumbing for Workers: layers (isolate memory in front of a shared store) and failure
 * containment. A cache is an optimisation, so a store that throws (KV over its daily write quota,
 * a Cache API hiccup) is logged and treated as a miss; it never fails a poll.
 */
import type { JobCache } from '../jobs/job-cache.ts';
import type { Logger } from '../logger.ts';

/** Reads the layers in order, refilling the faster ones on a hit; writes go to every layer. */
export function layeredJobCache(layers: readonly JobCache[]): JobCache {
  return {
    async get(id) {
      for (const [index, layer] of layers.entries()) {
        const job = await layer.get(id);
        if (!job) continue;
        await Promise.all(layers.slice(0, index).map((faster) => faster.set(id, job)));
        return job;
      }
      return undefined;
    },
    async set(id, job) {
      await Promise.all(layers.map((layer) => layer.set(id, job)));
    },
  };
}

/** `cache`, with its errors logged as `job_cache_error` and swallowed. */
export function failSoftJobCache(cache: JobCache, store: string, log: Logger): JobCache {
  const report = (operation: string, error: unknown) => log('job_cache_error', { store, operation, message: String(error) });
  return {
    async get(id) {
      try {
        return await cache.get(id);
      } catch (error) {
        report('get', error);
        return undefined;
      }
    },
    async set(id, job) {
      try {
        await cache.set(id, job);
      } catch (error) {
        report('set', error);
      }
    },
  };
}
