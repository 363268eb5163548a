/**
 * DESIGN §7's OpenAI-shaped `/v1/videos`, driven by the official `openai` SDK at 7.x (forms) and
 * 6.27.0 (JSON) against a live gateway: the whole lifecycle, the mapping of `seconds` and `size`,
 * image uploads, listing, delete, the SDK's typed errors from OpenAI's envelope, and its automatic
 * retries, which must never start a second billed job.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callsOf, KEYS, useStack, type Stack } from '../support/stack.ts';
import { contractCheckedFetch, SDK_FLAVOURS, type SdkFlavour } from '../support/openai-sdk.ts';

/** A 1×1 PNG. */
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAHnOEDgAAAABJRU5ErkJggg==', 'base64'));

function sdkFor(stack: Stack, flavour: SdkFlavour, options: { apiKey?: string; maxRetries?: number; fetch?: typeof fetch } = {}) {
  return flavour.client({ baseURL: `${stack.gateway.url}/v1`, apiKey: options.apiKey ?? KEYS.gateway, maxRetries: options.maxRetries ?? 2, fetch: contractCheckedFetch(options.fetch) });
}

/** The gateway's answers to one method and path template, from its request log. */
function gatewayRequests(stack: Stack, method: string, route: string) {
  return stack.logs.map((line) => JSON.parse(line)).filter((entry) => entry.event === 'request' && entry.method === method && entry.route === route);
}

