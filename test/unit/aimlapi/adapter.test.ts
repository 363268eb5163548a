import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { aimlapi } from '../../../providers/aimlapi/index.ts';
import type { BodyMap } from '../../../providers/aimlapi/catalog.ts';
import type { ProviderContext, StartRequest, VideoInput } from '../../../providers/types.ts';
import { GatewayError } from '../../../src/errors.ts';
import { createProviderContext } from '../../../src/upstream/provider-context.ts';

const BASE_URL = 'https://api.aimlapi.com';
const PATH = '/v2/video/generations';
const WAN = 'krea/krea-wan-14b/text-to-video';
const KLING_T2V = 'klingai/v2.5-turbo/pro/text-to-video';
const KLING_I2V = 'klingai/v2.5-turbo/pro/image-to-video';
const GENERATION_ID = '7d3e1c52-9a0b-4f44-8c1e-2b6a5f0d9e77:krea/krea-wan-14b/text-to-video';

function context(requestId = 'req_01HZX.test:1-a'): ProviderContext {
  return createProviderContext({ provider: aimlapi, apiKey: 'sk-test-key', baseUrl: BASE_URL, requestId, sleep: () => Promise.resolve() });
}

function startRequest(modelId: string, input: Omit<VideoInput, 'prompt'> = {}, options: Record<string, unknown> = {}): StartRequest<BodyMap> {
  const model = aimlapi.models.find((candidate) => candidate.id === modelId)!;
  return { model, input: { prompt: 'a dragon circling a snowy peak', ...input }, options };
}

/** Intercepts one submit, remembering the body it carried. */
function expectSubmit(answer: object = { id: GENERATION_ID, status: 'queued' }) {
  const seen: { body?: unknown } = {};
  nock(BASE_URL)
    .post(PATH)
    .matchHeader('authorization', 'Bearer sk-test-key')
    .reply(200, async (request: Request) => {
      seen.body = await request.json();
      return answer;
    });
  return seen;
}

/** Intercepts one poll for `id`, answering `answer`, and remembers the raw path and query it was asked for. */
function expectPoll(id: string, answer: object) {
  const seen: { uri?: string } = {};
  nock(BASE_URL)
    .get(PATH)
    .query({ generation_id: id })
    .matchHeader('authorization', 'Bearer sk-test-key')
    .reply(200, (request: Request) => {
      const url = new URL(request.url);
      seen.uri = url.pathname + url.search;
      return answer;
    });
  return seen;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(() => nock.enableNetConnect());

describe('aimlapi adapter: start', () => {
  it('sends 5 s on krea-wan-14b, applied by core as 4.875 s, as num_frames 78', async () => {
    const seen = expectSubmit();
    const result = await aimlapi.start({ ...startRequest(WAN, { duration: 4.875, enhance_prompt: true, seed: 42 }), frames: 78 }, context());
    expect(seen.body).toStrictEqual({ model: WAN, prompt: 'a dragon circling a snowy peak', num_frames: 78, enable_prompt_expansion: true, seed: 42 });
    expect(result).toEqual({ operation: { generation_id: GENERATION_ID }, state: { raw_status: 'queued' } });
  });

  it('sends only model and prompt when no optional field is set', async () => {
    const seen = expectSubmit();
    await aimlapi.start(startRequest(WAN), context());
    expect(seen.body).toStrictEqual({ model: WAN, prompt: 'a dragon circling a snowy peak' });
  });

  it('sends Kling text-to-video with an integer duration, aspect ratio and the validated extras', async () => {
    const seen = expectSubmit({ id: 'abc:klingai/v2.5-turbo/pro/text-to-video', status: 'queued' });
    await aimlapi.start(
      startRequest(KLING_T2V, { duration: 10, aspect_ratio: '9:16' }, { negative_prompt: 'blur', cfg_scale: 0.5, provider: 'fal' }),
      context(),
    );
    expect(seen.body).toStrictEqual({
      model: KLING_T2V,
      prompt: 'a dragon circling a snowy peak',
      duration: 10,
      aspect_ratio: '9:16',
      negative_prompt: 'blur',
      cfg_scale: 0.5,
      provider: 'fal',
    });
  });

  it('sends the Kling image-to-video first frame as image_url', async () => {
    const seen = expectSubmit();
    await aimlapi.start(startRequest(KLING_I2V, { duration: 5, start_image: 'https://images.test/first.png' }), context());
    expect(seen.body).toStrictEqual({
      model: KLING_I2V,
      prompt: 'a dragon circling a snowy peak',
      duration: 5,
      image_url: 'https://images.test/first.png',
    });
  });

  it('passes the request id upstream as X-Client-Request-Id', async () => {
    nock(BASE_URL).post(PATH).matchHeader('x-client-request-id', 'req_01HZX.test:1-a').reply(200, { id: GENERATION_ID, status: 'queued' });
    await aimlapi.start(startRequest(WAN), context());
  });

  it.each(['has spaces', 'x'.repeat(129), 'slash/not-allowed'])('leaves out a request id the API would drop: %s', async (requestId) => {
    nock(BASE_URL, { badheaders: ['x-client-request-id'] }).post(PATH).reply(200, { id: GENERATION_ID, status: 'queued' });
    await aimlapi.start(startRequest(WAN), context(requestId));
  });

  it('reads the legacy generation_id field and an answer without a status', async () => {
    expectSubmit({ generation_id: 'legacy-42' });
    const result = await aimlapi.start(startRequest(WAN), context());
    expect(result).toEqual({ operation: { generation_id: 'legacy-42' } });
  });

  it('refuses a submit answer that carries no id as a bad provider response', async () => {
    expectSubmit({ status: 'queued' });
    const error = await aimlapi.start(startRequest(WAN), context()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'provider_bad_response', provider: 'aimlapi' });
  });

  it('refuses a field the model does not take instead of dropping it', async () => {
    await expect(aimlapi.start(startRequest(KLING_I2V, { aspect_ratio: '16:9' }), context())).rejects.toThrow(/takes no "aspect_ratio"/);
  });

  it('sends the frame count core validated rather than converting the seconds again', async () => {
    const seen = expectSubmit();
    await aimlapi.start({ ...startRequest(WAN, { duration: 5.625 }), frames: 90 }, context());
    expect(seen.body).toMatchObject({ num_frames: 90 });
  });
});

