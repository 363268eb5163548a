/**
 * Which webhooks a job change sends (DESIGN §6 "Webhooks"): the terminal event when the job ends
 * (`job.completed`, `job.failed`, `job.cancelled`), and `job.updated` for each change of status or
 * progress after the create: not for the job's first state, and not beside a terminal event. Only
 * the events the create asked for (by default the three terminal ones). The deliveries are built
 * here and written with the change itself, so none is lost.
 */
import type { JsonValue } from '../../../providers/types.ts';
import type { LinkSigner } from '../../outputs/links.ts';
import { hasPendingCopies } from '../../outputs/videos.ts';
import { isTerminal } from '../observation.ts';
import { renderJob, visiblyChanged } from '../render.ts';
import type { JobRecord, WebhookDelivery, WebhookEvent } from '../store/job-store.ts';
import { toBase64Url } from '../../security/bytes.ts';
import { randomBytes } from '../../security/random-pool.ts';

export const WEBHOOK_EVENTS = ['job.completed', 'job.failed', 'job.cancelled', 'job.updated'] as const satisfies readonly WebhookEvent[];
export const DEFAULT_WEBHOOK_EVENTS: readonly WebhookEvent[] = ['job.completed', 'job.failed', 'job.cancelled'];

/** What a job keeps about its webhook, in `record.extra.webhook`. */
export interface JobWebhook {
  url: string;
  events: WebhookEvent[];
  /** The sequence number of the last delivery written. */
  last_sequence: number;
  /** A terminal event waiting for the job's copies (see {@link WebhookTiming.holdMs}), and since when (ms). */
  held?: WebhookEvent;
  held_since?: number;
}

export interface WebhookTiming {
  now: number;
  /** Signs the video links in payloads (absent without an output store). */
  links?: LinkSigner;
  /**
   * How long after completion `job.completed` waits for the job's copies to be stored, so its
   * payload carries the durable links (0: never waits). Past it, the event goes out with the
   * copies still `pending`.
   */
  holdMs: number;
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

/**
 * The change with its webhook deliveries (and the job's sequence counter moved on). A
 * `job.completed` is held while the job's copies are pending, within `holdMs` of completion; any
 * later write of the job that finds the wait over (copies done, or time up) sends it, rendered
 * from that write, so its links are the durable ones.
 */
export function withDeliveries(previous: JobRecord, next: JobRecord, timing: WebhookTiming): { next: JobRecord; outbox: WebhookDelivery[] } {
  const webhook = webhookOf(next);
  if (!webhook) return { next, outbox: [] };
  const happened = eventFor(previous, next);
  const event = happened && webhook.events.includes(happened) ? happened : webhook.held && !waitsForCopies(next, webhook, timing) ? webhook.held : undefined;
  if (!event) return { next, outbox: [] };
  if (event === 'job.completed' && waitsForCopies(next, webhook, timing)) {
    return { next: withWebhookState(next, { ...webhook, held: event, held_since: webhook.held_since ?? timing.now }), outbox: [] };
  }
  const sequence = webhook.last_sequence + 1;
  const { held: _released, held_since: _since, ...rest } = webhook;
  const delivery: WebhookDelivery = {
    id: `msg_${randomPart()}`,
    jobId: next.id,
    owner: next.owner,
    event,
    url: webhook.url,
    payload: webhookPayload(next, event, timing),
    sequence,
    state: 'pending',
    attempts: [],
    nextAttemptAt: timing.now,
    createdAt: timing.now,
    leaseHolder: null,
    leaseUntil: 0,
    version: 1,
  };
  return { next: withWebhookState(next, { ...rest, last_sequence: sequence }), outbox: [delivery] };
}

/** The exact body of a delivery: `{"type", "timestamp", "data": <the job>}`. */
export function webhookPayload(record: JobRecord, event: WebhookEvent, timing: Pick<WebhookTiming, 'now' | 'links'>): string {
  return JSON.stringify({ type: event, timestamp: new Date(timing.now).toISOString(), data: renderJob(record, timing.links) });
}

/**
 * Whether a completed job's `job.completed` should still wait for its copies: counted from when
 * the gateway first held it (the provider's own completion time may be skewed or long past).
 */
function waitsForCopies(record: JobRecord, webhook: JobWebhook, timing: WebhookTiming): boolean {
  if (timing.holdMs <= 0 || record.status !== 'completed' || !hasPendingCopies(record.videos)) return false;
  return timing.now < (webhook.held_since ?? timing.now) + timing.holdMs;
}

/** When a held `job.completed` must go out at the latest (the driver wakes the job then). */
export function heldWebhookDeadline(record: JobRecord, holdMs: number): number | undefined {
  const webhook = webhookOf(record);
  if (webhook?.held === undefined) return undefined;
  return (webhook.held_since ?? 0) + holdMs;
}

function withWebhookState(record: JobRecord, webhook: JobWebhook): JobRecord {
  return { ...record, extra: { ...record.extra, webhook: webhook as unknown as JsonValue } };
}

function randomPart(): string {
  return toBase64Url(randomBytes(16));
}
