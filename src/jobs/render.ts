/** The public job object, read off the stored record: polls of a stored job do no other work. */
import type { LinkSigner } from '../outputs/links.ts';
import { renderVideos } from '../outputs/videos.ts';
import type { Job } from '../schemas/job.ts';
import type { JobRecord } from './store/job-store.ts';
import { usageOf } from '../pricing/usage.ts';

/** `links` signs gateway video links (a new expiry on every render); without it, videos show the provider's URLs. */
export function renderJob(record: JobRecord, links?: LinkSigner): Job {
  return {
    id: record.id,
    object: 'job',
    status: record.status,
    progress: publicProgress(record),
    model: record.model,
    provider: record.provider,
    provider_model: record.providerModel,
    created_at: new Date(record.createdAt).toISOString(),
    completed_at: record.completedAt === null ? null : new Date(record.completedAt).toISOString(),
    input: record.input,
    warnings: record.warnings,
    videos: record.status === 'completed' ? renderVideos(record.id, record.videos, links) : [],
    error: record.status === 'failed' ? record.error : null,
    metadata: record.metadata,
    usage: usageOf(record),
  };
}

/**
 * Whether a client could tell the two versions apart by status or progress: what counts as a change
 * for `job.updated` webhooks and event streams (stored progress a client never sees does not).
 */
export function visiblyChanged(previous: JobRecord, next: JobRecord): boolean {
  return previous.status !== next.status || publicProgress(previous) !== publicProgress(next);
}

function publicProgress(record: JobRecord): number | null {
  if (record.status === 'completed') return 100;
  if (record.status === 'queued') return 0;
  if (record.status === 'in_progress' && record.progress !== null) return Math.min(100, Math.max(0, record.progress));
  return null;
}
