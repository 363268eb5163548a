/**
 * Webhooks, event streams and `Prefer: wait` on Workers: the job's Durable Object keeps the outbox
 * and its alarm sends what is due (signed, verified here with the `standardwebhooks` package by an
 * in-process receiver), retries on its schedule, and Krea's wake-up call reads the job at once.
 */
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { wakeUpToken } from '../../src/jobs/wake-up.ts';
import type { WorkerBindings } from '../../src/worker/bindings.ts';
import { createWorker } from '../../src/worker/create-worker.ts';
import { webhookInbox, type WebhookInbox } from '../support/webhook-inbox.ts';
import { TEST_WEBHOOK_SECRET_TEXT } from '../support/webhook-secret.ts';
import { WORKERD_TEST_BINDINGS } from './support/bindings.ts';
import { runAlarms } from './support/alarms.ts';
import { GATEWAY_ORIGIN, requester, WORKER_ASSETS } from './support/gateway.ts';
import { stubProviders, type ProviderStub } from './support/provider-stub.ts';

let stub: ProviderStub;
let inbox: WebhookInbox;
beforeAll(async () => {
  inbox = webhookInbox(TEST_WEBHOOK_SECRET_TEXT);
  stub = await stubProviders({ [inbox.origin]: (request) => inbox.handle(request) });
});
beforeEach(() => {
  stub.reset();
  inbox.received.length = 0;
});
afterEach(() => {
  expect(stub.unexpected).toEqual([]);
});
// Not restored: jobs' Durable Object alarms (copies of their videos, webhook retries) go on after the
// last test, and must keep reaching the emulators rather than the real (closed) network.

const bindings = (extra: Record<string, unknown> = {}): WorkerBindings => ({
  ...WORKERD_TEST_BINDINGS,
  JOBS: env.JOBS,
  JOB_OWNERS: env.JOB_OWNERS, ASSETS: WORKER_ASSETS,
  WEBHOOK_SECRET: TEST_WEBHOOK_SECRET_TEXT,
  WEBHOOK_RETRY_SCHEDULE_MS: '1,1',
  ...extra,
});

function isolate(extra: Record<string, unknown> = {}) {
  const worker = createWorker({ log: () => {} });
  const fetcher = (request: Request) => worker.fetch(request, bindings(extra));
  return { fetch: fetcher, request: requester(fetcher) };
}

