/** Plausible job records for the store's own figures. */
import type { JobRecord } from '../src/jobs/store/job-store.ts';

export function storeRecord(index: number): JobRecord {
  const now = Date.parse('2026-12-01T10:00:00Z') + index;
  return {
    id: `job_bench${index.toString(36).padStart(22, '0')}`,
    owner: 'a'.repeat(64),
    model: 'kling-2.5',
    provider: 'krea',
    providerModel: 'kling/kling-2.5',
    operation: { job_id: `0f6c2a9e-1b7d-4c1e-9a52-${index.toString(16).padStart(12, '0')}` },
    status: 'queued',
    rawStatus: 'queued',
    progress: 0,
    input: { prompt: 'a lighthouse at dusk, slow dolly-in, golden hour', duration: 5, aspect_ratio: '16:9', mode: 'pro' },
    warnings: [],
    metadata: { order: String(index) },
    videos: [],
    error: null,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
    observedAt: now,
    nextPollAt: now + 5_000,
    pollIntervalMs: 5_000,
    leaseHolder: null,
    leaseUntil: 0,
    version: 1,
    extra: {},
  };
}
