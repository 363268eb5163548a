import { describe, expect, it } from 'vitest';
import { providers } from '../../../providers/index.ts';
import { applyCapabilities } from '../../../src/capabilities/apply.ts';
import { validateProviderOptions } from '../../../src/capabilities/provider-options.ts';
import { createModelIndex } from '../../../src/router.ts';

const index = createModelIndex(providers);
const apply = (model: string, fields: Record<string, unknown>) =>
  applyCapabilities({ model, prompt: 'p', ...fields } as never, index.target(model)!.model, model);

describe('applying capabilities', () => {
  it('fills in the documented defaults so the job states what was asked for', () => {
    expect(apply('krea/kling/kling-2.5', {}).input).toEqual({ prompt: 'p', duration: 5, aspect_ratio: '16:9', mode: 'pro' });
    expect(apply('aimlapi/krea/krea-wan-14b/text-to-video', {}).input).toEqual({ prompt: 'p', duration: 4.875, enhance_prompt: true });
  });

  it('matches aspect ratios by value and applies the model’s spelling', () => {
    expect(apply('krea/kling/kling-2.5', { aspect_ratio: '1920:1080' }).input.aspect_ratio).toBe('16:9');
    expect(apply('krea/bytedance/seedance-1.0-pro', { aspect_ratio: '7:3' }).input.aspect_ratio).toBe('21:9');
    expect(apply('krea/runway/gen-4-video', { aspect_ratio: '16:9' }).input.aspect_ratio).toBe('16:9');
  });

  it('matches resolutions case-insensitively', () => {
    expect(apply('krea/google/veo-3.1', { resolution: '4K' }).input.resolution).toBe('4k');
  });

  it('accepts false for a feature the model lacks and leaves it out', () => {
    expect(apply('krea/kling/kling-2.5', { generate_audio: false }).input).not.toHaveProperty('generate_audio');
    expect(() => apply('krea/kling/kling-2.5', { generate_audio: true })).toThrow(/does not accept `generate_audio`/);
  });

  it('checks seeds against the model’s bounds', () => {
    expect(apply('krea/alibaba/wan-2.5', { seed: 7 }).input.seed).toBe(7);
    expect(() => apply('krea/lightricks/ltx-video-2.3-22b', { seed: 2 ** 31 })).toThrow(/seeds from 0 to 2147483647/);
  });

  it('enforces a route’s prompt limit', () => {
    expect(() => apply('krea/kling/kling-3.0', { prompt: 'x'.repeat(2501) })).toThrow(/at most 2500 characters/);
  });
});

const NO_PRIVATE_HOSTS = { allowedPrivateHosts: [] };

describe('provider options', () => {
  const hailuo = index.target("krea/minimax/hailuo")!.model;

  it('are forwarded exactly as sent, without the schema defaults', () => {
    expect(validateProviderOptions({ camera_control: ['pan'] }, hailuo, 'krea', 'krea/minimax/hailuo', NO_PRIVATE_HOSTS)).toEqual({ camera_control: ['pan'] });
    expect(validateProviderOptions(undefined, hailuo, 'krea', 'krea/minimax/hailuo', NO_PRIVATE_HOSTS)).toEqual({});
  });

  it('are rejected with the offending path when invalid', () => {
    expect(() => validateProviderOptions({ model: 'video-99' }, hailuo, 'krea', 'krea/minimax/hailuo', NO_PRIVATE_HOSTS)).toThrow(
      expect.objectContaining({ status: 422, code: 'invalid_provider_option', param: 'provider_options.krea.model' }),
    );
  });
});
