import { describe, expect, it } from 'vitest';
import { createAimlapiEmulator, createEmulator } from '../../../providers/aimlapi/emulator.ts';
import type { Emulator } from '../../../providers/emulator-kit/index.ts';

const ORIGIN = 'http://emulator.test';
const PATH = '/v2/video/generations';
const WAN = 'krea/krea-wan-14b/text-to-video';
const KLING_I2V = 'klingai/v2.5-turbo/pro/image-to-video';
const AUTH = { authorization: 'Bearer sk-emulator' };

async function submit(emulator: Emulator, body: unknown, headers: Record<string, string> = AUTH): Promise<Response> {
  return emulator.app.fetch(
    new Request(`${ORIGIN}${PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }),
  );
}

async function poll(emulator: Emulator, id: string, headers: Record<string, string> = AUTH): Promise<Response> {
  return emulator.app.fetch(new Request(`${ORIGIN}${PATH}?${new URLSearchParams({ generation_id: id })}`, { headers }));
}

async function created(emulator: Emulator, body: Record<string, unknown>): Promise<string> {
  const response = await submit(emulator, body);
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

async function pollJson(emulator: Emulator, id: string): Promise<Record<string, unknown>> {
  const response = await poll(emulator, id);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

function expectErrorBody(body: unknown, statusCode: number, message: RegExp): void {
  expect(body).toEqual({ message: expect.stringMatching(message), path: PATH, requestId: expect.any(String), statusCode, timestamp: expect.any(String) });
  expect(Number.isNaN(Date.parse((body as { timestamp: string }).timestamp))).toBe(false);
}

describe('aimlapi emulator: auth', () => {
  it('answers 401 with the documented error body when the bearer token is missing', async () => {
    const response = await submit(createAimlapiEmulator(), { model: WAN, prompt: 'a cat' }, {});
    expect(response.status).toBe(401);
    expectErrorBody(await response.json(), 401, /valid API key/);
  });

  it('accepts only the configured key when one is set', async () => {
    const emulator = createAimlapiEmulator({ apiKey: 'sk-right' });
    expect((await submit(emulator, { model: WAN, prompt: 'a cat' }, { authorization: 'Bearer sk-wrong' })).status).toBe(401);
    expect((await submit(emulator, { model: WAN, prompt: 'a cat' }, { authorization: 'Bearer sk-right' })).status).toBe(200);
    expect((await poll(emulator, 'whatever', { authorization: 'Bearer sk-wrong' })).status).toBe(401);
  });
});

describe('aimlapi emulator: submit', () => {
  it('answers with an opaque "<uuid>:<model>" id, queued, and the credits used', async () => {
    const response = await submit(createAimlapiEmulator(), { model: WAN, prompt: 'a cat', num_frames: 78, enable_prompt_expansion: false, seed: 7 });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}:krea\/krea-wan-14b\/text-to-video$/),
      status: 'queued',
      meta: { usage: { credits_used: expect.any(Number), usd_spent: expect.any(Number) } },
    });
  });

  it.each([17, 19, 77, 174, 6, 78.5])('rejects num_frames %s, which is not 12n+6 within 18..162', async (frames) => {
    const response = await submit(createAimlapiEmulator(), { model: WAN, prompt: 'a cat', num_frames: frames });
    expect(response.status).toBe(400);
    expectErrorBody(await response.json(), 400, /^Body validation error! num_frames: /);
  });

  it('rejects a field the model does not document, to catch adapter mistakes', async () => {
    const response = await submit(createAimlapiEmulator(), { model: WAN, prompt: 'a cat', aspect_ratio: '16:9' });
    expect(response.status).toBe(400);
    expectErrorBody(await response.json(), 400, /Body validation error!.*aspect_ratio/);
  });

  it('rejects an unknown model, naming the ones it knows', async () => {
    const response = await submit(createAimlapiEmulator(), { model: 'openai/sora-2-t2v', prompt: 'a cat' });
    expect(response.status).toBe(400);
    expectErrorBody(await response.json(), 400, /Body validation error! model: .*'krea\/krea-wan-14b\/text-to-video'.*received 'openai\/sora-2-t2v'/);
  });

  it.each([
    ['a Kling duration outside 5 and 10', { model: 'klingai/v2.5-turbo/pro/text-to-video', prompt: 'a cat', duration: 6 }],
    ['a Kling cfg_scale above 1', { model: 'klingai/v2.5-turbo/pro/text-to-video', prompt: 'a cat', cfg_scale: 2 }],
    ['a Kling image-to-video request without image_url', { model: KLING_I2V, prompt: 'a cat', duration: 5 }],
    ['an aspect ratio on Kling image-to-video', { model: KLING_I2V, prompt: 'a cat', image_url: 'https://images.test/a.png', aspect_ratio: '16:9' }],
    ['a missing prompt', { model: WAN }],
    ['a body that is not JSON', undefined],
  ])('rejects %s', async (_case, body) => {
    const response = await submit(createAimlapiEmulator(), body);
    expect(response.status).toBe(400);
  });

  it('accepts Kling image-to-video with a first frame and the documented extras', async () => {
    const body = { model: KLING_I2V, prompt: 'a cat', duration: 10, image_url: 'https://images.test/a.png', negative_prompt: 'blur', cfg_scale: 0.4, provider: 'auto' };
    expect((await submit(createAimlapiEmulator(), body)).status).toBe(200);
  });
});

describe('aimlapi emulator: poll', () => {
  it('finds a generation by its id sent percent-encoded, colon and slashes included', async () => {
    const emulator = createAimlapiEmulator();
    const id = await created(emulator, { model: WAN, prompt: 'a cat' });
    const url = `${ORIGIN}${PATH}?generation_id=${encodeURIComponent(id)}`;
    expect(url).toContain('%3Akrea%2Fkrea-wan-14b%2Ftext-to-video');
    const response = await emulator.app.fetch(new Request(url, { headers: AUTH }));
    expect(response.status).toBe(200);
    expect(((await response.json()) as { id: string }).id).toBe(id);
  });

  it('moves a queued submit to generating, then completed, one step per poll, and stays completed', async () => {
    const emulator = createAimlapiEmulator();
    const id = await created(emulator, { model: WAN, prompt: 'a cat', num_frames: 90 });
    expect(await pollJson(emulator, id)).toMatchObject({ id, status: 'generating', video: null, error: null });
    const done = await pollJson(emulator, id);
    expect(done).toMatchObject({ id, status: 'completed', error: null, meta: { usage: { credits_used: expect.any(Number) } } });
    expect(done.video).toEqual({ url: expect.stringMatching(/^http:\/\/emulator\.test\/files\/[0-9a-f-]{36}\.mp4$/) });
    expect((await pollJson(emulator, id)).status).toBe('completed');
  });

  it('serves the completed video as MP4 bytes starting with an ftyp box', async () => {
    const emulator = createAimlapiEmulator();
    const id = await created(emulator, { model: WAN, prompt: 'a cat' });
    await pollJson(emulator, id);
    const { video } = (await pollJson(emulator, id)) as { video: { url: string } };
    const file = await emulator.app.fetch(new Request(video.url));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('video/mp4');
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(4, 8))).toBe('ftyp');
  });

  it('moves with the clock in timed mode', async () => {
    let now = 1_000_000;
    const emulator = createAimlapiEmulator({ progression: { mode: 'timed', msPerStep: 1_000 }, now: () => now });
    const id = await created(emulator, { model: WAN, prompt: 'a cat' });
    expect((await pollJson(emulator, id)).status).toBe('queued');
    now += 1_000;
    expect((await pollJson(emulator, id)).status).toBe('generating');
    now += 5_000;
    expect((await pollJson(emulator, id)).status).toBe('completed');
  });

  it('ends a [fail] prompt in error with a {name, message} reason', async () => {
    const emulator = createAimlapiEmulator();
    const id = await created(emulator, { model: WAN, prompt: 'a cat [fail]' });
    await pollJson(emulator, id);
    expect(await pollJson(emulator, id)).toMatchObject({
      status: 'error',
      video: null,
      error: { name: 'ProviderError', message: 'Generation failed upstream (emulated)' },
    });
  });

  it('ends a [fail:detail] prompt in error with a {detail: [...]} reason', async () => {
    const emulator = createAimlapiEmulator();
    const id = await created(emulator, { model: WAN, prompt: 'a cat [fail:detail]' });
    await pollJson(emulator, id);
    expect(await pollJson(emulator, id)).toMatchObject({
      status: 'error',
      error: { detail: [{ loc: ['body', 'prompt'], msg: expect.any(String), type: 'moderation_error' }] },
    });
  });

  it('ends an [unknown-status] prompt in a status the API does not document', async () => {
    const emulator = createAimlapiEmulator();
    const id = await created(emulator, { model: WAN, prompt: 'a cat [unknown-status]' });
    await pollJson(emulator, id);
    expect((await pollJson(emulator, id)).status).toBe('paused');
  });

  it('answers 404 with the documented error body for an unknown id', async () => {
    const response = await poll(createAimlapiEmulator(), '00000000-0000-4000-8000-000000000000:krea/krea-wan-14b/text-to-video');
    expect(response.status).toBe(404);
    expectErrorBody(await response.json(), 404, /not found/);
  });

  it('answers 400 when generation_id is missing', async () => {
    const response = await createAimlapiEmulator().app.fetch(new Request(`${ORIGIN}${PATH}`, { headers: AUTH }));
    expect(response.status).toBe(400);
    expectErrorBody(await response.json(), 400, /generation_id/);
  });
});

describe('aimlapi emulator: kit integration', () => {
  it('is exported under the registry name createEmulator', () => {
    expect(createEmulator).toBe(createAimlapiEmulator);
  });

  it('records submits and polls by kind, with the id still encoded', async () => {
    const emulator = createAimlapiEmulator();
    const id = await created(emulator, { model: WAN, prompt: 'a cat' });
    await poll(emulator, id);
    expect(emulator.control.requests.map(({ kind, method }) => [kind, method])).toEqual([
      ['create', 'POST'],
      ['poll', 'GET'],
    ]);
    expect(emulator.control.requests[1]!.url).toBe(`${PATH}?generation_id=${encodeURIComponent(id)}`);
  });

  it('lets a fault replace the next create, e.g. a 403 out of credits', async () => {
    const emulator = createAimlapiEmulator();
    emulator.control.faults.add({ on: 'create', fault: { kind: 'status', status: 403, body: { message: "You've run out of credits" } } });
    expect((await submit(emulator, { model: WAN, prompt: 'a cat' })).status).toBe(403);
    expect((await submit(emulator, { model: WAN, prompt: 'a cat' })).status).toBe(200);
  });
});
