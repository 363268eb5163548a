import { describe, expect, it } from 'vitest';
import { errorMessage, jobFailure } from '../../../providers/krea/errors.ts';
import { krea } from '../../../providers/krea/with-routes.ts';
import { statuses } from '../../../providers/krea/status-table.ts';
import { failureKind } from '../../../src/upstream/failures.ts';

describe('Krea status table', () => {
  it('maps all nine documented statuses and nothing else', () => {
    expect(Object.fromEntries(statuses)).toEqual({
      backlogged: 'queued',
      queued: 'queued',
      scheduled: 'queued',
      processing: 'in_progress',
      sampling: 'in_progress',
      'intermediate-complete': 'in_progress',
      completed: 'completed',
      failed: 'failed',
      cancelled: 'cancelled',
    });
  });
});

describe('Krea HTTP failures (the shared table, unchanged)', () => {
  it.each([
    [400, 'invalid_request'],
    [422, 'invalid_request'],
    [401, 'auth'],
    [403, 'auth'],
    [402, 'out_of_credits'],
    [404, 'not_found'],
    [408, 'timeout'],
    [504, 'timeout'],
    [429, 'rate_limited'],
    [500, 'unavailable'],
    [502, 'unavailable'],
    [503, 'unavailable'],
    [409, 'invalid_request'],
    [418, 'invalid_request'],
  ] as const)('reads HTTP %i as %s', (status, kind) => {
    expect(failureKind(krea, status)).toBe(kind);
  });

  it("keeps Krea's own message, and finds none in a body without one", () => {
    expect(errorMessage({ error: 'You have run out of credits' })).toBe('You have run out of credits');
    expect(errorMessage('')).toBeUndefined();
    expect(errorMessage({ unrelated: true })).toBeUndefined();
  });
});

describe('errorMessage', () => {
  it('reads `error` as a string or an object with a message, then `message`', () => {
    expect(errorMessage({ error: 'The request body is invalid' })).toBe('The request body is invalid');
    expect(errorMessage({ error: { code: 'x', message: 'nested' } })).toBe('nested');
    expect(errorMessage({ message: 'plain' })).toBe('plain');
    expect(errorMessage('Bad Gateway')).toBe('Bad Gateway');
    expect(errorMessage(null)).toBeUndefined();
  });

  it('appends validation details from detail, details, errors or issues', () => {
    expect(errorMessage({ detail: [{ loc: ['body', 'duration'], msg: 'must be 5 or 10' }] })).toBe('body.duration: must be 5 or 10');
    expect(errorMessage({ error: 'Invalid', details: [{ path: ['mode'], message: 'expected "pro"' }] })).toBe('Invalid: mode: expected "pro"');
    expect(errorMessage({ errors: [{ field: 'seed', message: 'too big' }, 'second'] })).toBe('seed: too big; second');
    expect(errorMessage({ issues: [{ message: 'Unrecognized key: "foo"' }] })).toBe('Unrecognized key: "foo"');
    expect(errorMessage({ detail: 'Not authenticated' })).toBe('Not authenticated');
  });
});

describe('jobFailure', () => {
  it('prefers the top-level error object', () => {
    expect(jobFailure({ error: { code: 'nsfw', message: 'flagged' }, result: { error: 'other' } })).toEqual({ code: 'nsfw', message: 'flagged' });
  });

  it('falls back to result.error as a string or an object', () => {
    expect(jobFailure({ result: { error: 'content moderation' } })).toEqual({ message: 'content moderation' });
    expect(jobFailure({ error: null, result: { error: { message: 'timed out' } } })).toEqual({ message: 'timed out' });
    expect(jobFailure({ error: {}, result: { error: 'used when error has nothing to say' } })).toEqual({
      message: 'used when error has nothing to say',
    });
  });

  it('uses a bare code as the message and gives up on nothing', () => {
    expect(jobFailure({ error: { code: 'ip_detected' } })).toEqual({ code: 'ip_detected', message: 'ip_detected' });
    expect(jobFailure({ result: null })).toBeUndefined();
    expect(jobFailure({ result: {} })).toBeUndefined();
  });
});
