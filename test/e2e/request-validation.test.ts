import { describe, expect, it } from 'vitest';
import { useStack } from '../support/stack.ts';

const stack = useStack();

function noProviderWasCalled(): void {
  expect(stack.emulator('krea').emulator.control.requests).toEqual([]);
  expect(stack.emulator('aimlapi').emulator.control.requests).toEqual([]);
}

async function expectRejected(body: unknown, status: number, code: string, param?: string) {
  const answer = await stack.request('POST', '/v1/jobs', { body });
  expect(answer.status).toBe(status);
  expect(answer.body.error).toMatchObject({ code, ...(param ? { param } : {}), request_id: expect.stringMatching(/^req_/) });
  noProviderWasCalled();
  return answer.body.error;
}

describe('malformed requests are 400s that name the field', () => {
  it('rejects an unknown top-level field', async () => {
    await expectRejected({ model: 'krea/kling/kling-2.5', prompt: 'x', colour: 'red' }, 400, 'unknown_parameter', 'colour');
  });

  it('rejects a missing prompt', async () => {
    await expectRejected({ model: 'krea/kling/kling-2.5' }, 400, 'missing_parameter', 'prompt');
  });

  it('rejects a duration of the wrong type', async () => {
    await expectRejected({ model: 'krea/kling/kling-2.5', prompt: 'x', duration: '5' }, 400, 'invalid_request', 'duration');
  });

  it('rejects an image that is not a URL at all with 400, and one that is neither https nor a data URI with 422 unsafe_url', async () => {
    await expectRejected({ model: 'krea/kling/kling-2.5', prompt: 'x', start_image: 'not a url' }, 400, 'invalid_request', 'start_image');
    await expectRejected({ model: 'krea/kling/kling-2.5', prompt: 'x', start_image: 'ftp://x/y.png' }, 422, 'unsafe_url', 'start_image');
  });

  it('rejects options for a provider that does not exist', async () => {
    await expectRejected({ model: 'krea/kling/kling-2.5', prompt: 'x', provider_options: { fal: {} } }, 400, 'unknown_parameter', 'provider_options.fal');
  });

  it('rejects a body that is not JSON, or not sent as JSON', async () => {
    const broken = await stack.request('POST', '/v1/jobs', { body: '{"model":', headers: { 'content-type': 'application/json' } });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('invalid_json');
    const text = await stack.request('POST', '/v1/jobs', { body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    noProviderWasCalled();
  });

  it('rejects a body nested deeper than any request needs, instead of walking it', async () => {
    const deep = `{"model": "krea/kling/kling-2.5", "prompt": "x", "provider_options": {"krea": ${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    const answer = await stack.request('POST', '/v1/jobs', { body: deep });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'invalid_request', param: 'provider_options' });
    noProviderWasCalled();
  });

  it('rejects too much metadata', async () => {
    const metadata = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']));
    await expectRejected({ model: 'krea/kling/kling-2.5', prompt: 'x', metadata }, 400, 'invalid_request', 'metadata');
  });
});

describe('requests a model cannot serve are 422s listing what it supports', () => {
  it('rejects an unknown model', async () => {
    await expectRejected({ model: 'krea/kling/kling-9', prompt: 'x' }, 422, 'unknown_model', 'model');
    await expectRejected({ model: 'openai/sora', prompt: 'x' }, 422, 'unknown_model', 'model');
  });

  it('rejects a duration Kling 2.5 does not offer, naming 5 and 10', async () => {
    const error = await expectRejected({ model: 'krea/kling/kling-2.5', prompt: 'x', duration: 7 }, 422, 'unsupported_duration', 'duration');
    expect(error.message).toContain('5, 10');
  });

  it('rejects a Wan 14B duration outside 1.125–10.125 s', async () => {
    const error = await expectRejected({ model: 'aimlapi/krea/krea-wan-14b/text-to-video', prompt: 'x', duration: 10.5 }, 422, 'unsupported_duration', 'duration');
    expect(error.message).toContain('1.125–10.125');
    await expectRejected({ model: 'aimlapi/krea/krea-wan-14b/text-to-video', prompt: 'x', duration: 0.5 }, 422, 'unsupported_duration', 'duration');
  });

  it('rejects an aspect ratio on Hailuo 2.3, which has none', async () => {
    await expectRejected({ model: 'krea/minimax/hailuo-2.3', prompt: 'x', aspect_ratio: '16:9' }, 422, 'unsupported_parameter', 'aspect_ratio');
  });

  it('rejects an unsupported resolution, listing the supported ones', async () => {
    const error = await expectRejected({ model: 'krea/google/veo-3.1', prompt: 'x', resolution: '8k' }, 422, 'unsupported_resolution', 'resolution');
    expect(error.message).toContain('"720p", "1080p", "4k"');
  });

  it('rejects a seed on a model without one', async () => {
    await expectRejected({ model: 'krea/kling/kling-2.5', prompt: 'x', seed: 1 }, 422, 'unsupported_parameter', 'seed');
  });

  it('requires the first frame on an image-to-video model', async () => {
    await expectRejected({ model: 'aimlapi/klingai/v2.5-turbo/pro/image-to-video', prompt: 'x' }, 422, 'missing_parameter', 'start_image');
  });

  it('rejects a provider option the route does not accept, naming it', async () => {
    await expectRejected(
      { model: 'krea/kling/kling-2.5', prompt: 'x', provider_options: { krea: { camera_control: {} } } },
      422,
      'invalid_provider_option',
      'provider_options.krea.camera_control',
    );
  });

  it('requires the provider options a route needs (Wan 2.1 width and height)', async () => {
    const error = await expectRejected({ model: 'krea/alibaba/wan-2.1', prompt: 'x' }, 422, 'invalid_provider_option');
    expect(error.param).toMatch(/^provider_options\.krea\.(width|height)$/);
  });

  it('passes valid provider options through to Krea', async () => {
    const answer = await stack.create({ model: 'krea/alibaba/wan-2.1', prompt: 'x', provider_options: { krea: { width: 832, height: 480 } } });
    expect(answer.status).toBe(202);
    expect(answer.body.input.provider_options).toEqual({ krea: { width: 832, height: 480 } });
    expect(stack.emulator('krea').emulator.control.requests[0]!.body).toMatchObject({ width: 832, height: 480 });
  });
});

describe('authentication', () => {
  it('requires a gateway key on every /v1 route', async () => {
    for (const path of ['/v1/models', '/v1/jobs/job_x']) {
      const missing = await stack.request('GET', path, { headers: { authorization: '' } });
      expect(missing.status).toBe(401);
      expect(missing.body.error.code).toBe('missing_api_key');
      expect(missing.headers.get('www-authenticate')).toBe('Bearer');
      const wrong = await stack.request('GET', path, { headers: { authorization: 'Bearer nope-nope-nope' } });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('invalid_api_key');
    }
  });

  it('lets health checks through without a key', async () => {
    const answer = await stack.request('GET', '/healthz', { headers: { authorization: '' } });
    expect(answer.status).toBe(200);
  });

  it('answers unknown routes with the error envelope', async () => {
    const answer = await stack.request('GET', '/v2/nothing');
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('not_found');
  });
});

describe('job ids', () => {
  it('answers a tampered id with 404 and calls no provider', async () => {
    const created = await stack.create({ model: 'krea/kling/kling-2.5', prompt: 'x' });
    stack.emulator('krea').emulator.control.reset();
    const id: string = created.body.id;
    const flipped = id.slice(0, 20) + (id[20] === 'A' ? 'B' : 'A') + id.slice(21);
    for (const bad of [flipped, id.slice(0, -2), 'job_notarealid', 'hello', `${id}x`]) {
      const answer = await stack.poll(bad);
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe('job_not_found');
    }
    noProviderWasCalled();
  });
});

describe('seeds', () => {
  it('takes any integer where the published schema gives no bounds, and enforces the bounds where it does', async () => {
    for (const seed of [-7, 0, 2 ** 32 + 5]) {
      expect((await stack.create({ model: 'krea/runway/gen-4.5', prompt: 'x', start_image: 'https://example.com/a.png', seed })).status, String(seed)).toBe(202);
      expect((await stack.create({ model: 'aimlapi/krea/krea-wan-14b/text-to-video', prompt: 'x', seed })).status, String(seed)).toBe(202);
    }
    for (const module of [stack.emulator('krea'), stack.emulator('aimlapi')]) module.emulator.control.reset();
    await expectRejected({ model: 'krea/runway/aleph', prompt: 'x', seed: -1, provider_options: { krea: { init_video: 'https://example.com/v.mp4' } } }, 422, 'unsupported_seed', 'seed');
  });
});
