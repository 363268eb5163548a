/**
 * A webhook receiver as a fetch handler, for runtimes without sockets (workerd): verifies each call
 * with the `standardwebhooks` package and keeps it, answering 204 or as told. The Node tests use
 * a real loopback server instead (webhook-receiver.ts).
 */
import { Webhook } from 'standardwebhooks';

export interface InboxCall {
  id: string;
  verified: boolean;
  payload?: { type: string; timestamp: string; data: Record<string, any> };
  answered: number;
}

export interface WebhookInbox {
  origin: string;
  received: InboxCall[];
  /** Answers for the next calls, in order; then 204 again. */
  once(...statuses: number[]): void;
  handle(request: Request): Promise<Response>;
}

export function webhookInbox(secret: string, origin = 'https://hooks.receiver.test'): WebhookInbox {
  const verifier = new Webhook(secret);
  const queued: number[] = [];
  const inbox: WebhookInbox = {
    origin,
    received: [],
    once: (...statuses) => void queued.push(...statuses),
    async handle(request) {
      const body = await request.text();
      const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => [name, request.headers.get(name) ?? '']));
      let payload: InboxCall['payload'];
      try {
        payload = verifier.verify(body, headers) as InboxCall['payload'];
      } catch {
        payload = undefined;
      }
      const answered = queued.shift() ?? 204;
      inbox.received.push({ id: headers['webhook-id']!, verified: payload !== undefined, payload, answered });
      return new Response(null, { status: answered });
    },
  };
  return inbox;
}
