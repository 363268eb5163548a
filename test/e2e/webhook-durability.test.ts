/**
 * Webhooks survive what processes go through (DESIGN §6 "Webhooks"): the outbox is in the job
 * store, so a gateway killed with SIGKILL between a job finishing and its webhook being delivered
 * loses nothing (the next process delivers it, under the same `webhook-id`), and two instances on
 * one PostgreSQL database send each delivery once between them. Real processes, real receiver.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/fresh-database.ts';
import { call, eventually, killHard, startCluster, type Cluster } from '../support/process-cluster.ts';
import { startWebhookReceiver, TEST_WEBHOOK_SECRET, type WebhookReceiver } from '../support/webhook-receiver.ts';

let cluster: Cluster | undefined;
let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(() => receiver.close());
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
  receiver.received.length = 0;
  receiver.answer({ kind: 'ok' });
});

const webhooks = { WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, ALLOWED_PRIVATE_HOSTS: '127.0.0.1', POLL_INTERVAL_MS: '100', LEASE_MS: '1000', POLL_FRESHNESS_MS: '3600000' };
const job = (n: number) => ({ model: 'krea/kling/kling-2.5', prompt: `a lighthouse ${n}`, webhook_url: `${receiver.url}/hooks` });

describe('a gateway killed after a job finished, before its webhook was delivered', () => {
  it('loses nothing: the next process delivers it under the same webhook-id', { timeout: 40_000 }, async () => {
    cluster = await startCluster({ progression: { mode: 'timed', msPerStep: 50 } });
    receiver.answer({ kind: 'hang' });
    const first = await cluster.spawn(webhooks);
    const created = await call(first, 'POST', '/v1/jobs', job(1));
    // The driver finished the job and the delivery is on the wire, unanswered.
    const [inFlight] = await eventually(() => (receiver.received.length > 0 ? receiver.received : undefined));
    expect(inFlight!.verified).toBe(true);
    await killHard(first);

    receiver.answer({ kind: 'ok' });
    const second = await cluster.spawn(webhooks);
    const log = await eventually(async () => {
      const answer = await call(second, 'GET', `/v1/jobs/${created.body.id}/webhook-deliveries`);
      return answer.body.data[0]?.state === 'delivered' ? answer.body.data : undefined;
    }, 30_000);
    expect(log).toHaveLength(1);
    expect(log[0].id).toBe(inFlight!.id);
    const calls = receiver.received.filter((received) => received.id === inFlight!.id);
    expect(calls.map((received) => received.answered)).toEqual([0, 204]);
    expect(calls[1]!.payload).toEqual(inFlight!.payload);
  });
});

describe('a provider that stalls', () => {
  it('holds up no other job’s webhooks, and its own job’s webhook goes out once it answers again', { timeout: 40_000 }, async () => {
    cluster = await startCluster({ progression: { mode: 'timed', msPerStep: 50 } });
    const krea = cluster.emulators.krea!.emulator.control;
    // Every Krea poll hangs until the gateway gives up on it (UPSTREAM_POLL_TIMEOUT_MS).
    krea.faults.add({ on: 'poll', fault: { kind: 'hang' }, times: 0 });
    const gateway = await cluster.spawn({ ...webhooks, UPSTREAM_POLL_TIMEOUT_MS: '3000' });
    const stalled = await call(gateway, 'POST', '/v1/jobs', job(1));
    await eventually(() => krea.requests.some((request) => request.kind === 'poll') || undefined);
    const other = await call(gateway, 'POST', '/v1/jobs', { model: 'aimlapi/krea/krea-wan-14b/text-to-video', prompt: 'a fox', webhook_url: `${receiver.url}/hooks` });
    const [first] = await eventually(() => (receiver.unique().length > 0 ? receiver.unique() : undefined));
    expect(first!.payload!.data.id).toBe(other.body.id);
    // Krea is still stalled: its job has not finished as far as the gateway knows, and has no webhook yet.
    expect((await call(gateway, 'GET', `/v1/jobs/${stalled.body.id}`)).body.status).not.toBe('completed');
    expect(receiver.unique().map((received) => received.payload!.data.id)).toEqual([other.body.id]);

    krea.faults.clear();
    const done = await eventually(() => receiver.unique().find((received) => received.payload!.data.id === stalled.body.id), 20_000);
    expect(done.payload!.type).toBe('job.completed');
  });
});

describe('two gateways on one PostgreSQL database', () => {
  it('send each delivery once between them', { timeout: 40_000 }, async () => {
    cluster = await startCluster({ progression: { mode: 'timed', msPerStep: 60 }, store: { DATABASE_URL: await freshDatabase() } });
    const [a, b] = [await cluster.spawn(webhooks), await cluster.spawn(webhooks)];
    const ids: string[] = [];
    for (let n = 0; n < 12; n++) ids.push((await call(n % 2 === 0 ? a : b, 'POST', '/v1/jobs', { ...job(n), webhook_events: ['job.updated', 'job.completed'] })).body.id);
    const completed = await eventually(() => {
      const done = receiver.unique().filter((received) => received.payload!.type === 'job.completed');
      return done.length === ids.length ? done : undefined;
    }, 30_000);
    expect(new Set(completed.map((received) => received.payload!.data.id))).toEqual(new Set(ids));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.duplicates()).toBe(0);
    expect(receiver.received.every((received) => received.verified)).toBe(true);
    // Each job's events arrived in order, the terminal one last.
    for (const id of ids) {
      const types = receiver.received.filter((received) => received.payload!.data.id === id).map((received) => received.payload!.type);
      expect(types.at(-1), id).toBe('job.completed');
      expect(types.slice(0, -1).every((type) => type === 'job.updated'), id).toBe(true);
    }
  });
});
