import { describe, expect, it } from 'vitest';
import { providers } from '../../providers/index.ts';
import { callsOf, useStack } from '../support/stack.ts';

const stack = useStack();

describe('a Krea job', () => {
  it('sends Krea only the fields the route accepts, on the model route', async () => {
    await stack.create({ model: 'krea/kling/kling-2.5', prompt: 'a lighthouse', duration: 5 });
    const [create] = callsOf(stack.emulator('krea'), 'create');
    expect(create!.url).toBe('/generate/video/kling/kling-2.5');
    expect(create!.body).toEqual({ prompt: 'a lighthouse', duration: 5, aspect_ratio: '16:9', mode: 'pro' });
  });
});

describe('an AI/ML API Wan 14B job', () => {
  it('polls with the opaque generation id encoded in the query', async () => {
    const created = await stack.create({ model: 'aimlapi/krea/krea-wan-14b/text-to-video', prompt: 'a dragon' });
    await stack.poll(created.body.id);
    const [poll] = callsOf(stack.emulator('aimlapi'), 'poll');
    expect(poll!.url).toMatch(/^\/v2\/video\/generations\?generation_id=[0-9a-f-]+%3Akrea%2Fkrea-wan-14b%2Ftext-to-video$/);
  });

  it('sends a Kling image-to-video first frame as image_url', async () => {
    const created = await stack.create({ model: 'aimlapi/klingai/v2.5-turbo/pro/image-to-video', prompt: 'wave', start_image: 'https://example.com/a.png', duration: 10 });
    expect(created.status).toBe(202);
    const [create] = callsOf(stack.emulator('aimlapi'), 'create');
    expect(create!.body).toEqual({ model: 'klingai/v2.5-turbo/pro/image-to-video', prompt: 'wave', image_url: 'https://example.com/a.png', duration: 10 });
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
    expect(body.providers).toEqual(providers.map(({ name, title }) => ({ name, title, configured: true, enabled: true })));
  });
});
