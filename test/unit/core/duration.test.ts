import { describe, expect, it } from 'vitest';
import type { DurationRule } from '../../../providers/types.ts';
import { applyDuration, defaultDuration } from '../../../src/capabilities/duration.ts';
import { framesForSeconds } from '../../../src/capabilities/frames.ts';
import { GatewayError } from '../../../src/errors.ts';

const wan14b: Extract<DurationRule, { kind: 'frames' }> = { kind: 'frames', fps: 16, step: 12, offset: 6, min_frames: 18, max_frames: 162, default_frames: 78 };

describe('the frames rule of DESIGN §3 (12n+6 frames at 16 fps)', () => {
  it.each([
    [5, 78, 4.875],
    [4.875, 78, 4.875],
    [1.125, 18, 1.125],
    [10.125, 162, 10.125],
    [1, 18, 1.125],
    [6, 102, 6.375],
    [10, 162, 10.125],
  ])('turns %s s into %s frames (%s s)', (seconds, frames, applied) => {
    expect(framesForSeconds(seconds, wan14b)).toBe(frames);
    expect(applyDuration(seconds, wan14b, 'm')).toMatchObject({ seconds: applied, frames });
  });

  it('rounds ties up: 5.25 s lies exactly between 78 and 90 frames and becomes 90', () => {
    // (5.25*16 - 6)/12 = 6.5 → n = 7 → 90 frames.
    expect(framesForSeconds(5.25, wan14b)).toBe(90);
  });

  it('warns with the requested and applied length when they differ', () => {
    expect(applyDuration(5, wan14b, 'm').warning).toMatchObject({ code: 'duration_adjusted', field: 'duration', requested: 5, applied: 4.875 });
    expect(applyDuration(4.875, wan14b, 'm').warning).toBeUndefined();
  });

  it.each([0.5, 0.7, 10.5, 11, 60])('rejects %s s with 422 unsupported_duration naming 1.125–10.125 s', (seconds) => {
    try {
      applyDuration(seconds, wan14b, 'wan');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({ status: 422, code: 'unsupported_duration', param: 'duration' });
      expect((error as Error).message).toContain('1.125–10.125 seconds');
    }
  });

  it('defaults to 78 frames, 4.875 s', () => {
    expect(defaultDuration(wan14b)).toEqual({ seconds: 4.875, frames: 78 });
  });
});

describe('value and range rules', () => {
  it('accepts only listed values, as they are', () => {
    const rule: DurationRule = { kind: 'values', values: [5, 10], default: 5 };
    expect(applyDuration(10, rule, 'm')).toEqual({ seconds: 10 });
    expect(() => applyDuration(7, rule, 'm')).toThrow(/5, 10 seconds/);
  });

  it('accepts any length within a range, never clamping', () => {
    const rule: DurationRule = { kind: 'range', min: 5, max: 10 };
    expect(applyDuration(7.5, rule, 'm')).toEqual({ seconds: 7.5 });
    expect(() => applyDuration(10.1, rule, 'm')).toThrow(/5–10 seconds/);
    expect(() => applyDuration(4, rule, 'm')).toThrow(GatewayError);
  });
});
