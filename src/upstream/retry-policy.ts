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
  // An upload carries a file (up to MAX_IMAGE_BYTES) and so gets a create's time.
  return kind === 'create' || kind === 'upload' ? policy.createTimeoutMs : policy.pollTimeoutMs;
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

/** An HTTP date as senders must write it (IMF-fixdate, RFC 9110 §5.6.7): `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * `Retry-After` as milliseconds, or `undefined` for anything that is not delta-seconds or an
 * HTTP date (`soon-ish`, `-5`, a stray token): such a value is ignored, never passed on.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d{1,10}(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  if (!IMF_FIXDATE.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
