/**
 * The driver's output work for a completed job (DESIGN §6 "Outputs"): copy each pending video
 * (a few at once), retry failed copies on `OUTPUT_COPY_RETRY_SCHEDULE_MS`, delete copies past
 * `OUTPUT_RETENTION_DAYS`, and let a held `job.completed` webhook go once the copies are done or
 * its wait is over. It runs under the job's lease, renewed while copies stream; every result is
 * written as it lands, so a restart mid-copy loses at most the copy in flight, which the next
 * holder of the lease starts again.
 */
import { keepLease, providerOf, updateJob, type LifecycleDeps, type OutputDeps } from '../jobs/lifecycle.ts';
import type { JobRecord, StoredVideo } from '../jobs/store/job-store.ts';
import { heldWebhookDeadline } from '../jobs/webhooks/events.ts';
import { providerUrlRules } from '../security/url-rules.ts';
import { copyVideo, CopyFailure } from './copy.ts';
import { outputKey } from './output-store.ts';
import { copyFieldsOf, type CopyFields } from './videos.ts';

/** Copies of one job streamed at once. */
const COPY_CONCURRENCY = 4;
/** Work that failed without a schedule of its own (a retention delete) is looked at again after this. */
const RECHECK_MS = 60_000;
const DAY_MS = 86_400_000;

export type OutputLifecycleDeps = LifecycleDeps & { outputs: OutputDeps };

/** When the job next has output work: a copy due, a held webhook's deadline, a copy to expire; `null` for none. */
export function nextOutputWorkAt(deps: LifecycleDeps, record: JobRecord): number | null {
  if (!deps.outputs || record.status !== 'completed') return null;
  const retentionMs = deps.config.outputs.retentionDays === undefined ? undefined : deps.config.outputs.retentionDays * DAY_MS;
  const times: number[] = [];
  for (const stored of record.videos) {
    const video = copyFieldsOf(stored);
    if (video.storage === 'pending') times.push(video.next_copy_at ?? 0);
    if (video.storage === 'stored' && retentionMs !== undefined) times.push((video.stored_at ?? 0) + retentionMs);
  }
  const held = heldWebhookDeadline(record, deps.config.outputs.webhookWaitMs);
  if (held !== undefined) times.push(held);
  return times.length === 0 ? null : Math.min(...times);
}

/** Does the job's due output work, then releases the lease with the job's next wake-up. Throws only store trouble. */
export async function driveOutputs(deps: OutputLifecycleDeps, leased: JobRecord): Promise<void> {
  const heartbeat = keepLease(deps, leased.id);
  const releaseHeld = scheduleHeldRelease(deps, leased);
  try {
    await expireCopies(deps, leased);
    const due = dueCopies(leased, deps.now());
    await inParallel(due, COPY_CONCURRENCY, (index) => copyOne(deps, leased, index));
  } finally {
    releaseHeld.cancel();
    await heartbeat.stop();
  }
  await updateJob(deps, leased.id, (current) => ({ ...current, nextPollAt: nextWakeUp(deps, current), leaseHolder: null, leaseUntil: 0 }));
}

function nextWakeUp(deps: LifecycleDeps, record: JobRecord): number | null {
  const next = nextOutputWorkAt(deps, record);
  return next === null ? null : Math.max(next, deps.now() + (next <= deps.now() ? RECHECK_MS : 0));
}

function dueCopies(record: JobRecord, now: number): number[] {
  return record.videos.flatMap((stored, index) => {
    const video = copyFieldsOf(stored);
    return video.storage === 'pending' && (video.next_copy_at ?? 0) <= now ? [index] : [];
  });
}

