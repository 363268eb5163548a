/**
 * Terminal jobs never change, so once a poll sees one it is remembered and later polls are
 * answered without calling the provider. The cache is optional and per-runtime: an in-memory LRU
 * on Node, the Cache API or KV on Workers (issue #5). A miss only costs one provider call.
 */
import type { Job } from '../schemas/job.ts';

export interface JobCache {
  get(id: string): Promise<Job | undefined>;
  set(id: string, job: Job): Promise<void>;
}

/** A bounded least-recently-used cache (Map keeps insertion order; re-inserting refreshes it). */
export function memoryJobCache(maxEntries = 10_000): JobCache {
  const entries = new Map<string, Job>();
  return {
    async get(id) {
      const job = entries.get(id);
      if (job) {
        entries.delete(id);
        entries.set(id, job);
      }
      return job;
    },
    async set(id, job) {
      entries.delete(id);
      entries.set(id, job);
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
  };
}
