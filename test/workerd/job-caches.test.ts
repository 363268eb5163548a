/** The Workers job stores on the real runtime APIs (Cache API, KV), below the gateway. */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/schemas/job.ts';
import type { CacheLike, CacheStorageLike, KvNamespaceLike } from '../../src/worker/bindings.ts';
import { cacheApiJobCache } from '../../src/worker/cache-api-job-cache.ts';
import { jobCacheKey } from '../../src/worker/job-cache-key.ts';
import { kvJobCache } from '../../src/worker/kv-job-cache.ts';
import { layeredJobCache } from '../../src/worker/layered-job-cache.ts';
import { memoryJobCache } from '../../src/jobs/job-cache.ts';

const caches = (globalThis as unknown as { caches: CacheStorageLike }).caches;
const kv = env.TEST_KV as KvNamespaceLike;

function job(id: string): Job {
  return { id, object: 'job', status: 'completed' } as Job;
}

describe('the Cache API store', () => {
  it('keeps a job for a day under a URL that does not contain the job id', async () => {
    const cache: CacheLike = await caches.open('job-caches-test');
    const store = cacheApiJobCache(async () => cache, { origin: 'https://vidgate.test', ttlSeconds: 86_400 });
    await store.set('job_abc', job('job_abc'));
    expect(await store.get('job_abc')).toEqual(job('job_abc'));
    const entry = await cache.match(`https://vidgate.test/__vidgate/${await jobCacheKey('job_abc')}`);
    expect(entry?.headers.get('cache-control')).toBe('max-age=86400');
    expect(await store.get('job_other')).toBeUndefined();
  });
});

describe('the KV store', () => {
  it('never answers with a stored value that is not the job asked for', async () => {
    const store = kvJobCache(kv, { ttlSeconds: 86_400 });
    await kv.put(await jobCacheKey('job_1'), JSON.stringify(job('job_2')));
    expect(await store.get('job_1')).toBeUndefined();
    await kv.put(await jobCacheKey('job_3'), '"not a job"');
    expect(await store.get('job_3')).toBeUndefined();
  });
});

describe('layers', () => {
  it('refill the faster layer when only a slower one has the job', async () => {
    const memory = memoryJobCache();
    const shared = kvJobCache(kv, { ttlSeconds: 60 });
    await shared.set('job_layered', job('job_layered'));
    const layered = layeredJobCache([memory, shared]);
    expect(await layered.get('job_layered')).toEqual(job('job_layered'));
    expect(await memory.get('job_layered')).toEqual(job('job_layered'));
  });
});
