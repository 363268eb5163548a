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

  it('makes job ids of 160 random bits', () => {
    const ids = Array.from({ length: 1_000 }, newJobId);
    for (const id of ids) expect(id).toMatch(/^job_[A-Za-z0-9_-]{27}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