describe.each(SDK_FLAVOURS)('$name', (flavour) => {
  // A gateway per SDK version, so one version's jobs never show in the other's listings.
  const stack = useStack();
  const sdk = (...args: Parameters<typeof sdkFor> extends [Stack, ...infer Rest] ? Rest : never) => sdkFor(stack, ...args);
  const { AuthenticationError, BadRequestError, ConflictError, InternalServerError, NotFoundError, RateLimitError, UnprocessableEntityError } = flavour.errors;
  it('creates, retrieves until completed and downloads the MP4, and the video is the same job on /v1/jobs', async () => {
    const client = sdk(flavour);
    const created = await client.videos.create({ model: 'veo-3.1' as never, prompt: 'a lighthouse at dusk', seconds: '8', size: '1280x720' });
    expect(created).toMatchObject({ object: 'video', model: 'veo-3.1', status: 'queued', progress: 0, seconds: '8', size: '1280x720', error: null, completed_at: null });
    expect(created.id).toMatch(/^job_/);
    expect(created.created_at).toBeCloseTo(Date.now() / 1000, -1);
    const sent = callsOf(stack.emulator('krea'), 'create')[0]!;
    expect(sent.url).toBe('/generate/video/google/veo-3.1');
    expect(sent.body).toMatchObject({ duration: 8, aspect_ratio: '16:9', resolution: '720p' });

    let video = created;
    for (let polls = 0; video.status !== 'completed' && polls < 12; polls++) video = await client.videos.retrieve(created.id);
    expect(video).toMatchObject({ id: created.id, status: 'completed', progress: 100 });
    expect(video.completed_at).toBeGreaterThanOrEqual(video.created_at);

    const bytes = new Uint8Array(await (await client.videos.downloadContent(created.id)).arrayBuffer());
    expect(Buffer.from(bytes.subarray(4, 8)).toString('latin1')).toBe('ftyp');
    const job = await stack.poll(created.id);
    expect(job.body).toMatchObject({ id: created.id, object: 'job', status: 'completed', input: { duration: 8, aspect_ratio: '16:9', resolution: '720p' } });
    const viaJobs = await fetch(`${stack.gateway.url}/v1/jobs/${created.id}/content`, { headers: { authorization: `Bearer ${KEYS.gateway}` } });
    expect(new Uint8Array(await viaJobs.arrayBuffer())).toEqual(bytes);
  });

  it(`sends the create as ${flavour.sends}`, async () => {
    const bodies: unknown[] = [];
    const spy: typeof fetch = (input, init) => {
      if (init?.method === 'POST') bodies.push(init.body);
      return fetch(input, init);
    };
    await sdk(flavour, { fetch: spy }).videos.create({ model: 'kling-2.5' as never, prompt: 'a fox', seconds: '5' as never });
    if (flavour.sends === 'multipart') expect(bodies[0]).toBeInstanceOf(FormData);
    else expect(JSON.parse(bodies[0] as string)).toEqual({ model: 'kling-2.5', prompt: 'a fox', seconds: '5' });
  });

  it('renders a size for a model without resolution control at its ratio, and the job says so', async () => {
    const video = await sdk(flavour).videos.create({ model: 'kling-2.5' as never, prompt: 'a fox', seconds: '10' as never, size: '720x1280' });
    expect(video).toMatchObject({ seconds: '10', size: '720x1280' });
    const job = await stack.poll(video.id);
    expect(job.body.input).toMatchObject({ duration: 10, aspect_ratio: '9:16' });
    expect(job.body.input.resolution).toBeUndefined();
    expect(job.body.warnings).toContainEqual(expect.objectContaining({ code: 'size_resolution_not_applied', field: 'size', requested: '720x1280' }));
  });

  it('uploads an input_reference file to Krea as an asset and starts the job from it', async () => {
    const file = await flavour.toFile(PNG, 'start.png', 'image/png');
    const video = await sdk(flavour).videos.create({ model: 'kling-2.5' as never, prompt: 'the lighthouse comes alive', input_reference: file as never });
    const krea = stack.emulator('krea');
    expect(callsOf(krea, 'upload')).toHaveLength(1);
    const startImage = (callsOf(krea, 'create')[0]!.body as { start_image: string }).start_image;
    expect(startImage).toMatch(new RegExp(`^${krea.url}/assets/[0-9a-f-]{36}\\.png$`));
    expect(new Uint8Array(await (await fetch(startImage)).arrayBuffer())).toEqual(PNG);
    const job = await stack.poll(video.id);
    expect(job.body.input.start_image).toBe(`data:image/png;sha256=${createHash('sha256').update(PNG).digest('hex')}`);
  });

  it('takes an input_reference by image_url', async () => {
    const video = await sdk(flavour).videos.create({ model: 'kling-2.5' as never, prompt: 'a fox', input_reference: { image_url: 'https://images.example.com/start.png' } });
    expect((callsOf(stack.emulator('krea'), 'create')[0]!.body as { start_image: string }).start_image).toBe('https://images.example.com/start.png');
    expect((await stack.poll(video.id)).body.input.start_image).toBe('https://images.example.com/start.png');
  });

  it('lists pages with after, newest first or in ascending order', async () => {
    const client = sdk(flavour, { apiKey: KEYS.otherGateway });
    const ids: string[] = [];
    for (const prompt of ['one', 'two', 'three']) ids.push((await client.videos.create({ model: 'kling-2.5' as never, prompt })).id);
    const first = await client.videos.list({ limit: 2 });
    expect(first.data.map((video) => video.id)).toEqual([ids[2], ids[1]]);
    expect(first.has_more).toBe(true);
    const second = await client.videos.list({ limit: 2, after: first.data[1]!.id });
    expect(second.data.map((video) => video.id)).toEqual([ids[0]]);
    expect(second.has_more).toBe(false);
    const everything: string[] = [];
    for await (const video of client.videos.list({ limit: 1, order: 'asc' })) everything.push(video.id);
    expect(everything).toEqual(ids);
  });

  it('deletes a live Krea video by cancelling it first; afterwards both routes are 404', async () => {
    const client = sdk(flavour);
    const video = await client.videos.create({ model: 'kling-2.5' as never, prompt: 'a fox' });
    expect(await client.videos.delete(video.id)).toEqual({ id: video.id, object: 'video.deleted', deleted: true });
    const cancels = stack.emulator('krea').emulator.control.requests.filter((request) => request.method === 'DELETE');
    expect(cancels).toHaveLength(1);
    await expect(client.videos.retrieve(video.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await stack.poll(video.id)).status).toBe(404);
  });

  it('deletes a finished video and its stored copy', async () => {
    const client = sdk(flavour);
    const video = await client.videos.create({ model: 'kling-2.5' as never, prompt: 'a fox' });
    await stack.pollUntilStored(video.id);
    await client.videos.delete(video.id);
    expect((await stack.poll(video.id)).status).toBe(404);
    await expect(client.videos.downloadContent(video.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses to delete a live job its provider cannot cancel, with a 409 the SDK does not retry', async () => {
    const client = sdk(flavour);
    const video = await client.videos.create({ model: 'wan-14b' as never, prompt: 'a fox' });
    const before = gatewayRequests(stack, 'DELETE', '/v1/videos/:id').length;
    const error = await client.videos.delete(video.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ status: 409, code: 'cancel_not_supported', type: 'invalid_request_error' });
    expect(gatewayRequests(stack, 'DELETE', '/v1/videos/:id').length - before).toBe(1);
    expect((await stack.poll(video.id)).status).toBe(200);
  });

  it('shows a cancelled job as failed with error code cancelled', async () => {
    const client = sdk(flavour);
    const video = await client.videos.create({ model: 'kling-2.5' as never, prompt: 'a fox' });
    expect((await stack.request('POST', `/v1/jobs/${video.id}/cancel`)).body.status).toBe('cancelled');
    expect(await client.videos.retrieve(video.id)).toMatchObject({ status: 'failed', error: { code: 'cancelled' } });
  });

  it('raises the typed errors from OpenAI\'s envelope, naming this API\'s fields', async () => {
    const client = sdk(flavour);
    const unknownField = await client.videos.create({ model: 'kling-2.5' as never, prompt: 'a fox', colour: 'red' } as never).catch((caught: unknown) => caught);
    expect(unknownField).toBeInstanceOf(BadRequestError);
    expect(unknownField).toMatchObject({ status: 400, code: 'unknown_parameter', param: 'colour', type: 'invalid_request_error' });

    const badKey = await sdk(flavour, { apiKey: 'not-a-key' }).videos.list().catch((caught: unknown) => caught);
    expect(badKey).toBeInstanceOf(AuthenticationError);
    expect(badKey).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'authentication_error' });

    const missing = await client.videos.retrieve('job_doesnotexist').catch((caught: unknown) => caught);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ code: 'job_not_found' });

    const seconds = await client.videos.create({ model: 'krea/kling/kling-2.5' as never, prompt: 'a fox', seconds: '7' as never }).catch((caught: unknown) => caught);
    expect(seconds).toBeInstanceOf(UnprocessableEntityError);
    expect(seconds).toMatchObject({ status: 422, code: 'unsupported_duration', param: 'seconds' });

    const ratio = await client.videos.create({ model: 'krea/kling/kling-2.5' as never, prompt: 'a fox', size: '1792x1024' }).catch((caught: unknown) => caught);
    expect(ratio).toMatchObject({ status: 422, code: 'unsupported_aspect_ratio', param: 'size' });
    const viaAlias = await client.videos.create({ model: 'kling-2.5' as never, prompt: 'a fox', size: '1792x1024' }).catch((caught: unknown) => caught);
    expect(viaAlias).toMatchObject({ status: 422, code: 'no_capable_target', param: 'size' });

    const resolution = await client.videos.create({ model: 'veo-3.1' as never, prompt: 'a fox', size: '640x480' as never }).catch((caught: unknown) => caught);
    expect(resolution).toMatchObject({ status: 422, param: 'size' });
    expect(callsOf(stack.emulator('krea'), 'create')).toEqual([]);
  });

  it('answers 409 job_not_completed for content before completion, without SDK retries', async () => {
    const client = sdk(flavour);
    const video = await client.videos.create({ model: 'kling-2.5' as never, prompt: 'a fox' });
    const before = gatewayRequests(stack, 'GET', '/v1/videos/:id/content').length;
    const error = await client.videos.downloadContent(video.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: 'job_not_completed' });
    expect(gatewayRequests(stack, 'GET', '/v1/videos/:id/content').length - before).toBe(1);
  });

  it('retries a provider 429 as the SDK does, honouring Retry-After, and raises RateLimitError', async () => {
    stack.emulator('krea').emulator.control.faults.add({ on: 'create', fault: { kind: 'status', status: 429, headers: { 'retry-after': '1' } }, times: 0 });
    const before = gatewayRequests(stack, 'POST', '/v1/videos').length;
    const error = await sdk(flavour, { maxRetries: 1 }).videos.create({ model: 'krea/kling/kling-2.5' as never, prompt: 'a fox' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'provider_rate_limited', type: 'rate_limit_error' });
    expect((error as InstanceType<typeof RateLimitError>).headers.get('retry-after')).toBe('1');
    expect((error as InstanceType<typeof RateLimitError>).headers.get('x-should-retry')).toBe('true');
    expect(gatewayRequests(stack, 'POST', '/v1/videos').length - before).toBe(2);
  });

  it('says x-should-retry: false when a create may have started a job, so the SDK does not bill twice', async () => {
    stack.emulator('krea').emulator.control.faults.add({ on: 'create', fault: { kind: 'status', status: 500 }, times: 0 });
    const before = gatewayRequests(stack, 'POST', '/v1/videos').length;
    const error = await sdk(flavour).videos.create({ model: 'krea/kling/kling-2.5' as never, prompt: 'a fox' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InstanceType<typeof InternalServerError>).headers.get('x-should-retry')).toBe('false');
    expect(gatewayRequests(stack, 'POST', '/v1/videos').length - before).toBe(1);
    expect(callsOf(stack.emulator('krea'), 'create')).toHaveLength(1);
  });

  it('answers an automatic retry of a create that reached the gateway with the same video, never a second job', async () => {
    let attempts = 0;
    // The first attempt is served, but its answer is lost on the way back (a dropped connection).
    const dropFirstAnswer: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (attempts++ > 0) return response;
      await response.arrayBuffer();
      throw new TypeError('fetch failed: the connection was reset');
    };
    const client = sdk(flavour, { fetch: dropFirstAnswer });
    const video = await client.videos.create({ model: 'kling-2.5' as never, prompt: 'exactly one fox', seconds: '5' as never });
    expect(attempts).toBe(2);
    expect(callsOf(stack.emulator('krea'), 'create')).toHaveLength(1);
    const listed = await sdk(flavour).videos.list({ limit: 100 });
    expect(listed.data.filter((item) => item.prompt === 'exactly one fox').map((item) => item.id)).toEqual([video.id]);
  });

  it('makes two jobs of two deliberate identical creates', async () => {
    const client = sdk(flavour);
    const first = await client.videos.create({ model: 'kling-2.5' as never, prompt: 'twin foxes' });
    const second = await client.videos.create({ model: 'kling-2.5' as never, prompt: 'twin foxes' });
    expect(second.id).not.toBe(first.id);
    expect(callsOf(stack.emulator('krea'), 'create')).toHaveLength(2);
  });
});

