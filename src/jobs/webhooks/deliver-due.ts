/**
 * Sending one job's due webhooks where there is no outbox scan (a Worker's job alarm): its
 * deliveries go out in order, so only the first pending one may be sent; it is taken with a
 * compare-and-set lease, sent, and the next one considered, until one is not due yet.
 */
import type { WebhookDelivery } from '../store/job-store.ts';
import { DELIVERY_LEASE_MS, deliverLeased, type WebhookDeps } from './sender.ts';

/** A job queues a handful of deliveries at most between alarms; this bounds one alarm's work anyway. */
const MAX_PER_RUN = 16;

/** Sends the job's deliveries that are due now, in order; stops at the first that is not. */
export async function deliverDue(deps: WebhookDeps, jobId: string): Promise<void> {
  for (let sent = 0; sent < MAX_PER_RUN; sent++) {
    const first = (await deps.store.listDeliveries(jobId)).find((delivery) => delivery.state === 'pending');
    if (!first || !isDue(first, deps.now())) return;
    const leased = await deps.store.replaceDelivery({ ...first, leaseHolder: deps.instanceId, leaseUntil: deps.now() + DELIVERY_LEASE_MS });
    if (!leased) return; // Someone else took it.
    const outcome = await deliverLeased(deps, leased);
    if (outcome.state === 'pending') return; // Retried later: the next ones wait for it.
  }
}

function isDue(delivery: WebhookDelivery, now: number): boolean {
  return delivery.nextAttemptAt !== null && delivery.nextAttemptAt <= now && delivery.leaseUntil <= now;
}
