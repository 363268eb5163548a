/**
 * Frame-counted durations (DESIGN §3): `frames = step * n + offset` within the rule's bounds, played
 * at `fps`. Seconds become the nearest allowed count (ties round up) and are never clamped: a count
 * outside the bounds is refused. The one implementation, used by validation, the listing and tests.
 */
import type { FramesRule } from '../../providers/types.ts';

/** Whether `frames` is a count the rule allows: an integer `step * n + offset` within the bounds. */
export function isValidFrameCount(frames: number, rule: FramesRule): boolean {
  return Number.isInteger(frames) && frames >= rule.min_frames && frames <= rule.max_frames && (frames - rule.offset) % rule.step === 0;
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
