/** Webhook deliveries and the webhook payload as the API shows them (one definition for code and document). */
import * as z from 'zod';
import { WEBHOOK_EVENTS } from '../jobs/webhooks/events.ts';
import { JobSchema } from './job.ts';

export const WebhookEventSchema = z.enum(WEBHOOK_EVENTS).meta({ description: 'What happened: the job ended (`job.completed`, `job.failed`, `job.cancelled`), or its status or progress changed (`job.updated`).' });

export const DeliveryAttemptSchema = z
  .object({
    at: z.string().meta({ format: 'date-time' }),
    status: z.number().int().optional().meta({ description: "The receiver's HTTP status, when it answered." }),
    error: z.string().optional().meta({ description: 'What went wrong when it did not (timeout, connection refused, unsafe URL).' }),
  })
  .meta({ description: 'One attempt at delivering the webhook.' });

export const WebhookDeliverySchema = z
  .object({
    id: z.string().meta({ description: 'The `webhook-id` the webhook is sent under, the same on every attempt.' }),
    object: z.literal('webhook_delivery'),
    event: WebhookEventSchema,
    url: z.string().meta({ format: 'uri' }),
    state: z.enum(['pending', 'delivered', 'failed']).meta({ description: '`pending` until a 2xx (`delivered`), a 410 or the end of the retry schedule (`failed`).' }),
    attempts: z.array(DeliveryAttemptSchema),
    next_attempt_at: z.string().meta({ format: 'date-time' }).nullable().meta({ description: 'When the next attempt is due; null once delivered or failed.' }),
    created_at: z.string().meta({ format: 'date-time' }),
  })
  .meta({ description: "A webhook of the job, with every attempt to deliver it." });
export type WebhookDeliveryView = z.infer<typeof WebhookDeliverySchema>;

export const WebhookDeliveryListSchema = z
  .object({ object: z.literal('list'), data: z.array(WebhookDeliverySchema).meta({ description: 'In the order they are sent.' }) })
  .meta({ description: "A job's webhook deliveries." });

export const WebhookPayloadSchema = z
  .object({
    type: WebhookEventSchema,
    timestamp: z.string().meta({ format: 'date-time', description: 'When the event happened.' }),
    data: JobSchema,
  })
  .meta({ description: 'The body of every webhook: the event and the job as it was then. Verify `webhook-signature` (Standard Webhooks, HMAC-SHA256 of `webhook-id.webhook-timestamp.body` under `WEBHOOK_SECRET`) before trusting it.' });
