import { describe, expect, it } from 'vitest';
import { createProviderContext } from '../../../src/upstream/provider-context.ts';
import { createKreaEmulator } from '../../../providers/krea/emulator.ts';
import { krea } from '../../../providers/krea/index.ts';
import type { ModelCapabilities, ModelDescriptor, ProviderContext, VideoInput } from '../../../providers/types.ts';

const ORIGIN = 'http://emulator.test';
/** Values for the provider options some routes require. */
const REQUIRED_OPTIONS: Record<string, unknown> = { width: 1280, height: 720, init_video: 'https://example.com/in.mp4' };

function emulatorContext(): ProviderContext {
  const emulator = createKreaEmulator({ apiKey: 'emulator-key' });
  return createProviderContext({
    provider: krea,
    apiKey: 'emulator-key',
    baseUrl: ORIGIN,
    fetch: async (input, init) => emulator.app.fetch(new Request(input, init)),
    sleep: () => Promise.resolve(),
  });
}

function lastOf<T>(values: T[] | null): T | undefined {
  return values ? values.at(-1) : undefined;
}

function duration(rule: ModelCapabilities['duration']): number | undefined {
  if (!rule || rule.kind === 'frames') return undefined;
  return rule.kind === 'values' ? rule.values.at(-1) : (rule.max ?? rule.default);
}

/** The fullest request a model's capabilities allow: every supported field set, last listed values. */
function fullestInput({ capabilities: caps }: ModelDescriptor): VideoInput {
  const input: VideoInput = { ...caps.defaults, prompt: 'a lighthouse at dusk' };
  const entries: [keyof VideoInput, unknown][] = [
    ['duration', duration(caps.duration)],
    ['aspect_ratio', lastOf(caps.aspect_ratios)],
    ['resolution', lastOf(caps.resolutions)],
    ['mode', lastOf(caps.modes)],
    ['start_image', caps.start_image ? 'https://example.com/start.jpg' : undefined],
    ['end_image', caps.end_image ? 'https://example.com/end.jpg' : undefined],
    ['generate_audio', caps.generate_audio ? true : undefined],
    ['enhance_prompt', caps.enhance_prompt ? false : undefined],
    ['seed', caps.seed ? caps.seed.max : undefined],
  ];
  for (const [field, value] of entries) if (value !== undefined) Object.assign(input, { [field]: value });
  return input;
}

function requiredOptions({ capabilities }: ModelDescriptor): Record<string, unknown> {
  const required = (capabilities.provider_options.required ?? []) as string[];
  return Object.fromEntries(required.map((name) => [name, REQUIRED_OPTIONS[name]]));
}

describe('Krea adapter against the Krea emulator', () => {
  it.each(krea.models.map((model) => [model.id, model] as const))(
    'sends %s a request its route schema accepts and reads the finished video back',
    async (_id, model) => {
      const ctx = emulatorContext();
      const started = await krea.adapter.start({ model, input: fullestInput(model), options: requiredOptions(model) }, ctx);
      expect(started.state?.raw_status).toBe('queued');
      let state = await krea.adapter.status(started.operation, ctx);
      for (let polls = 1; state.raw_status !== 'completed' && polls < 10; polls++) {
        expect(krea.statusTable[state.raw_status]).toBeDefined();
        state = await krea.adapter.status(started.operation, ctx);
      }
      expect(state.videos).toEqual([{ url: expect.stringMatching(/^http:\/\/emulator\.test\/files\/.+\.mp4$/), content_type: 'video/mp4' }]);
    },
  );

  it('reads both failure locations and the cancelled ending from emulated jobs', async () => {
    const model = krea.models.find((candidate) => candidate.id === 'kling/kling-2.5')!;
    const endings: [string, unknown][] = [
      ['[fail]', { raw_status: 'failed', error: { code: 'internal_error', message: 'Generation failed (emulated)' } }],
      ['[fail:result]', { raw_status: 'failed', error: { message: 'content moderation (emulated)' } }],
      ['[fail:moderation]', { raw_status: 'failed', error: { code: 'nsfw', message: expect.any(String) } }],
      ['[cancel]', { raw_status: 'cancelled' }],
    ];
    for (const [directive, expected] of endings) {
      const ctx = emulatorContext();
      const { operation } = await krea.adapter.start({ model, input: { prompt: `a cat ${directive}` }, options: {} }, ctx);
      let state = await krea.adapter.status(operation, ctx);
      while (state.raw_status !== 'failed' && state.raw_status !== 'cancelled') state = await krea.adapter.status(operation, ctx);
      expect(state, directive).toEqual({ ...(expected as object), completed_at: expect.any(String) });
    }
  });
});
