/**
 * A real loopback HTTP server that receives the gateway's webhooks the way a client's would: it
 * verifies every call with the `standardwebhooks` package, keeps what arrived (also the ones that
 * failed verification), counts duplicates by `webhook-id`, and answers each call as told: 2xx,
 * 500, 410, or not at all (a hang).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** A Standard Webhooks secret the tests configure the gateway with. */
import { TEST_WEBHOOK_SECRET_TEXT as TEST_WEBHOOK_SECRET } from './webhook-secret.ts';

export { TEST_WEBHOOK_SECRET };

export type ReceiverMode = { kind: 'ok' } | { kind: 'status'; status: number } | { kind: 'hang' };

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  /** The parsed payload when the signature verified; `undefined` when it did not. */
  payload?: { type: string; timestamp: string; data: Record<string, any> };
  verified: boolean;
  body: string;
  /** Path and query the gateway called. */
  path: string;
  at: number;
  /** What the receiver answered (`0` for a hang). */
  answered: number;
}

export interface WebhookReceiver {
  /** The base URL; any path under it is accepted. */
  url: string;
  received: ReceivedWebhook[];
  /** How each call after this is answered, until changed; `once` queues answers for the next calls first. */
  answer(mode: ReceiverMode): void;
  once(...modes: ReceiverMode[]): void;
  /** Verified deliveries, one per `webhook-id` (the first arrival). */
  unique(): ReceivedWebhook[];
  /** How many `webhook-id`s arrived more than once. */
  duplicates(): number;
  /** Resolves when `count` verified calls have arrived (optionally only those matching), or rejects after `ms`. */
  waitFor(count: number, options?: { ms?: number; where?: (call: ReceivedWebhook) => boolean }): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(secret = TEST_WEBHOOK_SECRET): Promise<WebhookReceiver> {
  const verifier = new Webhook(secret);
  const received: ReceivedWebhook[] = [];
  const queued: ReceiverMode[] = [];
  let standing: ReceiverMode = { kind: 'ok' };
  const hung = new Set<ServerResponse>();
  const waiters = new Set<() => void>();

  const server: Server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const headers = {
        'webhook-id': String(request.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
      };
      let payload: ReceivedWebhook['payload'];
      try {
        payload = verifier.verify(body, headers) as ReceivedWebhook['payload'];
      } catch {
        payload = undefined;
      }
      const mode = queued.shift() ?? standing;
      const answered = mode.kind === 'ok' ? 204 : mode.kind === 'status' ? mode.status : 0;
      received.push({ id: headers['webhook-id'], timestamp: headers['webhook-timestamp'], payload, verified: payload !== undefined, body, path: request.url ?? '', at: Date.now(), answered });
      for (const wake of waiters) wake();
      if (mode.kind === 'hang') {
        hung.add(response);
        response.on('close', () => hung.delete(response));
        return;
      }
      response.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const receiver: WebhookReceiver = {
    url: `http://127.0.0.1:${port}`,
    received,
    answer(mode) {
      standing = mode;
    },
    once(...modes) {
      queued.push(...modes);
    },
    unique() {
      const seen = new Map<string, ReceivedWebhook>();
      for (const call of received) if (call.verified && !seen.has(call.id)) seen.set(call.id, call);
      return [...seen.values()];
    },
    duplicates() {
      const counts = new Map<string, number>();
      for (const call of received) counts.set(call.id, (counts.get(call.id) ?? 0) + 1);
      return [...counts.values()].filter((count) => count > 1).length;
    },
    waitFor(count, { ms = 10_000, where = () => true } = {}) {
      const matching = () => received.filter((call) => call.verified && where(call));
      return new Promise((resolve, reject) => {
        const check = () => {
          if (matching().length < count) return;
          cleanup();
          resolve(matching());
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`expected ${count} verified webhooks within ${ms} ms, got ${matching().length} (of ${received.length} calls)`));
        }, ms);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async close() {
      for (const response of hung) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return receiver;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
