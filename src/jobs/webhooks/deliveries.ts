/** The delivery log of a job's webhooks (`GET …/webhook-deliveries`) and sending one again (`POST …/retry`). */
import { GatewayError } from '../../errors.ts';
import type { WebhookDeliveryView } from '../../schemas/webhooks.ts';
import type { LifecycleDeps } from '../lifecycle.ts';
import { ownedJob } from '../refresh.ts';
import type { WebhookDelivery } from '../store/job-store.ts';

export function renderDelivery(delivery: WebhookDelivery): WebhookDeliveryView {
  return {
    id: delivery.id,
    object: 'webhook_delivery',
    event: delivery.event,
    url: delivery.url,
    state: delivery.state,
    attempts: delivery.attempts.map((attempt) => ({
      at: new Date(attempt.at).toISOString(),
      ...(attempt.status === undefined ? {} : { status: attempt.status }),
      ...(attempt.error === undefined ? {} : { error: attempt.error }),
    })),
    next_attempt_at: delivery.nextAttemptAt === null ? null : new Date(delivery.nextAttemptAt).toISOString(),
    created_at: new Date(delivery.createdAt).toISOString(),
  };
}

export async function listDeliveries(deps: LifecycleDeps, jobId: string, owner: string) {
  await ownedJob(deps, jobId, owner);
  const deliveries = await deps.store.listDeliveries(jobId);
  return { object: 'list' as const, data: deliveries.map(renderDelivery) };
}

/** Sends a delivery again, under its own `webhook-id`, as soon as the job's earlier ones are done. */
export async function retryDelivery(deps: LifecycleDeps, jobId: string, owner: string, deliveryId: string): Promise<WebhookDelivery> {
  const record = await ownedJob(deps, jobId, owner);
  for (let attempt = 0; attempt < 5; attempt++) {
    const delivery = await deps.store.getDelivery(jobId, deliveryId);
    if (!delivery) throw deliveryNotFound();
    const written = await deps.store.replaceDelivery({ ...delivery, state: 'pending', nextAttemptAt: deps.now(), leaseHolder: null, leaseUntil: 0 });
    if (written) {
      for (const listener of deps.listeners) listener(record, [written]);
      return written;
    }
  }
  throw new GatewayError({ status: 409, code: 'delivery_busy', message: 'The delivery is being sent right now; look at its attempts, or retry shortly.', retryAfterMs: 1_000, retryable: true });
}

function deliveryNotFound(): GatewayError {
  return new GatewayError({ status: 404, code: 'delivery_not_found', message: 'No webhook delivery of this job has this id.', param: 'delivery_id' });
}
