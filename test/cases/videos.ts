/**
 * Shared cases: the OpenAI-shaped `/v1/videos` over the same jobs, as the `openai` SDK 7.x sends it
 * (a form, an image file as `input_reference`), on both runtimes. The SDK itself drives the Node
 * gateway in test/e2e/openai-videos.test.ts; these cases hold the Worker to the same wire.
 */
import { beforeEach, expect, it } from 'vitest';
import type { HarnessGetter } from './harness.ts';
import { callsOf, resetEmulators } from './steps.ts';

/** A 1×1 PNG. */
const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAHnOEDgAAAABJRU5ErkJggg=='), (char) => char.charCodeAt(0));

function videoForm(fields: Record<string, string>, image?: Uint8Array<ArrayBuffer>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (image) form.append('input_reference', new Blob([image], { type: 'image/png' }), 'start.png');
  return form;
}

export function videoCases(harness: HarnessGetter): void {
  beforeEach(() => resetEmulators(harness()));

  it('creates from a form with an image file, which reaches Krea as an uploaded asset', async () => {
    const h = harness();
    const created = await h.request('POST', '/v1/videos', { body: videoForm({ model: 'krea/kling/kling-2.5', prompt: 'the lighthouse comes alive', seconds: '5', size: '1280x720' }, PNG) });
    expect(created.status, created.text).toBe(200);
    expect(created.body).toMatchObject({ object: 'video', status: 'queued', model: 'krea/kling/kling-2.5', seconds: '5', size: '1280x720', error: null });
    expect(callsOf(h, 'krea', 'upload')).toHaveLength(1);
    expect((callsOf(h, 'krea', 'create')[0]!.body as { start_image: string }).start_image).toMatch(/\/assets\/[0-9a-f-]{36}\.png$/);
    // Leaves nothing running behind the test (on Workers, a live job keeps its Durable Object's alarms going).
    expect((await h.request('DELETE', `/v1/videos/${created.body.id}`)).status).toBe(200);
  });

  it('is retrieved until completed, downloads its MP4 and is the same job on /v1/jobs', async () => {
    const h = harness();
    const created = await h.request('POST', '/v1/videos', { body: { model: 'krea/google/veo-3.1', prompt: 'rain on neon', seconds: '8', size: '1920x1080' } });
    let video = created.body;
    for (let polls = 0; video.status !== 'completed' && polls < 12; polls++) video = (await h.request('GET', `/v1/videos/${created.body.id}`)).body;
    expect(video).toMatchObject({ status: 'completed', progress: 100, size: '1920x1080' });
    const job = await h.request('GET', `/v1/jobs/${created.body.id}`);
    expect(job.body.input).toMatchObject({ duration: 8, aspect_ratio: '16:9', resolution: '1080p' });
    const content = await h.request('GET', `/v1/videos/${created.body.id}/content?variant=video`);
    expect(content.status).toBe(200);
    expect(content.headers.get('content-type')).toBe('video/mp4');
    expect(content.text.slice(4, 8)).toBe('ftyp');
    expect((await h.request('DELETE', `/v1/videos/${created.body.id}`)).status).toBe(200);
  });

  it('answers errors in OpenAI\'s envelope, naming this API\'s fields', async () => {
    const h = harness();
    const refused = await h.request('POST', '/v1/videos', { body: videoForm({ model: 'krea/kling/kling-2.5', prompt: 'a fox', seconds: '7' }) });
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({ error: { message: expect.any(String), type: 'invalid_request_error', param: 'seconds', code: 'unsupported_duration' } });
    expect(refused.headers.get('x-should-retry')).toBe('false');
    expect(callsOf(h, 'krea', 'create')).toEqual([]);
  });

  it('deletes a live Krea video by cancelling it, then both routes are 404', async () => {
    const h = harness();
    const created = await h.request('POST', '/v1/videos', { body: { model: 'krea/kling/kling-2.5', prompt: 'a fox' } });
    const deleted = await h.request('DELETE', `/v1/videos/${created.body.id}`);
    expect(deleted.body).toEqual({ id: created.body.id, object: 'video.deleted', deleted: true });
    expect(h.emulator('krea').requests.filter((request) => request.method === 'DELETE')).toHaveLength(1);
    expect((await h.request('GET', `/v1/videos/${created.body.id}`)).status).toBe(404);
    expect((await h.request('GET', `/v1/jobs/${created.body.id}`)).status).toBe(404);
  });
}
