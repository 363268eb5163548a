/**
 * The Worker entry's own duties, on handlers built in the test (each one a fresh "isolate"):
 * configuration errors, and where finished jobs are remembered with and without bindings.
 */
import { env } from 'cloudflare:workers';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWorker, type WorkerOptions } from '../../src/worker/create-worker.ts';
import type { KvNamespaceLike, WorkerBindings } from '../../src/worker/bindings.ts';
import type { ApiResponse } from '../cases/index.ts';
import { testProviderKey } from '../support/emulator-network.ts';
import { WORKERD_TEST_BINDINGS } from './support/bindings.ts';
import { requester } from './support/gateway.ts';
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
function isolate(bindings: WorkerBindings, options: WorkerOptions = {}) {
  const logs: Record<string, unknown>[] = [];
  const worker = createWorker({ ...options, log: (event, fields) => logs.push({ event, ...fields }) });
  return { logs, request: requester((request) => worker.fetch(request, bindings)) };
}

/** The test project's KV namespace (miniflare `kvNamespaces`), with the listing the test reads. */
type TestKv = KvNamespaceLike & { list(options: { prefix: string }): Promise<{ keys: { name: string; expiration?: number }[] }> };

const kreaPolls = () => stub.emulators.krea!.control.requests.filter((request) => request.kind === 'poll').length;

/** Creates a Krea job through `gateway` and polls it to completion. */
async function finishedJob(gateway: ReturnType<typeof isolate>): Promise<ApiResponse> {
  const created = await gateway.request('POST', '/v1/jobs', { body: { model: 'krea/kling/kling-2.5', prompt: 'a cat' } });
  expect(created.status).toBe(202);
  for (let i = 0; i < 20; i++) {
    const polled = await gateway.request('GET', `/v1/jobs/${created.body.id}`);
    if (polled.body.status === 'completed') return polled;
  }
  throw new Error('the job did not complete');
}

describe('configuration', () => {
  it('answers 500 configuration_error and logs the missing names, not values, when secrets are missing', async () => {
    const gateway = isolate({ KREA_API_KEY: testProviderKey('krea') });
    const answer = await gateway.request('GET', '/v1/models');
    expect(answer.status).toBe(500);
    expect(answer.body.error.code).toBe('configuration_error');
    const [logged] = gateway.logs;
    expect(logged).toMatchObject({ event: 'configuration_error', message: expect.stringContaining('GATEWAY_API_KEYS') });
    expect(JSON.stringify(gateway.logs)).not.toContain(testProviderKey('krea'));
  });
});

describe('remembering finished jobs', () => {
  it('uses the Cache API when nothing is bound, so another isolate in the data center skips the provider', async () => {
    const first = isolate({ ...WORKERD_TEST_BINDINGS });
    const done = await finishedJob(first);
    expect(first.logs).toContainEqual(expect.objectContaining({ event: 'worker_started', job_cache: 'cache-api' }));
    const polls = kreaPolls();
    const second = isolate({ ...WORKERD_TEST_BINDINGS });
    expect((await second.request('GET', `/v1/jobs/${done.body.id}`)).body).toEqual(done.body);
    expect(kreaPolls()).toBe(polls);
  });

  it('uses KV when JOB_CACHE is bound, under a hashed key that expires', async () => {
    const kv = env.TEST_KV as TestKv;
    const first = isolate({ ...WORKERD_TEST_BINDINGS, JOB_CACHE: kv });
    const done = await finishedJob(first);
    expect(first.logs).toContainEqual(expect.objectContaining({ event: 'worker_started', job_cache: 'kv' }));
    const { keys } = await kv.list({ prefix: 'job-cache/v1/' });
    expect(keys).toContainEqual(expect.objectContaining({ name: expect.stringMatching(/^job-cache\/v1\/[0-9a-f]{64}$/), expiration: expect.any(Number) }));
    const polls = kreaPolls();
    const second = isolate({ ...WORKERD_TEST_BINDINGS, JOB_CACHE: kv }, { scope: {} });
    expect((await second.request('GET', `/v1/jobs/${done.body.id}`)).body).toEqual(done.body);
    expect(kreaPolls()).toBe(polls);
  });

  it('works with no bindings and no Cache API, remembering finished jobs in isolate memory', async () => {
    const gateway = isolate({ ...WORKERD_TEST_BINDINGS }, { scope: {} });
    const done = await finishedJob(gateway);
    expect(gateway.logs).toContainEqual(expect.objectContaining({ event: 'worker_started', job_cache: 'memory' }));
    const polls = kreaPolls();
    expect((await gateway.request('GET', `/v1/jobs/${done.body.id}`)).body).toEqual(done.body);
    expect(kreaPolls()).toBe(polls);
  });

  it('keeps answering polls when the cache store fails, and logs why', async () => {
    const broken = {
      get: async () => {
        throw new Error('KV GET failed: 500');
      },
      put: async () => {
        throw new Error('KV PUT failed: 429 Too Many Requests');
      },
    };
    const gateway = isolate({ ...WORKERD_TEST_BINDINGS, JOB_CACHE: broken });
    const done = await finishedJob(gateway);
    expect(done.status).toBe(200);
    expect(gateway.logs).toContainEqual(expect.objectContaining({ event: 'job_cache_error', store: 'kv', operation: 'set' }));
    expect(gateway.logs).toContainEqual(expect.objectContaining({ event: 'job_cache_error', store: 'kv', operation: 'get' }));
  });
});
