/** The pool random ids are drawn from: fresh bytes on every call, refilled when it runs out. */
import { describe, expect, it } from 'vitest';
import { randomBytes } from '../../../src/security/random-pool.ts';
import { newJobId } from '../../../src/jobs/job-ids.ts';

describe('randomBytes', () => {
  it('hands out bytes once each, across refills of the pool', () => {
    const draws = Array.from({ length: 2_000 }, () => Array.from(randomBytes(20)).join(','));
    expect(new Set(draws).size).toBe(draws.length);
    const values = new Set(draws.flatMap((draw) => draw.split(',')));
    expect(values.size).toBe(256);
  });

  it('refuses more than the pool holds rather than repeating bytes', () => {
    expect(() => randomBytes(4_097)).toThrow(RangeError);
    expect(randomBytes(4_096)).toHaveLength(4_096);
  });

  it('makes job ids of 160 random bits after the time', () => {
    const ids = Array.from({ length: 1_000 }, () => newJobId(1_796_296_372_073));
    for (const id of ids) expect(id).toMatch(/^job_[A-Za-z0-9_-]{37}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.slice(0, 14))).size).toBe(1);
    expect(new Set(ids.map((id) => id.slice(14))).size).toBe(ids.length);
  });

  it('makes job ids that compare as their creation times do', () => {
    // Across every place a character of the time rolls over, and the ends of the range.
    const times = [0, 1, 9, 10, 31, 32, 33, 1_023, 1_024, 1_796_296_372_073, 1_796_296_372_074, 2 ** 49, 2 ** 50 - 2, 2 ** 50 - 1];
    const ids = times.map((time) => newJobId(time));
    expect([...ids].sort()).toEqual(ids);
    // Out of the range: clamped, never a longer or shorter id.
    expect(newJobId(-5).slice(0, 14)).toBe('job_0000000000');
    expect(newJobId(2 ** 52).slice(0, 14)).toBe('job_vvvvvvvvvv');
    expect(newJobId(2 ** 52)).toMatch(/^job_[A-Za-z0-9_-]{37}$/);
  });
});
