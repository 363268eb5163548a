import { describe, expect, it } from 'vitest';
import { WAN_FRAMES } from '../../../providers/aimlapi/catalog.ts';
import { framesForSeconds, isValidFrameCount, secondsForFrames, validFrameCounts } from '../../../src/capabilities/frames.ts';

const VALID_COUNTS = [18, 30, 42, 54, 66, 78, 90, 102, 114, 126, 138, 150, 162];

describe('krea-wan-14b frame rule', () => {
  it.each([
    [5, 78],
    [4.875, 78],
    [1.125, 18],
    [10.125, 162],
    [1, 18],
    [5.25, 90], // (84 - 6) / 12 = 6.5: a tie, which rounds up
    [0.75, 18], // (12 - 6) / 12 = 0.5: the lowest tie still reaches 18 frames
    [10.4999, 162],
  ])('turns %s s into %s frames', (seconds, frames) => {
    expect(framesForSeconds(seconds, WAN_FRAMES)).toBe(frames);
  });

  it.each([10.5, 11, 0.7499, 0.5, 0, -1])('rejects %s s because its frame count falls outside 18..162', (seconds) => {
    expect(framesForSeconds(seconds, WAN_FRAMES)).toBeUndefined();
  });

  it('lists exactly the thirteen documented counts', () => {
    expect(validFrameCounts(WAN_FRAMES)).toEqual(VALID_COUNTS);
  });

  it.each(VALID_COUNTS)('maps %s frames to seconds and back to the same count', (frames) => {
    const seconds = secondsForFrames(frames, WAN_FRAMES);
    expect(seconds).toBe(frames / 16);
    expect(framesForSeconds(seconds, WAN_FRAMES)).toBe(frames);
  });

  it('reports 78 frames as 4.875 seconds', () => {
    expect(secondsForFrames(78, WAN_FRAMES)).toBe(4.875);
  });

  it.each([6, 17, 19, 77, 79, 162.5, 174, 0])('does not count %s as a valid frame count', (frames) => {
    expect(isValidFrameCount(frames, WAN_FRAMES)).toBe(false);
  });
});
