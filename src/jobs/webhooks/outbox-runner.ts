/**
 * The Node side of sending webhooks: claims due deliveries from the store on a timer (and at once
 * when this instance queues one), and sends them with bounded concurrency: at most `perHost` at a
 * time to one receiver host, so one slow or dead receiver holds up only its own deliveries.
 */
import type { ScannableJobStore, WebhookDelivery } from '../store/job-store.ts';
import { DELIVERY_LEASE_MS, deliverLeased, type WebhookDeps } from './sender.ts';

export interface OutboxRunner {
  /** Looks for due deliveries now (a job change just queued one). */
  kick(): void;
  stop(): Promise<void>;
}

export interface OutboxRunnerOptions {
  tickMs?: number;
  concurrency?: number;
  perHost?: number;
}

/** A host over its share waits this long before its next delivery is tried again (not counted as an attempt). */
const HOST_BUSY_DELAY_MS = 1_000;

export function startOutboxRunner(deps: WebhookDeps, store: ScannableJobStore, options: OutboxRunnerOptions = {}): OutboxRunner {
  const tickMs = options.tickMs ?? 250;
  const concurrency = options.concurrency ?? 32;
  const perHost = options.perHost ?? 4;
  const running = new Set<Promise<unknown>>();
  const perHostRunning = new Map<string, number>();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let scanning = false;

  const send = (delivery: WebhookDelivery) => {
    const host = hostOf(delivery.url);
    perHostRunning.set(host, (perHostRunning.get(host) ?? 0) + 1);
    const work = deliverLeased(deps, delivery)
      .catch((error: unknown) => deps.log('webhook_send_failed', { webhook_id: delivery.id, message: String(error) }))
      .finally(() => {
        running.delete(work);
        perHostRunning.set(host, perHostRunning.get(host)! - 1);
      });
    running.add(work);
  };

  const scan = async () => {
    if (scanning || stopped) return;
    scanning = true;
    try {
      const free = concurrency - running.size;
      const due = free > 0 ? await store.claimDueDeliveries(deps.instanceId, deps.now(), DELIVERY_LEASE_MS, free) : [];
      for (const delivery of due) {
        if ((perHostRunning.get(hostOf(delivery.url)) ?? 0) >= perHost) await later(delivery);
        else send(delivery);
      }
    } catch (error) {
      deps.log('webhook_scan_failed', { message: error instanceof Error ? error.message : String(error) });
    } finally {
      scanning = false;
    }
  };

  /** Hands a delivery back for later, untried, because its host already has its share in flight. */
  const later = (delivery: WebhookDelivery) =>
    store.replaceDelivery({ ...delivery, leaseHolder: null, leaseUntil: 0, nextAttemptAt: deps.now() + HOST_BUSY_DELAY_MS }).catch(() => undefined);

  const loop = async () => {
    await scan();
    if (!stopped) timer = setTimeout(() => void loop(), tickMs);
  };
  timer = setTimeout(() => void loop(), 0);
  return {
    kick: () => void scan(),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.allSettled([...running]);
    },
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
