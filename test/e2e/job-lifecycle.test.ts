import { describe, expect, it } from 'vitest';
import { callsOf, useStack } from '../support/stack.ts';

const stack = useStack();

describe('a Krea job', () => {
  it('is created with 202, a Location header and the normalized job', async () => {
    const created = await stack.create({ model: 'krea/kling/kling-2.5', prompt: 'a lighthouse at dusk', duration: 10, aspect_ratio: '9:16', metadata: { user: 'u1' } });
    expect(created.status).toBe(202);
    expect(created.headers.get('location')).toBe(`/v1/jobs/${created.body.id}`);
    expect(created.body).toMatchObject({
      object: 'job',
      status: 'queued',
      model: 'krea/kling/kling-2.5',
      provider: 'krea',
      provider_model: 'kling/kling-2.5',
      completed_at: null,
      videos: [],
      error: null,
      metadata: { user: 'u1' },
      input: { prompt: 'a lighthouse at dusk', duration: 10, aspect_ratio: '9:16', mode: 'pro' },
    });
    expect(created.body.id).toMatch(/^job_[A-Za-z0-9_-]+$/);
  });

  it('sends Krea only the fields the route accepts, on the model route', async () => {
    await stack.create({ model: 'krea/kling/kling-2.5', prompt: 'a lighthouse', duration: 5 });
    const [create] = callsOf(stack.krea, 'create');
    expect(create!.url).toBe('/generate/video/kling/kling-2.5');
    expect(create!.body).toEqual({ prompt: 'a lighthouse', duration: 5, aspect_ratio: '16:9', mode: 'pro' });
  });

  it('is polled through every status to a completed video that can be downloaded', async () => {
    const created = await stack.create({ model: 'krea/google/veo-3.1', prompt: 'rain on neon', resolution: '4K', generate_audio: true });
    const seen = new Set<string>();
    let job = created.body;
    for (let i = 0; i < 20 && job.status !== 'completed'; i++) {
      job = (await stack.poll(created.body.id)).body;
      seen.add(job.status);
    }
    expect(seen).toContain('in_progress');
    expect(job).toMatchObject({ status: 'completed', progress: 100, error: null, input: { resolution: '4k', generate_audio: true } });
    expect(job.completed_at).toEqual(expect.any(String));
    expect(job.videos).toHaveLength(1);
    const video = await fetch(job.videos[0].url);
    expect(video.headers.get('content-type')).toBe('video/mp4');
    const bytes = new Uint8Array(await video.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(4, 8))).toBe('ftyp');
  });

  it('reports a failed job with the reason from either error location', async () => {
    for (const directive of ['[fail]', '[fail:result]']) {
      const created = await stack.create({ model: 'krea/kling/kling-2.5', prompt: `a cat ${directive}` });
      const job = (await stack.pollUntilTerminal(created.body.id)).body;
      expect(job.status).toBe('failed');
      expect(job.videos).toEqual([]);
      expect(job.error).toMatchObject({ code: 'generation_failed', provider_status: 'failed', provider_message: expect.any(String) });
    }
  });

  it('reports a cancelled job as cancelled', async () => {
    const created = await stack.create({ model: 'krea/kling/kling-2.5', prompt: 'a cat [cancel]' });
    const job = (await stack.pollUntilTerminal(created.body.id)).body;
    expect(job).toMatchObject({ status: 'cancelled', error: null, videos: [] });
  });

  it('surfaces a status Krea has not documented as an error instead of guessing', async () => {
    const created = await stack.create({ model: 'krea/kling/kling-2.5', prompt: 'a cat [unknown-status]' });
    const answer = await stack.pollUntilTerminal(created.body.id);
    expect(answer.status).toBe(502);
    expect(answer.body.error).toMatchObject({ code: 'provider_unknown_status', provider: 'krea' });
  });

  it('answers a terminal job without calling the provider again', async () => {
    const created = await stack.create({ model: 'krea/kling/kling-2.5', prompt: 'a cat' });
    const done = await stack.pollUntilTerminal(created.body.id);
    const pollsBefore = callsOf(stack.krea, 'poll').length;
    const again = await stack.poll(created.body.id);
    expect(again.body).toEqual(done.body);
    expect(callsOf(stack.krea, 'poll')).toHaveLength(pollsBefore);
  });
});