describe('OpenAI\'s envelope on the wire', () => {
  const stack = useStack();
  it('has exactly message, type, param and code, with null for no param', async () => {
    const answer = await stack.request('GET', '/v1/videos/job_doesnotexist');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error: { message: expect.any(String), type: 'invalid_request_error', param: 'id', code: 'job_not_found' } });
    const unauthenticated = await stack.request('GET', '/v1/videos', { headers: { authorization: '' } });
    expect(unauthenticated.body).toEqual({ error: { message: expect.any(String), type: 'authentication_error', param: null, code: 'missing_api_key' } });
  });

  it('refuses a variant the gateway does not keep, and form fields sent twice', async () => {
    const variant = await stack.request('GET', '/v1/videos/job_doesnotexist/content?variant=thumbnail');
    expect(variant.body.error).toMatchObject({ code: 'invalid_request', param: 'variant' });
    const form = new FormData();
    form.append('model', 'kling-2.5');
    form.append('prompt', 'a');
    form.append('prompt', 'b');
    const twice = await fetch(`${stack.gateway.url}/v1/videos`, { method: 'POST', headers: { authorization: `Bearer ${KEYS.gateway}` }, body: form });
    expect(twice.status).toBe(400);
    expect((await twice.json()).error).toMatchObject({ param: 'prompt' });
  });

});