async function copyOne(deps: OutputLifecycleDeps, leased: JobRecord, index: number): Promise<void> {
  const video = copyFieldsOf(leased.videos[index]!);
  const key = outputKey(leased.id, index);
  const rules = providerUrlRules(deps.config.providers[providerOf(deps, leased).name]!.baseUrl, deps.config.allowedPrivateHosts);
  const started = deps.now();
  try {
    const copied = await copyVideo(deps.outputs, key, video.url, rules, { maxBytes: deps.config.outputs.maxBytes });
    const fields: CopyFields = { storage: 'stored', bytes: copied.bytes, sha256: copied.sha256, stored_at: deps.now() };
    const written = await updateJob(deps, leased.id, (current) => withVideo(current, index, { ...fields, content_type: copied.contentType }));
    deps.log('output_stored', { job_id: leased.id, index, bytes: copied.bytes, ms: deps.now() - started });
    deps.metrics.outputCopy('stored');
    // Deleted while the copy streamed: the copy must not outlive its job.
    if (!written) await deps.outputs.store.delete(key);
  } catch (error) {
    await recordFailedCopy(deps, leased.id, index, video.copy_attempts ?? 0, error);
  }
}

/** A failed copy: tried again on the schedule, or `failed` for good when final or out of retries. */
async function recordFailedCopy(deps: OutputLifecycleDeps, id: string, index: number, attemptsBefore: number, error: unknown): Promise<void> {
  const failure = error instanceof CopyFailure ? error : new CopyFailure(error instanceof Error ? error.message : String(error), false);
  const attempts = attemptsBefore + 1;
  const wait = deps.config.outputs.copyRetryScheduleMs[attempts - 1];
  const final = failure.final || wait === undefined;
  deps.log('output_copy_failed', { job_id: id, index, attempt: attempts, final, message: failure.message });
  deps.metrics.outputCopy('failed');
  const fields: CopyFields = final
    ? { storage: 'failed', storage_error: failure.message, copy_attempts: attempts, next_copy_at: undefined }
    : { copy_attempts: attempts, next_copy_at: deps.now() + wait! };
  await updateJob(deps, id, (current) => withVideo(current, index, { ...fields, last_copy_error: failure.message }));
}

/** Deletes copies older than the retention period; their videos become `expired`. */
async function expireCopies(deps: OutputLifecycleDeps, leased: JobRecord): Promise<void> {
  const days = deps.config.outputs.retentionDays;
  if (days === undefined) return;
  const cutoff = deps.now() - days * DAY_MS;
  for (const [index, stored] of leased.videos.entries()) {
    const video = copyFieldsOf(stored);
    if (video.storage !== 'stored' || (video.stored_at ?? 0) > cutoff) continue;
    try {
      await deps.outputs.store.delete(outputKey(leased.id, index));
    } catch (error) {
      deps.log('output_expiry_failed', { job_id: leased.id, index, message: error instanceof Error ? error.message : String(error) });
      continue;
    }
    await updateJob(deps, leased.id, (current) => withVideo(current, index, { storage: 'expired' }));
    deps.log('output_expired', { job_id: leased.id, index });
  }
}

/**
 * A held `job.completed` goes out at its deadline even while a copy is still streaming: a write at
 * that moment lets the webhook step see the wait is over.
 */
function scheduleHeldRelease(deps: LifecycleDeps, leased: JobRecord): { cancel(): void } {
  const deadline = heldWebhookDeadline(leased, deps.config.outputs.webhookWaitMs);
  if (deadline === undefined) return { cancel() {} };
  const timer = setTimeout(() => {
    void updateJob(deps, leased.id, (current) => ({ ...current, updatedAt: Math.max(current.updatedAt, deps.now()) })).catch(() => undefined);
  }, Math.max(0, deadline - deps.now()));
  return { cancel: () => clearTimeout(timer) };
}

/** The job with one video's copy fields changed (`undefined` removes a field). */
function withVideo(record: JobRecord, index: number, fields: Record<string, unknown>): JobRecord {
  const videos = record.videos.map((video, i) => (i === index ? merged(video, fields) : video));
  return { ...record, videos };
}

function merged(video: StoredVideo, fields: Record<string, unknown>): StoredVideo {
  const next: Record<string, unknown> = { ...video, ...fields };
  for (const [key, value] of Object.entries(next)) if (value === undefined) delete next[key];
  return next as StoredVideo;
}

/** Runs `work` on every item, at most `limit` at a time. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