describe('an AI/ML API Wan 14B job', () => {
  it('converts seconds to frames, warns about the applied length, and completes', async () => {
    const created = await stack.create({ model: 'aimlapi/krea/krea-wan-14b/text-to-video', prompt: 'a dragon', duration: 5, seed: 42 });
    expect(created.status).toBe(202);
    expect(created.body.input.duration).toBe(4.875);
    expect(created.body.warnings).toEqual([
      expect.objectContaining({ code: 'duration_adjusted', field: 'duration', requested: 5, applied: 4.875 }),
    ]);
    const [create] = callsOf(stack.aimlapi, 'create');
    expect(create!.body).toMatchObject({ model: 'krea/krea-wan-14b/text-to-video', prompt: 'a dragon', num_frames: 78, seed: 42 });
    const job = (await stack.pollUntilTerminal(created.body.id)).body;
    expect(job).toMatchObject({ status: 'completed', videos: [expect.objectContaining({ url: expect.stringMatching(/\.mp4$/) })] });
    expect(job.warnings).toEqual(created.body.warnings);
  });

  it('polls with the opaque generation id encoded in the query', async () => {
    const created = await stack.create({ model: 'aimlapi/krea/krea-wan-14b/text-to-video', prompt: 'a dragon' });
    await stack.poll(created.body.id);
    const [poll] = callsOf(stack.aimlapi, 'poll');
    expect(poll!.url).toMatch(/^\/v2\/video\/generations\?generation_id=[0-9a-f-]+%3Akrea%2Fkrea-wan-14b%2Ftext-to-video$/);
  });

  it('sends a Kling image-to-video first frame as image_url', async () => {
    const created = await stack.create({ model: 'aimlapi/klingai/v2.5-turbo/pro/image-to-video', prompt: 'wave', start_image: 'https://example.com/a.png', duration: 10 });
    expect(created.status).toBe(202);
    const [create] = callsOf(stack.aimlapi, 'create');
    expect(create!.body).toEqual({ model: 'klingai/v2.5-turbo/pro/image-to-video', prompt: 'wave', image_url: 'https://example.com/a.png', duration: 10 });
  });

  it('reports a failed generation', async () => {
    const created = await stack.create({ model: 'aimlapi/klingai/v2.5-turbo/pro/text-to-video', prompt: 'x [fail]' });
    const job = (await stack.pollUntilTerminal(created.body.id)).body;
    expect(job).toMatchObject({ status: 'failed', error: { code: 'generation_failed', provider_status: 'error' } });
  });
});

describe('GET /v1/models', () => {
  it('lists every Krea video route and the AI/ML API models with capabilities', async () => {
    const { body } = await stack.request('GET', '/v1/models');
    const ids = body.data.map((model: { id: string }) => model.id);
    expect(ids.filter((id: string) => id.startsWith('krea/'))).toHaveLength(31);
    expect(ids).toContain('aimlapi/krea/krea-wan-14b/text-to-video');
    const wan = body.data.find((model: { id: string }) => model.id === 'aimlapi/krea/krea-wan-14b/text-to-video');
    expect(wan.capabilities.duration).toMatchObject({ kind: 'frames', fps: 16, step: 12, offset: 6, min_frames: 18, max_frames: 162 });
    expect(body.providers).toEqual([
      { name: 'krea', title: 'Krea', configured: true, enabled: true },
      { name: 'aimlapi', title: 'AI/ML API', configured: true, enabled: true },
    ]);
  });
});