const kreaPolls = () => stub.emulators.krea!.control.requests.filter((request) => request.kind === 'poll').length;
const kling = { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' };


describe('webhooks on Workers', () => {
  it('are sent by the job’s alarm once the alarm has driven the job to the end', async () => {
    const gateway = isolate({ POLL_INTERVAL_MS: '1', POLL_FRESHNESS_MS: '3600000' });
    const created = await gateway.request('POST', '/v1/jobs', { body: { ...kling, webhook_url: `${inbox.origin}/hooks` } });
    expect(created.status).toBe(202);
    await runAlarms(created.body.id);
    const done = await gateway.request('GET', `/v1/jobs/${created.body.id}`);
    expect(done.body.status).toBe('completed');
    expect(inbox.received).toEqual([{ id: expect.stringMatching(/^msg_/), verified: true, payload: { type: 'job.completed', timestamp: expect.any(String), data: done.body }, answered: 204 }]);
    const log = await gateway.request('GET', `/v1/jobs/${created.body.id}/webhook-deliveries`);
    expect(log.body.data).toEqual([expect.objectContaining({ id: inbox.received[0]!.id, state: 'delivered', attempts: [{ at: expect.any(String), status: 204 }] })]);
  });

  it('are queued by a client’s poll that finishes the job, and sent by the alarm, retried under the same id', async () => {
    const gateway = isolate();
    const created = await gateway.request('POST', '/v1/jobs', { body: { ...kling, webhook_url: `${inbox.origin}/hooks` } });
    let job = created.body;
    while (job.status !== 'completed') job = (await gateway.request('GET', `/v1/jobs/${created.body.id}`)).body;
    expect(inbox.received).toEqual([]);
    inbox.once(500);
    await runAlarms(created.body.id);
    expect(inbox.received.map((call) => [call.answered, call.verified])).toEqual([[500, true], [204, true]]);
    expect(new Set(inbox.received.map((call) => call.id)).size).toBe(1);
  });

  it('can be sent again with POST …/retry once given up', async () => {
    const gateway = isolate();
    const created = await gateway.request('POST', '/v1/jobs', { body: { ...kling, webhook_url: `${inbox.origin}/hooks` } });
    let job = created.body;
    while (job.status !== 'completed') job = (await gateway.request('GET', `/v1/jobs/${created.body.id}`)).body;
    inbox.once(500, 500, 500);
    await runAlarms(created.body.id);
    const [failed] = (await gateway.request('GET', `/v1/jobs/${created.body.id}/webhook-deliveries`)).body.data;
    expect(failed).toMatchObject({ state: 'failed', next_attempt_at: null });
    const retried = await gateway.request('POST', `/v1/jobs/${created.body.id}/webhook-deliveries/${failed.id}/retry`);
    expect(retried.status).toBe(202);
    await runAlarms(created.body.id);
    const [delivered] = (await gateway.request('GET', `/v1/jobs/${created.body.id}/webhook-deliveries`)).body.data;
    expect(delivered.attempts.map((attempt: { status: number }) => attempt.status)).toEqual([500, 500, 500, 204]);
  });
});

describe('waiting on Workers', () => {
  it('streams the job’s events until it ends, without polling the provider for the stream', async () => {
    const gateway = isolate();
    const created = await gateway.request('POST', '/v1/jobs', { body: kling });
    const stream = await gateway.fetch(new Request(`${GATEWAY_ORIGIN}/v1/jobs/${created.body.id}/events`, { headers: { authorization: `Bearer ${WORKERD_TEST_BINDINGS.GATEWAY_API_KEYS.split(',')[0]}` } }));
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = stream.text();
    let polls = 0;
    for (let job = created.body; job.status !== 'completed'; polls++) job = (await gateway.request('GET', `/v1/jobs/${created.body.id}`)).body;
    const events = (await text).split('\n\n').filter((block) => block.startsWith('event: job'));
    expect(JSON.parse(events.at(-1)!.split('data: ')[1]!).status).toBe('completed');
    expect(JSON.parse(events[0]!.split('data: ')[1]!).status).toBe('queued');
    expect(kreaPolls()).toBe(polls);
  });

  it('holds a GET with Prefer: wait until the job ends', async () => {
    const gateway = isolate();
    const created = await gateway.request('POST', '/v1/jobs', { body: kling });
    const waiting = gateway.request('GET', `/v1/jobs/${created.body.id}`, { headers: { prefer: 'wait=30' } });
    for (let job = created.body; job.status !== 'completed'; ) job = (await gateway.request('GET', `/v1/jobs/${created.body.id}`)).body;
    const answer = await waiting;
    expect(answer.headers.get('preference-applied')).toBe('wait=30');
    expect(answer.body.status).toBe('completed');
  });
});

describe('Krea’s wake-up call on Workers', () => {
  it('reads the job from Krea at once for the right path, and is a 404 with no call for a wrong one', async () => {
    const gateway = isolate({ PUBLIC_URL: GATEWAY_ORIGIN, POLL_FRESHNESS_MS: '3600000' });
    const created = await gateway.request('POST', '/v1/jobs', { body: kling });
    const wrong = await gateway.fetch(new Request(`${GATEWAY_ORIGIN}/webhooks/krea/${created.body.id}/wrong-token`, { method: 'POST', body: '{}' }));
    expect(wrong.status).toBe(404);
    expect(kreaPolls()).toBe(0);
    const token = await wakeUpToken(WORKERD_TEST_BINDINGS.JOB_ID_SECRET, 'krea', created.body.id);
    const woken = await gateway.fetch(new Request(`${GATEWAY_ORIGIN}/webhooks/krea/${created.body.id}/${token}`, { method: 'POST', body: '{}' }));
    expect(woken.status).toBe(204);
    for (let i = 0; i < 50 && kreaPolls() === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(kreaPolls()).toBe(1);
  });
});
