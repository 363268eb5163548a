/**
 * The Worker entry's own duties, on handlers built in the test (each one a fresh "isolate"):
 * configuration errors, jobs that outlive an isolate (they live in Durable Objects), and the
 * alarm that drives a job nobody polls (and wakes for its webhook deliveries).
 */
import { env } from 'cloudflare:workers';
import { runDurableObjectAlarm } from 'cloudflare:test';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { providers } from '../../providers/index.ts';
import { createWorker } from '../../src/worker/create-worker.ts';
import type { WorkerBindings } from '../../src/worker/bindings.ts';
import { durableObjectJobStore } from '../../src/worker/durable-object-job-store.ts';
import { jobObject, jobStoreNamespaces } from '../../src/worker/job-store-rpc.ts';
import { sampleDelivery, sampleRecord } from '../stores/job-store-cases.ts';
import { testProviderKey } from '../support/emulator-network.ts';
import { WORKERD_TEST_BINDINGS } from './support/bindings.ts';
import { requester, WORKER_ASSETS } from './support/gateway.ts';
import { stubProviders, type ProviderStub } from './support/provider-stub.ts';

let stub: ProviderStub;
beforeAll(async () => {
  stub = await stubProviders();
});
beforeEach(() => {
  stub.emulators.krea!.control.reset();
});
afterEach(() => {
  expect(stub.unexpected).toEqual([]);
});
afterAll(() => stub.restore());

/** A handler as one isolate would run it, with its log lines collected. */
function isolate(bindings: WorkerBindings) {
  const logs: Record<string, unknown>[] = [];
  const worker = createWorker({ log: (event, fields) => logs.push({ event, ...fields }) });
  return { logs, request: requester((request) => worker.fetch(request, bindings)) };
}

/** The test bindings plus the Durable Object namespaces wrangler.toml binds. */
const withStore = (extra: Record<string, unknown> = {}): WorkerBindings => ({ ...WORKERD_TEST_BINDINGS, JOBS: env.JOBS, JOB_OWNERS: env.JOB_OWNERS, ASSETS: WORKER_ASSETS, ...extra });

const kreaPolls = () => stub.emulators.krea!.control.requests.filter((request) => request.kind === 'poll').length;

describe('configuration', () => {
  it('answers 500 configuration_error and logs the missing names, not values, when secrets are missing', async () => {
    const gateway = isolate({ KREA_API_KEY: testProviderKey('krea'), ASSETS: WORKER_ASSETS });
    const answer = await gateway.request('GET', '/v1/models');
    expect(answer.status).toBe(500);
    expect(answer.body.error.code).toBe('configuration_error');
    const [logged] = gateway.logs;
    expect(logged).toMatchObject({ event: 'configuration_error', message: expect.stringContaining('GATEWAY_API_KEYS') });
    expect(JSON.stringify(gateway.logs)).not.toContain(testProviderKey('krea'));
  });

  it('answers 500 configuration_error naming the Durable Object bindings when they are missing', async () => {
    const gateway = isolate({ ...WORKERD_TEST_BINDINGS, ASSETS: WORKER_ASSETS });
    expect((await gateway.request('GET', '/v1/models')).body.error.code).toBe('configuration_error');
    expect(gateway.logs[0]).toMatchObject({ event: 'configuration_error', message: expect.stringContaining('JOBS, JOB_OWNERS') });
  });

  it('answers 500 configuration_error naming ASSETS when the static assets (with the provider catalogs) are not bound', async () => {
    const gateway = isolate(withStore({ ASSETS: undefined }));
    expect((await gateway.request('GET', '/v1/models')).body.error.code).toBe('configuration_error');
    expect(gateway.logs[0]).toMatchObject({ event: 'configuration_error', message: expect.stringContaining('ASSETS: the provider catalogs') });
  });

  it('builds the same provider registry from the static assets as Node imports', async () => {
    const { body } = await isolate(withStore()).request('GET', '/v1/models');
    const direct = body.data.filter((model: { type: string }) => model.type === 'direct');
    expect(direct.map((model: { id: string; capabilities: unknown }) => [model.id, model.capabilities])).toEqual(
      providers.flatMap((provider) => provider.models.map((model) => [`${provider.name}/${model.id}`, model.capabilities])),
    );
  });
});

describe('jobs in Durable Objects', () => {
  it('outlive the isolate: a new one answers a finished job without calling the provider', async () => {
    const first = isolate(withStore());
    const created = await first.request('POST', '/v1/jobs', { body: { model: 'krea/kling/kling-2.5', prompt: 'a cat' } });
    expect(created.status).toBe(202);
    let done = created;
    for (let i = 0; i < 20 && done.body.status !== 'completed'; i++) done = await first.request('GET', `/v1/jobs/${created.body.id}`);
    expect(done.body.status).toBe('completed');
    const polls = kreaPolls();
    const second = isolate(withStore());
    expect((await second.request('GET', `/v1/jobs/${created.body.id}`)).body).toEqual(done.body);
    expect(kreaPolls()).toBe(polls);
  });

  it('are driven by their alarm to the end, with no client polling', async () => {
    const gateway = isolate(withStore({ POLL_INTERVAL_MS: '1', POLL_FRESHNESS_MS: '3600000' }));
    const created = await gateway.request('POST', '/v1/jobs', { body: { model: 'krea/kling/kling-2.5', prompt: 'a cat' } });
    const object = jobObject(jobStoreNamespaces(env)!, '', created.body.id);
    for (let i = 0; i < 20; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (!(await runDurableObjectAlarm(object))) break;
    }
    expect(kreaPolls()).toBe(5);
    const job = await gateway.request('GET', `/v1/jobs/${created.body.id}`);
    expect(job.body).toMatchObject({ status: 'completed', videos: [expect.objectContaining({ url: expect.any(String) })] });
  });

  it('wake for a due webhook delivery of a job not due for polling, and attempt it without polling', async () => {
    const gateway = isolate(withStore());
    const store = durableObjectJobStore(jobStoreNamespaces(env)!);
    const now = Date.now();
    const polling = sampleRecord({ status: 'in_progress', nextPollAt: now + 3_600_000 });
    const finished = sampleRecord({ status: 'completed', nextPollAt: null, completedAt: now });
    for (const record of [polling, finished]) {
      const outcome = await store.create(record);
      if (!outcome.created) throw new Error('not created');
      const delivery = sampleDelivery(record, { nextAttemptAt: now - 60_000 });
      const written = await store.replace(outcome.record, [delivery]);
      expect(await runDurableObjectAlarm(jobObject(jobStoreNamespaces(env)!, '', record.id))).toBe(true);
      expect(await store.get(record.id)).toEqual(written);
      // These bindings have no WEBHOOK_SECRET: the attempt is logged as not sent, and retried later.
      const [attempted] = await store.listDeliveries(record.id);
      expect(attempted).toMatchObject({ id: delivery.id, state: 'pending', attempts: [{ error: 'not sent: WEBHOOK_SECRET is not set' }] });
      expect(attempted!.nextAttemptAt).toBeGreaterThan(now);
      // The delivery is overdue, so its alarm keeps coming back: not in later tests.
      await store.delete(record.id);
    }
    expect(kreaPolls()).toBe(0);
    // The handler ran (its first alarm built the gateway): no store error, no poll, one attempt each.
    expect(gateway.logs.map((line) => line.event)).toEqual(['worker_started', 'webhook_attempt', 'webhook_attempt']);
  });
});
