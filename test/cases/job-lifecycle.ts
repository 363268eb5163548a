/** Shared cases: jobs from create to a terminal state, on both providers, and the terminal cache. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { HarnessGetter } from './harness.ts';
import { callsOf, create, poll, pollUntilTerminal, resetEmulators } from './steps.ts';

export function jobLifecycleCases(harness: HarnessGetter): void {
  beforeEach(() => resetEmulators(harness()));

  describe('X-Request-Id', () => {
    it('is on every kind of answer, once, and the error envelope names the same id', async () => {
      const created = await create(harness(), { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' });
      const answers = {
        created,
        polled: await poll(harness(), created.body.id),
        listed: await harness().request('GET', '/v1/jobs?limit=1'),
        video: await harness().request('GET', `/v1/videos/${created.body.id}`),
        videos: await harness().request('GET', '/v1/videos?limit=1'),
        models: await harness().request('GET', '/v1/models'),
        health: await harness().request('GET', '/healthz'),
        unknownJob: await poll(harness(), 'job_doesnotexist'),
        unauthorized: await harness().request('GET', '/v1/jobs', { headers: { authorization: '' } }),
        invalid: await create(harness(), { model: 'krea/kling/kling-2.5' }),
      };
      const ids = Object.entries(answers).map(([name, answer]) => [name, answer.headers.get('x-request-id')]);
      for (const [name, id] of ids) expect(id, name!).toMatch(/^req_[0-9a-f]{32}$/);
      expect(new Set(ids.map(([, id]) => id)).size).toBe(ids.length);
      for (const name of ['unknownJob', 'unauthorized', 'invalid'] as const) expect(answers[name].body.error.request_id, name).toBe(answers[name].headers.get('x-request-id'));
    });
  });

  describe('a Krea job', () => {
    it('is created with 202, a Location header and the normalized job', async () => {
      const created = await create(harness(), { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse at dusk', duration: 10, aspect_ratio: '9:16', metadata: { user: 'u1' } });
      expect(created.status).toBe(202);
      expect(created.headers.get('location')).toBe(`/v1/jobs/${created.body.id}`);
      expect(created.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
      expect(created.body).toMatchObject({
        object: 'job',
        status: 'queued',
        model: 'krea/kling/kling-2.5',
        provider: 'krea',
        provider_model: 'kling/kling-2.5',
        videos: [],
        error: null,
        metadata: { user: 'u1' },
        input: { prompt: 'a lighthouse at dusk', duration: 10, aspect_ratio: '9:16', mode: 'pro' },
      });
      expect(created.body.id).toMatch(/^job_[A-Za-z0-9_-]+$/);
      const [sent] = callsOf(harness(), 'krea', 'create');
      expect(sent).toMatchObject({ url: '/generate/video/kling/kling-2.5', authorized: true });
    });

    it('is polled through its statuses to a completed video that can be downloaded', async () => {
      const created = await create(harness(), { model: 'krea/google/veo-3.1', prompt: 'rain on neon', resolution: '4K', generate_audio: true });
      const seen = new Set<string>();
      let job = created.body;
      for (let i = 0; i < 20 && job.status !== 'completed'; i++) {
        job = (await poll(harness(), created.body.id)).body;
        seen.add(job.status);
      }
      expect(seen).toContain('in_progress');
      expect(job).toMatchObject({ status: 'completed', progress: 100, error: null, input: { resolution: '4k', generate_audio: true } });
      expect(job.completed_at).toEqual(expect.any(String));
      expect(job.videos).toHaveLength(1);
      const video = await harness().download(job.videos[0].url);
      expect(video.headers.get('content-type')).toBe('video/mp4');
      expect(new TextDecoder().decode(new Uint8Array(await video.arrayBuffer()).slice(4, 8))).toBe('ftyp');
    });

    it('reports a failed job with the reason Krea gave', async () => {
      const created = await create(harness(), { model: 'krea/kling/kling-2.5', prompt: 'a cat [fail]' });
      const job = (await pollUntilTerminal(harness(), created.body.id)).body;
      expect(job).toMatchObject({ status: 'failed', videos: [], error: { code: 'generation_failed', provider_status: 'failed', provider_message: expect.any(String) } });
    });

    it('answers a finished job from the cache without calling Krea again', async () => {
      const created = await create(harness(), { model: 'krea/kling/kling-2.5', prompt: 'a cat' });
      const done = await pollUntilTerminal(harness(), created.body.id);
      expect(done.body.status).toBe('completed');
      const pollsBefore = callsOf(harness(), 'krea', 'poll').length;
      for (let i = 0; i < 3; i++) {
        const again = await poll(harness(), created.body.id);
        expect(again.status).toBe(200);
        expect(again.body).toEqual(done.body);
      }
      expect(callsOf(harness(), 'krea', 'poll')).toHaveLength(pollsBefore);
    });
  });

  describe('an AI/ML API Wan 14B job', () => {
    it('turns 5 s into 78 frames (4.875 s), says so in a warning, and completes', async () => {
      const created = await create(harness(), { model: 'aimlapi/krea/krea-wan-14b/text-to-video', prompt: 'a dragon', duration: 5, seed: 42 });
      expect(created.status).toBe(202);
      expect(created.body.input.duration).toBe(4.875);
      expect(created.body.warnings).toEqual([expect.objectContaining({ code: 'duration_adjusted', field: 'duration', requested: 5, applied: 4.875 })]);
      const [sent] = callsOf(harness(), 'aimlapi', 'create');
      expect(sent!.body).toMatchObject({ model: 'krea/krea-wan-14b/text-to-video', prompt: 'a dragon', num_frames: 78, seed: 42 });
      const job = (await pollUntilTerminal(harness(), created.body.id)).body;
      expect(job).toMatchObject({ status: 'completed', videos: [expect.objectContaining({ url: expect.any(String) })] });
      // The provider's file (behind the gateway's link when there is an output store).
      expect(job.videos[0].provider_url ?? job.videos[0].url).toMatch(/\.mp4$/);
      expect(job.warnings).toEqual(created.body.warnings);
    });

    it('reports a failed generation', async () => {
      const created = await create(harness(), { model: 'aimlapi/klingai/v2.5-turbo/pro/text-to-video', prompt: 'x [fail]' });
      const job = (await pollUntilTerminal(harness(), created.body.id)).body;
      expect(job).toMatchObject({ status: 'failed', error: { code: 'generation_failed', provider_status: 'error' } });
    });

    it('answers a failed job from the cache without calling the AI/ML API again', async () => {
      const created = await create(harness(), { model: 'aimlapi/klingai/v2.5-turbo/pro/text-to-video', prompt: 'x [fail]' });
      const done = await pollUntilTerminal(harness(), created.body.id);
      const pollsBefore = callsOf(harness(), 'aimlapi', 'poll').length;
      expect((await poll(harness(), created.body.id)).body).toEqual(done.body);
      expect(callsOf(harness(), 'aimlapi', 'poll')).toHaveLength(pollsBefore);
    });
  });
}