describe('aimlapi adapter: upstream errors', () => {
  it('surfaces 403 as the provider being out of credits', async () => {
    nock(BASE_URL)
      .post(PATH)
      .reply(403, { message: "You've run out of credits", path: PATH, requestId: 'r1', statusCode: 403, timestamp: '2026-08-21T10:00:00Z' });
    const error = await aimlapi.start(startRequest(WAN), context()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'provider_out_of_credits', provider: 'aimlapi' });
  });

  it('surfaces a 400 body validation error as a rejected request with the provider’s words', async () => {
    nock(BASE_URL)
      .post(PATH)
      .reply(400, { message: "Body validation error! Invalid enum value. Expected 5 | 10, received '7'", path: PATH, requestId: 'r2', statusCode: 400, timestamp: '2026-08-21T10:00:00Z' });
    const error = await aimlapi.start(startRequest(KLING_T2V, { duration: 5 }), context()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'provider_rejected_request', provider: 'aimlapi' });
    expect((error as Error).message).toContain('Body validation error!');
  });

  it('surfaces 401 as the gateway’s provider key failing', async () => {
    nock(BASE_URL).post(PATH).reply(401, { message: 'This request requires a valid API key', statusCode: 401 });
    await expect(aimlapi.start(startRequest(WAN), context())).rejects.toMatchObject({ code: 'provider_auth_failed' });
  });

  it('surfaces a 404 on poll as the provider no longer knowing the job', async () => {
    nock(BASE_URL).get(PATH).query({ generation_id: GENERATION_ID }).reply(404, { message: 'Not found', statusCode: 404 });
    await expect(aimlapi.status({ generation_id: GENERATION_ID }, context())).rejects.toMatchObject({ code: 'provider_job_not_found' });
  });
});

