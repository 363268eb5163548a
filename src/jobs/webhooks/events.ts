/**
 * Which webhooks a job change sends (DESIGN §6 "Webhooks"): the terminal event when the job ends
 * (`job.completed`, `job.failed`, `job.cancelled`), and `job.updated` for each change of status or
 * progress after the create: not for the job's first state, and not beside a terminal event. Only
 * the events the create asked for (by default the three terminal ones). The deliveries are built
 * here and written with the change itself, so none is lost.
 */
import type { JsonValue } from '../../../providers/types.ts';
import { isTerminal } from '../observation.ts';
import { renderJob, visiblyChanged } from '../render.ts';
import type { JobRecord, WebhookDelivery, WebhookEvent } from '../store/job-store.ts';

export const WEBHOOK_EVENTS = ['job.completed', 'job.failed', 'job.cancelled', 'job.updated'] as const satisfies readonly WebhookEvent[];
export const DEFAULT_WEBHOOK_EVENTS: readonly WebhookEvent[] = ['job.completed', 'job.failed', 'job.cancelled'];

/** What a job keeps about its webhook, in `record.extra.webhook`. */
export interface JobWebhook {
  url: string;
  events: WebhookEvent[];
  /** The sequence number of the last delivery written. */
  last_sequence: number;
}

export function webhookOf(record: JobRecord): JobWebhook | undefined {
  const value = record.extra.webhook as unknown as JobWebhook | undefined;
  return value && typeof value.url === 'string' ? value : undefined;
}

export function withWebhook(extra: Record<string, JsonValue>, url: string, events: readonly WebhookEvent[]): Record<string, JsonValue> {
  return { ...extra, webhook: { url, events: [...events], last_sequence: 0 } };
}

/** The event this change means, if any. */
function eventFor(previous: JobRecord, next: JobRecord): WebhookEvent | undefined {
  if (isTerminal(next.status)) return isTerminal(previous.status) ? undefined : (`job.${next.status}` as WebhookEvent);
  // The first state (the provider accepting the create) is not an update.
  if (previous.operation === null) return undefined;
  return visiblyChanged(previous, next) ? 'job.updated' : undefined;
}

/** The change with its webhook deliveries (and the job's sequence counter moved on). */
export function withDeliveries(previous: JobRecord, next: JobRecord, now: number): { next: JobRecord; outbox: WebhookDelivery[] } {
  const webhook = webhookOf(next);
  const event = webhook && eventFor(previous, next);
  if (!webhook || !event || !webhook.events.includes(event)) return { next, outbox: [] };
  const sequence = webhook.last_sequence + 1;
  const delivery: WebhookDelivery = {
    id: `msg_${randomPart()}`,
    jobId: next.id,
    owner: next.owner,
    event,
    url: webhook.url,
    payload: JSON.stringify({ type: event, timestamp: new Date(now).toISOString(), data: renderJob(next) }),
    sequence,
    state: 'pending',
    attempts: [],
    nextAttemptAt: now,
    createdAt: now,
    leaseHolder: null,
    leaseUntil: 0,
    version: 1,
  };
  return { next: { ...next, extra: { ...next.extra, webhook: { ...webhook, last_sequence: sequence } as unknown as JsonValue } }, outbox: [delivery] };
}

function randomPart(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}
