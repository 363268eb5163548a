import { describe, expect, it } from 'vitest';
import type { JobClaims } from '../../../src/jobs/job-token.ts';
import { renderJob } from '../../../src/jobs/render.ts';

const claims: JobClaims = {
  v: 1,
  provider: 'krea',
  provider_model: 'kling/kling-2.5',
  operation: { job_id: 'j1' },
  model: 'kling-2.5',
  created_at: Date.parse('2026-12-01T10:00:00Z'),
  input: { prompt: 'a cat' },
  warnings: [],
  metadata: {},
};
const preview = { url: 'https://gen.krea.ai/preview.jpg', content_type: 'video/mp4' };

describe('rendering a job from what the provider reported', () => {
  it('shows videos only once the job is completed, so a preview is never taken for the result', () => {
    const running = renderJob('job_x', claims, { status: 'in_progress', state: { raw_status: 'intermediate-complete', videos: [preview] }, observedAt: 0 });
    expect(running.videos).toEqual([]);
    const done = renderJob('job_x', claims, { status: 'completed', state: { raw_status: 'completed', videos: [preview] }, observedAt: 0 });
    expect(done.videos).toEqual([preview]);
  });

  it('shows the provider’s error only on a failed job', () => {
    const state = { raw_status: 'completed', videos: [preview], error: { message: 'stale note' } };
    expect(renderJob('job_x', claims, { status: 'completed', state, observedAt: 0 }).error).toBeNull();
    const failed = renderJob('job_x', claims, { status: 'failed', state: { raw_status: 'failed', error: { code: 'nsfw', message: 'flagged' } }, observedAt: 0 });
    expect(failed.error).toEqual({ code: 'generation_failed', message: 'The provider failed the job: flagged', provider_status: 'failed', provider_code: 'nsfw', provider_message: 'flagged' });
  });
});
