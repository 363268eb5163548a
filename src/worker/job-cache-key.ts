/**
 * Cache keys for finished jobs. Job ids run to 1,000+ characters (KV keys stop at 512 bytes) and
 * are capabilities, so stores see a SHA-256 of the id instead of the id itself. The version
 * segment lets a change to the job's shape start from an empty cache instead of serving old shapes.
 */
import type { Job } from '../schemas/job.ts';

const encoder = new TextEncoder();
const JOB_CACHE_VERSION = 'v1';

/** `job-cache/v1/<64 hex digits>` for a job id. */
export async function jobCacheKey(id: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(id)));
  return `job-cache/${JOB_CACHE_VERSION}/${Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/** A stored value, accepted only if it is a job object for exactly this id. */
export function storedJob(id: string, value: unknown): Job | undefined {
  const job = value as Partial<Job> | null;
  return typeof job === 'object' && job !== null && job.object === 'job' && job.id === id ? (job as Job) : undefined;
}
