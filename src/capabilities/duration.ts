/**
 * Applying a model's duration rule to requested seconds. Values and ranges are accepted as-is or
 * rejected; frame-counted models round to the nearest allowed frame count (DESIGN §3), report the
 * applied length when it differs, and hand the count on so no one converts it again.
 */
import type { DurationRule, FramesRule, JobWarning } from '../../providers/types.ts';
import { unsupported } from '../errors.ts';
import { framesForSeconds, secondsForFrames } from './frames.ts';

export interface AppliedDuration {
  seconds: number;
  /** The frame count sent for frame-counted models. */
  frames?: number;
  warning?: JobWarning;
}

/** The default length, if the rule has one (for frame-counted models with its frame count). */
export function defaultDuration(rule: DurationRule): Omit<AppliedDuration, 'warning'> | undefined {
  if (rule.kind === 'frames') return { seconds: secondsForFrames(rule.default_frames, rule), frames: rule.default_frames };
  return rule.default === undefined ? undefined : { seconds: rule.default };
}

function describeDurationRule(rule: DurationRule): string {
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

function applyFrames(seconds: number, rule: FramesRule, reject: () => Error): AppliedDuration {
  const frames = framesForSeconds(seconds, rule);
  if (frames === undefined) throw reject();
  const applied = secondsForFrames(frames, rule);
  if (applied === seconds) return { seconds, frames };
  return {
    seconds: applied,
    frames,
    warning: {
      code: 'duration_adjusted',
      field: 'duration',
      message: `This model counts length in frames (${rule.step}n+${rule.offset} at ${rule.fps} fps); ${seconds} s became ${frames} frames = ${applied} s.`,
      requested: seconds,
      applied,
    },
  };
}