describe('aimlapi adapter: status', () => {
  it('polls with the generation id percent-encoded, and the id arrives unchanged', async () => {
    const seen = expectPoll(GENERATION_ID, { id: GENERATION_ID, status: 'queued', video: null, error: null });
    await aimlapi.status({ generation_id: GENERATION_ID }, context());
    expect(seen.uri).toBe(`${PATH}?generation_id=7d3e1c52-9a0b-4f44-8c1e-2b6a5f0d9e77%3Akrea%2Fkrea-wan-14b%2Ftext-to-video`);
    expect(new URL(seen.uri!, BASE_URL).searchParams.get('generation_id')).toBe(GENERATION_ID);
  });

  it('reports queued as is, without progress', async () => {
    expectPoll(GENERATION_ID, { id: GENERATION_ID, status: 'queued', video: null, error: null, meta: null });
    expect(await aimlapi.status({ generation_id: GENERATION_ID }, context())).toStrictEqual({ raw_status: 'queued' });
  });

  it('reports generating as is', async () => {
    expectPoll(GENERATION_ID, { id: GENERATION_ID, status: 'generating', video: null, error: null });
    expect(await aimlapi.status({ generation_id: GENERATION_ID }, context())).toStrictEqual({ raw_status: 'generating' });
  });

  it('reports a completed generation with its video URL', async () => {
    expectPoll(GENERATION_ID, {
      id: GENERATION_ID,
      status: 'completed',
      video: { url: 'https://cdn.aimlapi.com/generations/example/clip.mp4' },
      error: null,
      meta: { usage: { credits_used: 98000, usd_spent: 0.049 } },
    });
    expect(await aimlapi.status({ generation_id: GENERATION_ID }, context())).toStrictEqual({
      raw_status: 'completed',
      videos: [{ url: 'https://cdn.aimlapi.com/generations/example/clip.mp4', content_type: 'video/mp4' }],
      usage: { units: 98000, usd: 0.049 },
    });
  });

  it('reports a failure in the schema’s {name, message} shape', async () => {
    expectPoll(GENERATION_ID, { id: GENERATION_ID, status: 'error', video: null, error: { name: 'ProviderError', message: 'Generation failed upstream' } });
    expect(await aimlapi.status({ generation_id: GENERATION_ID }, context())).toStrictEqual({
      raw_status: 'error',
      error: { code: 'ProviderError', message: 'Generation failed upstream' },
    });
  });

  it('reports a failure in the documented {detail: [...]} shape', async () => {
    const detail = [{ loc: ['body', 'image_url'], msg: 'Could not detect face in the image', type: 'face_detection_error', input: 'https://images.test/a.png' }];
    expectPoll(GENERATION_ID, { id: GENERATION_ID, status: 'error', video: null, error: { detail } });
    expect(await aimlapi.status({ generation_id: GENERATION_ID }, context())).toStrictEqual({
      raw_status: 'error',
      error: { code: 'face_detection_error', message: 'body.image_url: Could not detect face in the image' },
    });
  });

  it('passes an undocumented status through for core to report', async () => {
    expectPoll(GENERATION_ID, { id: GENERATION_ID, status: 'paused' });
    expect(await aimlapi.status({ generation_id: GENERATION_ID }, context())).toStrictEqual({ raw_status: 'paused' });
  });

  it('refuses a poll answer without a status as a bad provider response', async () => {
    expectPoll(GENERATION_ID, { id: GENERATION_ID });
    await expect(aimlapi.status({ generation_id: GENERATION_ID }, context())).rejects.toMatchObject({ code: 'provider_bad_response' });
  });
});

describe('aimlapi provider definition', () => {
  it('names its environment, base URL and bearer auth', () => {
    expect(aimlapi).toMatchObject({
      name: 'aimlapi',
      title: 'AI/ML API',
      env: { apiKey: 'AIMLAPI_API_KEY', baseUrl: 'AIMLAPI_BASE_URL' },
      defaultBaseUrl: 'https://api.aimlapi.com',
    });
    expect(aimlapi.auth('k')).toEqual({ authorization: 'Bearer k' });
  });

  it('accepts only operations with a non-empty generation id', () => {
    expect(aimlapi.operation.safeParse({ generation_id: GENERATION_ID }).success).toBe(true);
    expect(aimlapi.operation.safeParse({ generation_id: '' }).success).toBe(false);
    expect(aimlapi.operation.safeParse({ job_id: 'x' }).success).toBe(false);
  });
});
