import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors.ts';
import { createProviderContext } from '../../../src/upstream/provider-context.ts';
import { krea } from '../../../providers/krea/with-routes.ts';
import type { KreaWire } from '../../../providers/krea/catalog.ts';
import type { ModelDescriptor, ProviderContext, StartRequest, VideoInput } from '../../../providers/types.ts';

const BASE_URL = 'https://api.krea.test';
const API_KEY = 'krea-test-key';
const JOB_ID = '0f6c2a9e-1b7d-4c1e-9a52-5d0b8e3f7a11';
const CREATED = { job_id: JOB_ID, status: 'queued', created_at: '2026-03-02T09:15:00.000Z', completed_at: null, result: null };

function context(): ProviderContext {
  return createProviderContext({ provider: krea, apiKey: API_KEY, baseUrl: BASE_URL, sleep: () => Promise.resolve() });
}

function model(id: string): ModelDescriptor<KreaWire> {
  const found = krea.models.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no model ${id}`);
  return found;
}

function startRequest(id: string, input: VideoInput, options: Record<string, unknown> = {}): StartRequest<KreaWire> {
  return { model: model(id), input, options };
}

/** Expects one create on `path`, answers `reply`, and hands back the JSON body Krea received. */
function expectCreate(path: string, reply: unknown = CREATED) {
  const received: { body?: unknown } = {};
  const scope = nock(BASE_URL)
    .post(path, (body) => {
      received.body = body;
      return true;
    })
    .matchHeader('authorization', `Bearer ${API_KEY}`)
    .matchHeader('content-type', 'application/json')
    .reply(200, reply as nock.Body);
  return { scope, received };
}

function expectPoll(job: Record<string, unknown>, jobId = JOB_ID) {
  return nock(BASE_URL)
    .get(`/jobs/${encodeURIComponent(jobId)}`)
    .matchHeader('authorization', `Bearer ${API_KEY}`)
    .reply(200, { job_id: jobId, created_at: '2026-03-02T09:15:00.000Z', ...job });
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('Krea adapter: start', () => {
  it('posts kling/kling-2.5 with exactly the fields the route has and returns the job handle', async () => {
    const { scope, received } = expectCreate('/generate/video/kling/kling-2.5');
    const result = await krea.start(
      startRequest('kling/kling-2.5', {
        prompt: 'slow dolly-in on a lighthouse',
        duration: 10,
        aspect_ratio: '9:16',
        mode: 'pro',
        start_image: 'https://example.com/start.jpg',
        end_image: 'https://example.com/end.jpg',
      }),
      context(),
    );
    expect(scope.isDone()).toBe(true);
    expect(received.body).toEqual({
      prompt: 'slow dolly-in on a lighthouse',
      duration: 10,
      aspect_ratio: '9:16',
      mode: 'pro',
      start_image: 'https://example.com/start.jpg',
      end_image: 'https://example.com/end.jpg',
    });
    expect(result).toEqual({ operation: { job_id: JOB_ID }, state: { raw_status: 'queued' } });
  });

  it('spells 4k as Krea’s 4K and passes generate_audio and provider options on google/veo-3.1', async () => {
    const { received } = expectCreate('/generate/video/google/veo-3.1');
    await krea.start(
      startRequest(
        'google/veo-3.1',
        { prompt: 'rain on a neon street', duration: 8, aspect_ratio: '16:9', resolution: '4k', generate_audio: true },
        { reference_images: ['https://example.com/ref.png'] },
      ),
      context(),
    );
    expect(received.body).toEqual({
      prompt: 'rain on a neon street',
      duration: 8,
      aspect_ratio: '16:9',
      resolution: '4K',
      generate_audio: true,
      reference_images: ['https://example.com/ref.png'],
    });
  });

  it('sends runway/gen-4.5 aspect ratios as pixel ratios, with the seed', async () => {
    const { received } = expectCreate('/generate/video/runway/gen-4.5');
    await krea.start(startRequest('runway/gen-4.5', { prompt: 'a fox', duration: 5, aspect_ratio: '16:9', seed: 42 }), context());
    expect(received.body).toEqual({ prompt: 'a fox', duration: 5, aspect_ratio: '1280:720', seed: 42 });
  });

  it('sends the aspect ratio of runway/aleph as `ratio`, next to the required init_video', async () => {
    const { received } = expectCreate('/generate/video/runway/aleph');
    await krea.start(
      startRequest('runway/aleph', { prompt: 'make it snow', aspect_ratio: '1:1' }, { init_video: 'https://example.com/in.mp4' }),
      context(),
    );
    expect(received.body).toEqual({ prompt: 'make it snow', ratio: '960:960', init_video: 'https://example.com/in.mp4' });
  });

  it('sends enhance_prompt as expand_prompt on Hailuo and as enable_prompt_expansion on Wan 2.5', async () => {
    const hailuo = expectCreate('/generate/video/minimax/hailuo-2.3');
    await krea.start(
      startRequest('minimax/hailuo-2.3', { prompt: 'a paper boat', duration: 6, resolution: '768p', enhance_prompt: false }),
      context(),
    );
    expect(hailuo.received.body).toEqual({ prompt: 'a paper boat', duration: 6, resolution: '768p', expand_prompt: false });
    const wan = expectCreate('/generate/video/alibaba/wan-2.5');
    await krea.start(
      startRequest('alibaba/wan-2.5', { prompt: 'a fox in snow', duration: 7, resolution: '720p', seed: 1234, enhance_prompt: false, generate_audio: false }),
      context(),
    );
    expect(wan.received.body).toEqual({
      prompt: 'a fox in snow',
      duration: 7,
      resolution: '720p',
      seed: 1234,
      enable_prompt_expansion: false,
      generate_audio: false,
    });
  });

  it('never sends a field the route lacks, nor an undefined one', async () => {
    const { received } = expectCreate('/generate/video/minimax/hailuo-2.3');
    await krea.start(
      startRequest('minimax/hailuo-2.3', { prompt: 'a boat', aspect_ratio: '16:9', seed: 3, start_image: undefined }, { stray: 1, start_video: undefined }),
      context(),
    );
    expect(received.body).toEqual({ prompt: 'a boat' });
  });

  it('accepts a create answer with an empty result object and extra fields', async () => {
    expectCreate('/generate/video/kling/kling-2.5', { ...CREATED, status: 'backlogged', result: {}, type: 'video', estimated_time: '60-120 seconds' });
    const result = await krea.start(startRequest('kling/kling-2.5', { prompt: 'a cat' }), context());
    expect(result.state).toEqual({ raw_status: 'backlogged' });
  });

  it('turns a create answer without a job id into provider_bad_response', async () => {
    expectCreate('/generate/video/kling/kling-2.5', { status: 'queued' });
    const error = await krea.start(startRequest('kling/kling-2.5', { prompt: 'a cat' }), context()).catch((thrown) => thrown);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'provider_bad_response', provider: 'krea' });
  });
});

describe('Krea adapter: status', () => {
  it('reports a completed job with its video and completion time', async () => {
    const scope = expectPoll({
      status: 'completed',
      completed_at: '2026-03-02T09:17:12.000Z',
      result: { urls: ['https://gen.krea.ai/videos/out.mp4'] },
    });
    const state = await krea.status({ job_id: JOB_ID }, context());
    expect(scope.isDone()).toBe(true);
    expect(state).toEqual({
      raw_status: 'completed',
      videos: [{ url: 'https://gen.krea.ai/videos/out.mp4', content_type: 'video/mp4' }],
      completed_at: '2026-03-02T09:17:12.000Z',
    });
  });

  it('reports a failure explained in the top-level error', async () => {
    expectPoll({ status: 'failed', completed_at: '2026-03-02T09:15:40.000Z', result: {}, error: { code: 'nsfw', message: 'Prompt was flagged' } });
    expect(await krea.status({ job_id: JOB_ID }, context())).toEqual({
      raw_status: 'failed',
      error: { code: 'nsfw', message: 'Prompt was flagged' },
      completed_at: '2026-03-02T09:15:40.000Z',
    });
  });

  it('reports a failure explained only in result.error', async () => {
    expectPoll({ status: 'failed', result: { error: 'content moderation' } });
    expect(await krea.status({ job_id: JOB_ID }, context())).toEqual({ raw_status: 'failed', error: { message: 'content moderation' } });
  });

  it('reports progress when Krea gives it, scaling fractions and clamping to 0–100', async () => {
    const cases: [unknown, number | undefined][] = [[0.42, 42], [57, 57], [150, 100], [-3, 0], ['50', undefined], [undefined, undefined]];
    for (const [progress, expected] of cases) {
      expectPoll({ status: 'processing', result: {}, progress });
      const state = await krea.status({ job_id: JOB_ID }, context());
      expect(state.progress, String(progress)).toBe(expected);
      expect(state).not.toHaveProperty('videos');
    }
  });

  it.each(['backlogged', 'queued', 'scheduled', 'processing', 'sampling', 'intermediate-complete', 'completed', 'failed', 'cancelled'])(
    'passes status %s through as raw_status',
    async (status) => {
      expectPoll({ status, result: {} });
      expect((await krea.status({ job_id: JOB_ID }, context())).raw_status).toBe(status);
    },
  );

  it('reports intermediate result URLs as Krea gave them, without judging the status (core does)', async () => {
    expectPoll({ status: 'intermediate-complete', result: { urls: ['https://gen.krea.ai/preview.jpg'] } });
    expect(await krea.status({ job_id: JOB_ID }, context())).toEqual({
      raw_status: 'intermediate-complete',
      videos: [{ url: 'https://gen.krea.ai/preview.jpg', content_type: 'video/mp4' }],
    });
  });

  it('encodes the job id into the poll path', async () => {
    const scope = expectPoll({ status: 'queued', result: null }, 'odd/id?x');
    await krea.status({ job_id: 'odd/id?x' }, context());
    expect(scope.isDone()).toBe(true);
  });
});

describe('Krea errors through core', () => {
  async function failedCreate(status: number, body: unknown): Promise<GatewayError> {
    // Persisted: core may retry (a 429 on create is provably not a started job).
    nock(BASE_URL).post('/generate/video/kling/kling-2.5').reply(status, body as nock.Body).persist();
    return krea.start(startRequest('kling/kling-2.5', { prompt: 'a cat' }), context()).catch((thrown) => thrown);
  }

  it('surfaces a Krea 402 as provider_out_of_credits', async () => {
    const error = await failedCreate(402, { error: 'You have run out of credits' });
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'provider_out_of_credits', provider: 'krea' });
    expect(error.message).toContain('You have run out of credits');
  });

  it('surfaces a Krea 400 as provider_rejected_request with Krea’s message', async () => {
    const error = await failedCreate(400, { error: 'The request body is invalid' });
    expect(error).toMatchObject({ code: 'provider_rejected_request', provider: 'krea' });
    expect(error.message).toContain('The request body is invalid');
  });

  it('surfaces a Krea 401 as provider_auth_failed', async () => {
    expect(await failedCreate(401, { error: 'You are not authenticated' })).toMatchObject({ code: 'provider_auth_failed' });
  });

  it('surfaces a Krea 429 as provider_rate_limited', async () => {
    const error = await failedCreate(429, { error: 'You have reached the maximum number of concurrent jobs' });
    expect(error).toMatchObject({ code: 'provider_rate_limited', provider: 'krea' });
  });

  it('surfaces an unknown job on poll as provider_job_not_found', async () => {
    nock(BASE_URL).get(`/jobs/${JOB_ID}`).reply(404, { error: 'The job was not found or the client is not authorized to see it' });
    await expect(krea.status({ job_id: JOB_ID }, context())).rejects.toMatchObject({ code: 'provider_job_not_found' });
  });
});

describe('Krea provider definition', () => {
  it('names its environment, base URL and bearer auth', () => {
    expect(krea).toMatchObject({ name: 'krea', title: 'Krea', env: { apiKey: 'KREA_API_KEY', baseUrl: 'KREA_BASE_URL' }, defaultBaseUrl: 'https://api.krea.ai' });
    expect(krea.auth('k')).toEqual({ authorization: 'Bearer k' });
  });

  it('accepts only operations with a non-empty job id', () => {
    expect(krea.operation.safeParse({ job_id: JOB_ID }).success).toBe(true);
    expect(krea.operation.safeParse({ job_id: '' }).success).toBe(false);
    expect(krea.operation.safeParse('job').success).toBe(false);
  });
});
