/** The public job object, read off the stored record: polls of a stored job do no other work. */
import type { Job } from '../schemas/job.ts';
import type { JobRecord } from './store/job-store.ts';

export function renderJob(record: JobRecord): Job {
  return {
    id: record.id,
    object: 'job',
    status: record.status,
    progress: progressOf(record),
    model: record.model,
    provider: record.provider,
    provider_model: record.providerModel,
    created_at: new Date(record.createdAt).toISOString(),
    completed_at: record.completedAt === null ? null : new Date(record.completedAt).toISOString(),
    input: record.input,
    warnings: record.warnings,
    videos: record.status === 'completed' ? record.videos : [],
    error: record.status === 'failed' ? record.error : null,
    metadata: record.metadata,
  };
}

function progressOf(record: JobRecord): number | null {
  if (record.status === 'completed') return 100;
  if (record.status === 'queued') return 0;
  if (record.status === 'in_progress' && record.progress !== null) return Math.min(100, Math.max(0, record.progress));
  return null;
}
