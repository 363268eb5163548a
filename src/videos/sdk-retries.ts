/**
 * The `openai` SDK retries a create by itself (twice, after a timeout, a dropped connection, a
 * 408/409/429 or a 5xx), sends no `Idempotency-Key`, and marks each retry with
 * `X-Stainless-Retry-Count: n` (n ≥ 1). A retry whose first attempt reached the gateway must not
 * start a second billed job: so every create through `/v1/videos` records the digest of its fields,
 * and a marked retry with the same fields, from the same key, within the SDK's longest retry
 * window, is answered with that first attempt's job (or its failure) instead.
 * An unmarked request is always a new create, so two deliberate identical creates make two jobs.
 */
import type { JobRecord, JobStore } from '../jobs/store/job-store.ts';
import { videoExtraOf } from './render.ts';

/** The SDK's default timeout is 10 minutes and it backs off for seconds between attempts: 15 minutes covers both. */
export const RETRY_WINDOW_MS = 15 * 60_000;
/** How many of the caller's newest jobs are searched: a retry follows its first attempt within seconds to minutes. */
const RECENT_JOBS = 25;

/** Whether the request says it is an automatic retry of an earlier attempt. */
export function isSdkRetry(retryCountHeader: string | undefined): boolean {
  return retryCountHeader !== undefined && /^[1-9]\d{0,2}$/.test(retryCountHeader.trim());
}

/** The job the first attempt of this retried create made, if it reached the gateway. */
export async function findRetriedCreate(store: JobStore, owner: string, digest: string, now: number): Promise<JobRecord | undefined> {
  const recent = await store.list(owner, { limit: RECENT_JOBS });
  return recent.find((record) => now - record.createdAt <= RETRY_WINDOW_MS && videoExtraOf(record)?.request_digest === digest);
}
