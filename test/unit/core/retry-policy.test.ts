import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors.ts';
import { DEFAULT_POLICY, isRetryable, nextDelay, parseRetryAfter } from '../../../src/upstream/retry-policy.ts';

const error = (retryable: boolean, jobNotStarted: boolean) => new GatewayError({ status: 503, code: 'x', message: 'x', retryable, jobNotStarted });

describe('the retry policy', () => {
  it('retries polls on retryable failures', () => {
    expect(isRetryable('poll', error(true, false))).toBe(true);
    expect(isRetryable('poll', error(false, false))).toBe(false);
  });

  it('retries a create only when the provider provably started no job', () => {
    expect(isRetryable('create', error(true, false))).toBe(false);
    expect(isRetryable('create', error(true, true))).toBe(true);
  });

  it('backs off exponentially with full jitter, capped', () => {
    const policy = { ...DEFAULT_POLICY, attempts: 10, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(nextDelay(1, undefined, policy, () => 1)).toBe(100);
    expect(nextDelay(3, undefined, policy, () => 1)).toBe(400);
    expect(nextDelay(8, undefined, policy, () => 1)).toBe(1_000);
    expect(nextDelay(3, undefined, policy, () => 0)).toBe(0);
  });

  it('honours Retry-After, and gives up when it exceeds the longest wait', () => {
    expect(nextDelay(1, 1_500, DEFAULT_POLICY)).toBe(1_500);
    expect(nextDelay(1, 30_000, DEFAULT_POLICY)).toBeUndefined();
  });

  it('stops after the last attempt', () => {
    expect(nextDelay(DEFAULT_POLICY.attempts, undefined, DEFAULT_POLICY)).toBeUndefined();
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3', 0)).toBe(3_000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(null, 0)).toBeUndefined();
  });
});
