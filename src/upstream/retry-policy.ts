/**
 * The one retry policy for upstream calls: 408/429/5xx/network/timeouts are retried with capped
 * exponential backoff and full jitter, honouring `Retry-After`. A create is retried only when the
 * provider provably did not start a job; anything else could bill the customer twice.
 */
import type { UpstreamCallKind } from '../../providers/types.ts';
import type { GatewayError } from '../errors.ts';

export interface UpstreamPolicy {
  /** Total attempts per call, including the first. */
  attempts: number;
  baseDelayMs: number;
  /** Longest single wait; a `Retry-After` beyond it is handed to the client instead. */
  maxDelayMs: number;
  createTimeoutMs: number;
  pollTimeoutMs: number;
}

export const DEFAULT_POLICY: UpstreamPolicy = {
  attempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 2_000,
  createTimeoutMs: 30_000,
  pollTimeoutMs: 10_000,
};

export function timeoutFor(kind: UpstreamCallKind, policy: UpstreamPolicy): number {
  return kind === 'create' ? policy.createTimeoutMs : policy.pollTimeoutMs;
}

/** Whether this failure may be retried at all, before counting attempts or delays. */
export function isRetryable(kind: UpstreamCallKind, error: GatewayError): boolean {
  if (!error.retryable) return false;
  return kind !== 'create' || error.jobNotStarted;
}

/**
 * Milliseconds to wait before the next attempt, or `undefined` to give up now (attempts used up,
 * or the provider asked for a longer wait than the policy allows).
 */
export function nextDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  policy: UpstreamPolicy,
  random: () => number = Math.random,
): number | undefined {
  if (attempt >= policy.attempts) return undefined;
  if (retryAfterMs !== undefined) return retryAfterMs <= policy.maxDelayMs ? retryAfterMs : undefined;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
