/**
 * Applying a model's duration rule to requested seconds. Values and ranges are accepted as-is or
 * rejected; frame-counted models round to the nearest allowed frame count (DESIGN §3) and report
 * the applied length when it differs.
 */
import type { DurationRule, JobWarning } from '../../providers/types.ts';
import { unsupported } from '../errors.ts';

export interface AppliedDuration {
  seconds: number;
  warning?: JobWarning;
}

/** Frame count for seconds under a frames rule: `step*n + offset`, n rounded to nearest (ties up). */
export function framesForSeconds(seconds: number, rule: Extract<DurationRule, { kind: 'frames' }>): number {
  const n = Math.round((seconds * rule.fps - rule.offset) / rule.step);
  return rule.step * n + rule.offset;
}

export function secondsForFrames(frames: number, rule: Extract<DurationRule, { kind: 'frames' }>): number {
  return frames / rule.fps;
}

/** The default length in seconds, if the rule has one. */
export function defaultDuration(rule: DurationRule): number | undefined {
  return rule.kind === 'frames' ? secondsForFrames(rule.default_frames, rule) : rule.default;
}

export function describeDurationRule(rule: DurationRule): string {
  switch (rule.kind) {
    case 'values':
      return `${rule.values.join(', ')} seconds`;
    case 'range':
      return `${rule.min ?? 0}–${rule.max ?? '∞'} seconds`;
    case 'frames': {
      const min = secondsForFrames(rule.min_frames, rule);
      const max = secondsForFrames(rule.max_frames, rule);
      return `${min}–${max} seconds (${rule.min_frames}–${rule.max_frames} frames in steps of ${rule.step} at ${rule.fps} fps)`;
    }
  }
}

export function applyDuration(seconds: number, rule: DurationRule, model: string): AppliedDuration {
  const reject = () =>
    unsupported('unsupported_duration', `${model} supports durations of ${describeDurationRule(rule)}; got ${seconds}.`, 'duration');
  switch (rule.kind) {
    case 'values':
      if (!rule.values.includes(seconds)) throw reject();
      return { seconds };
    case 'range':
      if ((rule.min !== undefined && seconds < rule.min) || (rule.max !== undefined && seconds > rule.max)) throw reject();
      return { seconds };
    case 'frames':
      return applyFrames(seconds, rule, reject);
  }
}

function applyFrames(seconds: number, rule: Extract<DurationRule, { kind: 'frames' }>, reject: () => Error): AppliedDuration {
  const frames = framesForSeconds(seconds, rule);
  if (frames < rule.min_frames || frames > rule.max_frames) throw reject();
  const applied = secondsForFrames(frames, rule);
  if (applied === seconds) return { seconds };
  return {
    seconds: applied,
    warning: {
      code: 'duration_adjusted',
      field: 'duration',
      message: `This model counts length in frames (${rule.step}n+${rule.offset} at ${rule.fps} fps); ${seconds} s became ${frames} frames = ${applied} s.`,
      requested: seconds,
      applied,
    },
  };
}
