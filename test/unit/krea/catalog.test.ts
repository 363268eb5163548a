import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reduceRatio } from '../../../providers/krea/catalog.ts';
import { kreaModels, kreaRoutes } from '../../../providers/krea/with-routes.ts';

/** The wire spelling a Krea model carries in its descriptor. */
const kreaWire = (id: string) => kreaModels.find((model) => model.id === id)?.wire;
import { buildRoutes, renderRoutes } from '../../../providers/krea/generate-catalog.ts';
import type { ModelDescriptor } from '../../../providers/types.ts';

const OPENAPI_URL = new URL('../../../providers/krea/krea-openapi.json', import.meta.url);
const GENERATED_URL = new URL('../../../providers/krea/routes.generated.json', import.meta.url);

function model(id: string): ModelDescriptor {
  const found = kreaModels.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no model ${id}`);
  return found;
}

describe('routes.generated.json', () => {
  it('is exactly what the generator produces from krea-openapi.json', () => {
    const openapi: unknown = JSON.parse(readFileSync(OPENAPI_URL, 'utf8'));
    const committed = readFileSync(GENERATED_URL, 'utf8');
    expect(JSON.parse(committed)).toEqual(buildRoutes(openapi));
    expect(committed).toBe(renderRoutes(buildRoutes(openapi)));
  });

  it('keeps every video route and no other route', () => {
    const openapi = JSON.parse(readFileSync(OPENAPI_URL, 'utf8')) as { paths: Record<string, unknown> };
    const videoPaths = Object.keys(openapi.paths).filter((path) => path.startsWith('/generate/video/'));
    expect(videoPaths).toHaveLength(31);
    expect(kreaRoutes.map((route) => `/generate/video/${route.id}`).sort()).toEqual(videoPaths.sort());
  });

  it('removes description and example keywords but keeps properties that happen to use those names', () => {
    const routes = buildRoutes({
      paths: {
        '/generate/video/acme/demo': {
          post: {
            summary: 'Demo',
            requestBody: {
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    description: 'dropped',
                    example: { prompt: 'dropped' },
                    properties: { description: { type: 'string', description: 'dropped' }, n: { type: 'number', example: 3 } },
                  },
                },
              },
            },
          },
        },
        '/generate/image/acme/other': { post: { summary: 'Not a video route' } },
      },
    });
    expect(routes).toEqual([
      {
        id: 'acme/demo',
        title: 'Demo',
        schema: { type: 'object', properties: { description: { type: 'string' }, n: { type: 'number' } } },
      },
    ]);
  });
});

describe('Krea catalog', () => {
  it('offers a model for each of the 31 video routes, titled by the route summary', () => {
    expect(kreaModels).toHaveLength(31);
    expect(new Set(kreaModels.map((entry) => entry.id)).size).toBe(31);
    for (const route of kreaRoutes) {
      expect(model(route.id).title).toBe(route.title);
      expect(kreaWire(route.id)).toBeDefined();
    }
  });

  it('describes kling/kling-2.5 as 5 or 10 seconds, three aspect ratios, mode pro, start and end frames, no seed', () => {
    const { title, capabilities } = model('kling/kling-2.5');
    expect(title).toBe('Kling 2.5');
    expect(capabilities).toMatchObject({
      duration: { kind: 'values', values: [5, 10], default: 5 },
      aspect_ratios: ['16:9', '9:16', '1:1'],
      resolutions: null,
      modes: ['pro'],
      start_image: 'optional',
      end_image: true,
      generate_audio: false,
      enhance_prompt: false,
      seed: null,
      defaults: { duration: 5, aspect_ratio: '16:9', mode: 'pro' },
    });
  });

  it('describes google/veo-3.1 with 4/6/8 seconds, lower-case 4k, audio and an end frame', () => {
    const { capabilities } = model('google/veo-3.1');
    expect(capabilities).toMatchObject({
      duration: { kind: 'values', values: [4, 6, 8], default: 8 },
      aspect_ratios: ['16:9', '9:16'],
      resolutions: ['720p', '1080p', '4k'],
      generate_audio: true,
      end_image: true,
      seed: null,
      defaults: { duration: 8, aspect_ratio: '16:9', resolution: '720p', generate_audio: false },
    });
    expect(kreaWire('google/veo-3.1')?.values.resolution).toEqual({ '720p': '720p', '1080p': '1080p', '4k': '4K' });
    expect(Object.keys(capabilities.provider_options.properties as object)).toContain('reference_images');
  });

  it('describes minimax/hailuo-2.3 without aspect ratios, with 768p/1080p and prompt enhancement', () => {
    const { capabilities } = model('minimax/hailuo-2.3');
    expect(capabilities).toMatchObject({
      duration: { kind: 'values', values: [6, 10], default: 6 },
      aspect_ratios: null,
      resolutions: ['768p', '1080p'],
      enhance_prompt: true,
      end_image: true,
      defaults: { duration: 6, resolution: '768p', enhance_prompt: true },
    });
    expect(kreaWire('minimax/hailuo-2.3')?.fields.enhance_prompt).toBe('expand_prompt');
  });

  it('describes alibaba/wan-2.5 with a 5–10 second range, a seed and no end frame', () => {
    const { capabilities } = model('alibaba/wan-2.5');
    expect(capabilities).toMatchObject({
      prompt: { min_length: 1 },
      duration: { kind: 'range', min: 5, max: 10, default: 5 },
      resolutions: ['480p', '720p', '1080p'],
      seed: {},
      end_image: false,
      generate_audio: true,
      enhance_prompt: true,
      defaults: { enhance_prompt: true, generate_audio: false, resolution: '1080p' },
    });
    expect(kreaWire('alibaba/wan-2.5')?.fields.enhance_prompt).toBe('enable_prompt_expansion');
  });

  it('advertises exactly the seed bounds each route schema states, and none where it states none', () => {
    const seed = (id: string) => model(id).capabilities.seed;
    for (const id of ['alibaba/wan-2.5', 'runway/gen-3', 'runway/gen-4-video', 'runway/gen-4.5']) expect(seed(id), id).toEqual({});
    expect(seed('runway/aleph')).toEqual({ min: 0, max: 4294967295 });
    expect(seed('lightricks/ltx-video-2.3-22b')).toEqual({ min: 0, max: 2147483647 });
  });

  it('reduces runway/gen-4.5 pixel ratios and maps them back to Krea spelling', () => {
    const { capabilities } = model('runway/gen-4.5');
    expect(capabilities.aspect_ratios).toEqual(['16:9', '9:16', '69:52', '52:69', '1:1', '33:14', '14:33']);
    expect(capabilities.defaults.aspect_ratio).toBe('16:9');
    expect(capabilities.duration).toEqual({ kind: 'range', min: 2, max: 10, default: 5 });
    expect(kreaWire('runway/gen-4.5')?.values.aspect_ratio).toMatchObject({ '16:9': '1280:720', '1:1': '960:960', '69:52': '1104:832' });
  });

  it('maps the aspect ratio of runway/aleph onto its `ratio` property', () => {
    const wire = kreaWire('runway/aleph');
    expect(wire?.fields.aspect_ratio).toBe('ratio');
    expect(wire?.values.aspect_ratio?.['4:3']).toBe('640:480');
    expect(model('runway/aleph').capabilities.provider_options).toMatchObject({ required: ['init_video'] });
  });

  it('requires width and height in the provider options of alibaba/wan-2.1', () => {
    const options = model('alibaba/wan-2.1').capabilities.provider_options;
    expect(options).toMatchObject({ type: 'object', required: ['width', 'height'], additionalProperties: false });
    expect(Object.keys(options.properties as object).sort()).toEqual(['end_video', 'frame_num', 'height', 'start_video', 'styles', 'width']);
  });

  it('flattens the nested anyOf of LTX durations and reads its integer seed bounds', () => {
    const { capabilities } = model('lightricks/ltx-video-2.3-22b');
    expect(capabilities.duration).toEqual({ kind: 'values', values: [5, 10, 15, 20], default: 5 });
    expect(capabilities.seed).toEqual({ min: 0, max: 2147483647 });
    expect(capabilities.defaults.generate_audio).toBe(true);
  });

  it('reads a bare number duration as an open range and a const duration as one value', () => {
    expect(model('bytedance/seedance-1.0-pro').capabilities.duration).toEqual({ kind: 'range', default: 5 });
    expect(model('kling/kling-2').capabilities.duration).toEqual({ kind: 'values', values: [5], default: 5 });
    expect(model('minimax/hailuo').capabilities.duration).toBeNull();
  });

  it('offers start_video as a provider option on every model and never a mapped field', () => {
    const mapped = ['prompt', 'duration', 'aspect_ratio', 'ratio', 'resolution', 'mode', 'start_image', 'end_image', 'seed'];
    for (const { id, capabilities } of kreaModels) {
      const properties = Object.keys(capabilities.provider_options.properties as object);
      expect(properties, id).toContain('start_video');
      expect(properties.filter((name) => mapped.includes(name)), id).toEqual([]);
    }
  });

  it('keeps aspect ratio and resolution maps one-to-one so every gateway value has one Krea spelling', () => {
    for (const { id } of kreaModels) {
      for (const map of Object.values(kreaWire(id)!.values)) {
        expect(new Set(Object.values(map)).size, id).toBe(Object.keys(map).length);
      }
    }
  });

  it('reduces ratios by their greatest common divisor', () => {
    expect(reduceRatio('1280:720')).toBe('16:9');
    expect(reduceRatio('960:960')).toBe('1:1');
    expect(reduceRatio('1104:832')).toBe('69:52');
    expect(reduceRatio('16:9')).toBe('16:9');
    expect(reduceRatio('wide')).toBe('wide');
  });

  it('keeps ratios people write as written and reduces only pixel ratios', () => {
    const seedance = kreaModels.find((model) => model.id === 'bytedance/seedance-1.0-pro')!;
    expect(seedance.capabilities.aspect_ratios).toEqual(['1:1', '16:9', '9:16', '4:3', '3:4', '21:9', '9:21']);
    const gen45 = kreaModels.find((model) => model.id === 'runway/gen-4.5')!;
    expect(gen45.capabilities.aspect_ratios).toContain('16:9');
    expect(kreaWire('runway/gen-4.5')!.values.aspect_ratio!['16:9']).toBe('1280:720');
  });
});
