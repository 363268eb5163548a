/**
 * Sending webhooks from the outbox (DESIGN §6 "Webhooks"): signed per Standard Webhooks with
 * `WEBHOOK_SECRET`, one job's deliveries in order, retried under the same `webhook-id` after each
 * wait of the schedule when the receiver answers non-2xx, times out (10 s) or cannot be reached;
 * a 410 stops at once. The URL rules are applied again at every attempt (DNS can change; on Node
 * the connection itself only goes to checked addresses). Redirects are not followed.
 */
import type { LifecycleDeps } from '../lifecycle.ts';
import type { WebhookDeliveryOutcome } from '../../metrics/gateway-metrics.ts';
import { checkUrl } from '../../security/url-rules.ts';
import type { DeliveryAttempt, WebhookDelivery } from '../store/job-store.ts';
import { webhookSignature } from './signature.ts';

/** A receiver gets this long to answer. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** A sender holds a delivery this long: the attempt's timeout, so a dead sender's attempt is retried soon after. */
export const DELIVERY_LEASE_MS = 10_000;

export interface WebhookDeps extends LifecycleDeps {
  /** The fetch webhooks go out through (on Node: one that refuses private addresses at connect time). */
  webhookFetch: typeof fetch;
}

/** Sends one leased delivery and writes the outcome (the lease released). */
export async function deliverLeased(deps: WebhookDeps, leased: WebhookDelivery): Promise<WebhookDelivery> {
  const now = deps.now();
  const attempt = await attemptDelivery(deps, leased, now);
  const next = afterAttempt(deps, leased, attempt, now);
  const written = await deps.store.replaceDelivery(next);
  deps.log('webhook_attempt', { job_id: leased.jobId, webhook_id: leased.id, webhook_event: leased.event, status: attempt.status ?? null, error: attempt.error ?? null, state: next.state });
  deps.metrics.webhookDelivery(attemptOutcome(next));
  return written ?? next;
}

/** What the attempt came to: the delivery's state after it. */
function attemptOutcome(after: WebhookDelivery): WebhookDeliveryOutcome {
  if (after.state === 'delivered') return 'delivered';
  return after.state === 'failed' ? 'given_up' : 'failed_attempt';
}

async function attemptDelivery(deps: WebhookDeps, delivery: WebhookDelivery, now: number): Promise<DeliveryAttempt> {
  // Queued while a secret was set; unsigned webhooks are never sent, so this waits for it to be set again.
  if (!deps.config.webhooks.secret) return { at: now, error: 'not sent: WEBHOOK_SECRET is not set' };
  const checked = checkUrl(delivery.url, { allowedPrivateHosts: deps.config.allowedPrivateHosts });
  if (!checked.ok) return { at: now, error: `not sent: the URL is not safe (${checked.reason})` };
  try {
    const response = await deps.webhookFetch(checked.url.href, {
      method: 'POST',
      headers: signedHeaders(deps, delivery, now),
      body: delivery.payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return { at: now, status: response.status };
  } catch (error) {
    return { at: now, error: describeFailure(error) };
  }
}

function signedHeaders(deps: WebhookDeps, delivery: WebhookDelivery, now: number): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  return {
    'content-type': 'application/json',
    'user-agent': 'vidgate-webhooks',
    'webhook-id': delivery.id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': webhookSignature(deps.config.webhooks.secret!, delivery.id, timestamp, delivery.payload),
  };
}

/** Delivered on a 2xx; given up on a 410 or when the schedule is spent; otherwise due again after the next wait. */
function afterAttempt(deps: WebhookDeps, delivery: WebhookDelivery, attempt: DeliveryAttempt, now: number): WebhookDelivery {
  const attempts = [...delivery.attempts, attempt];
  const released = { ...delivery, attempts, leaseHolder: null, leaseUntil: 0 };
  if (attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300) return { ...released, state: 'delivered', nextAttemptAt: null };
  const wait = deps.config.webhooks.retryScheduleMs[attempts.length - 1];
  if (attempt.status === 410 || wait === undefined) return { ...released, state: 'failed', nextAttemptAt: null };
  return { ...released, state: 'pending', nextAttemptAt: now + wait };
}

function describeFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s`;
  const code = errorCode(error);
  return code ? `the connection failed (${code})` : 'the connection failed';
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const candidate = current as { code?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string') return candidate.code;
    current = candidate.cause;
  }
  return undefined;
}
