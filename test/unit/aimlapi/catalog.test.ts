import { describe, expect, it } from 'vitest';
import { catalog, klingOptions, models, wanOptions } from '../../../providers/aimlapi/catalog.ts';
import { fromJsonSchema } from '../../../src/validation/json-schema.ts';

const byId = (id: string) => models.find((model) => model.id === id)!;

describe('aimlapi catalog', () => {
  it('serves the three models, one table entry each', () => {
    expect(models.map((model) => model.id)).toEqual([
      'krea/krea-wan-14b/text-to-video',
      'klingai/v2.5-turbo/pro/text-to-video',
      'klingai/v2.5-turbo/pro/image-to-video',
    ]);
    expect(catalog.map((entry) => entry.descriptor)).toEqual(models);
  });

  it('describes krea-wan-14b as frame-counted, with prompt expansion on and an integer seed', () => {
    const wan = byId('krea/krea-wan-14b/text-to-video');
    expect(wan.title).toBe('Krea Wan 14B (text-to-video)');
    expect(wan.capabilities).toEqual({
      prompt: {},
      duration: { kind: 'frames', fps: 16, step: 12, offset: 6, min_frames: 18, max_frames: 162, default_frames: 78 },
      aspect_ratios: null,
      resolutions: null,
      modes: null,
      start_image: null,
      end_image: false,
      generate_audio: false,
      enhance_prompt: true,
      seed: {},
      defaults: { duration: 4.875, enhance_prompt: true },
      provider_options: { type: 'object', properties: {}, additionalProperties: false },
    });
  });

  it('describes the Kling text-to-video model with 5 or 10 seconds and three aspect ratios', () => {
    const caps = byId('klingai/v2.5-turbo/pro/text-to-video').capabilities;
    expect(caps.duration).toEqual({ kind: 'values', values: [5, 10], default: 5 });
    expect(caps.aspect_ratios).toEqual(['16:9', '9:16', '1:1']);
    expect(caps.start_image).toBeNull();
    expect(caps).toMatchObject({ end_image: false, generate_audio: false, enhance_prompt: false, seed: null, resolutions: null, modes: null });
    expect(caps.defaults).toEqual({ duration: 5 });
  });

  it('describes the Kling image-to-video model as needing a first frame and taking no aspect ratio', () => {
    const caps = byId('klingai/v2.5-turbo/pro/image-to-video').capabilities;
    expect(caps.duration).toEqual({ kind: 'values', values: [5, 10], default: 5 });
    expect(caps.aspect_ratios).toBeNull();
    expect(caps.start_image).toBe('required');
    expect(caps).toMatchObject({ end_image: false, generate_audio: false, enhance_prompt: false, seed: null });
  });

  it('publishes the Kling extras as a closed JSON Schema without a $schema key', () => {
    for (const id of ['klingai/v2.5-turbo/pro/text-to-video', 'klingai/v2.5-turbo/pro/image-to-video']) {
      const schema = byId(id).capabilities.provider_options;
      expect(schema).not.toHaveProperty('$schema');
      expect(schema).toMatchObject({
        type: 'object',
        additionalProperties: false,
        properties: {
          negative_prompt: { type: 'string' },
          cfg_scale: { type: 'number', minimum: 0, maximum: 1 },
          provider: { type: 'string' },
        },
      });
      expect(schema).not.toHaveProperty('required');
    }
  });

  it('keeps the option schemas strict, as the gateway enforces them', () => {
    const kling = fromJsonSchema(klingOptions);
    expect(kling.safeParse({ cfg_scale: 0.5, provider: 'fal' }).success).toBe(true);
    expect(kling.safeParse({ cfg_scale: 1.5 }).success).toBe(false);
    expect(kling.safeParse({ guidance: 1 }).success).toBe(false);
    expect(fromJsonSchema(wanOptions).safeParse({ strength: 0.5 }).success).toBe(false);
    expect(wanOptions).toEqual({ type: 'object', properties: {}, additionalProperties: false });
  });

  it('maps gateway fields onto each model’s own body fields', () => {
    expect(Object.fromEntries(models.map((model) => [model.id, model.wire]))).toEqual({
      'krea/krea-wan-14b/text-to-video': { duration: 'num_frames', enhance_prompt: 'enable_prompt_expansion', seed: 'seed' },
      'klingai/v2.5-turbo/pro/text-to-video': { duration: 'duration', aspect_ratio: 'aspect_ratio' },
      'klingai/v2.5-turbo/pro/image-to-video': { duration: 'duration', start_image: 'image_url' },
    });
  });
});
