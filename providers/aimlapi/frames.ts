/**
 * Frame-counted durations (AI/ML API `krea/krea-wan-14b/text-to-video`: `num_frames` must be
 * 12n+6 within 18..162, played at 16 fps — A-DOCS `Krea/krea-wan-14b-text-to-video.json`).
 * The conversion rule itself is the gateway's (DESIGN.md §3): round to the nearest allowed count,
 * ties up; never clamp.
 */
import type { DurationRule } from '../types.ts';

/** The `frames` variant of {@link DurationRule}. */
export type FramesRule = Extract<DurationRule, { kind: 'frames' }>;

/** Whether `frames` is a count the rule allows: an integer `step * n + offset` within the bounds. */
export function isValidFrameCount(frames: number, rule: FramesRule): boolean {
  return (
    Number.isInteger(frames) &&
    frames >= rule.min_frames &&
    frames <= rule.max_frames &&
    (frames - rule.offset) % rule.step === 0
  );
}

/**
 * The allowed frame count nearest to `seconds` (ties round up), or `undefined` when that count
 * falls outside the rule's bounds. 5 s → 78 frames; 10.5 s → 174 frames → `undefined`.
 */
export function framesForSeconds(seconds: number, rule: FramesRule): number | undefined {
  const n = Math.round((seconds * rule.fps - rule.offset) / rule.step);
  const frames = rule.step * n + rule.offset;
  return isValidFrameCount(frames, rule) ? frames : undefined;
}

/** How long `frames` plays, in seconds (78 frames at 16 fps → 4.875 s). */
export function secondsForFrames(frames: number, rule: FramesRule): number {
  return frames / rule.fps;
}

/** Every count the rule allows, ascending (18, 30, …, 162 for krea-wan-14b). */
export function validFrameCounts(rule: FramesRule): number[] {
  const first = Math.ceil((rule.min_frames - rule.offset) / rule.step);
  const counts: number[] = [];
  for (let n = first; rule.step * n + rule.offset <= rule.max_frames; n += 1) counts.push(rule.step * n + rule.offset);
  return counts;
}

/**
 * `num_frames` for a duration core already applied (`frames / fps` seconds). Anything that is not
 * an exact allowed count means core skipped the conversion; failing beats silently sending a
 * different length than the job reports.
 */
export function appliedFrames(seconds: number, rule: FramesRule): number {
  const frames = Math.round(seconds * rule.fps);
  if (!isValidFrameCount(frames, rule) || Math.abs(frames - seconds * rule.fps) > 1e-6) {
    throw new RangeError(`duration ${seconds}s is not an applied frame length (${rule.step}n+${rule.offset} frames at ${rule.fps} fps)`);
  }
  return frames;
}
