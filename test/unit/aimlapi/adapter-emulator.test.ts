import { describe, expect, it } from 'vitest';
import { createAimlapiEmulator } from '../../../providers/aimlapi/emulator.ts';
import { aimlapi } from '../../../providers/aimlapi/index.ts';
import type { Emulator } from '../../../providers/emulator-kit/index.ts';
import type { ProviderContext, StartRequest, VideoInput } from '../../../providers/types.ts';
import { createProviderContext } from '../../../src/upstream/provider-context.ts';

function contextFor(emulator: Emulator): ProviderContext {
  return createProviderContext({
    provider: aimlapi,
    apiKey: 'sk-emulator',
    baseUrl: 'http://emulator.test',
    fetch: (input, init) => Promise.resolve(emulator.app.fetch(new Request(input, init))),
    sleep: () => Promise.resolve(),
  });
}

function request(modelId: string, input: Omit<VideoInput, 'prompt'>, prompt = 'a lighthouse at dusk'): StartRequest {
  return { model: aimlapi.models.find((model) => model.id === modelId)!, input: { prompt, ...input }, options: {} };
}

describe('aimlapi adapter against its emulator', () => {
  it('runs a krea-wan-14b job from submit to a completed video', async () => {
    const emulator = createAimlapiEmulator();
    const ctx = contextFor(emulator);
    const { operation, state } = await aimlapi.adapter.start(request('krea/krea-wan-14b/text-to-video', { duration: 4.875, enhance_prompt: true, seed: 1 }), ctx);
    expect(state).toEqual({ raw_status: 'queued' });
    expect(emulator.control.requests[0]!.body).toEqual({
      model: 'krea/krea-wan-14b/text-to-video',
      prompt: 'a lighthouse at dusk',
      num_frames: 78,
      enable_prompt_expansion: true,
      seed: 1,
    });
    expect(await aimlapi.adapter.status(operation, ctx)).toEqual({ raw_status: 'generating' });
    const done = await aimlapi.adapter.status(operation, ctx);
    expect(done.raw_status).toBe('completed');
    expect(done.videos).toEqual([{ url: expect.stringMatching(/^http:\/\/emulator\.test\/files\/.+\.mp4$/), content_type: 'video/mp4' }]);
  });

  it('accepts every body the adapter builds for the Kling models', async () => {
    const emulator = createAimlapiEmulator();
    const ctx = contextFor(emulator);
    await aimlapi.adapter.start(request('klingai/v2.5-turbo/pro/text-to-video', { duration: 10, aspect_ratio: '1:1' }), ctx);
    await aimlapi.adapter.start(request('klingai/v2.5-turbo/pro/image-to-video', { duration: 5, start_image: 'data:image/png;base64,AAAA' }), ctx);
    expect(emulator.control.requests.map((recorded) => recorded.kind)).toEqual(['create', 'create']);
  });

  it('reports the emulated {detail} failure through the adapter', async () => {
    const emulator = createAimlapiEmulator();
    const ctx = contextFor(emulator);
    const { operation } = await aimlapi.adapter.start(request('krea/krea-wan-14b/text-to-video', {}, 'a cat [fail:detail]'), ctx);
    await aimlapi.adapter.status(operation, ctx);
    expect(await aimlapi.adapter.status(operation, ctx)).toEqual({
      raw_status: 'error',
      error: { code: 'moderation_error', message: 'body.prompt: The prompt was flagged by content moderation (emulated)' },
    });
  });
});
