/**
 * Per-key limits on Workers: the counters are each key's own Durable Object, so two isolates (two
 * handlers built here, sharing the namespaces as every isolate of a deployment does) hold one budget,
 * one rate and one concurrency limit between them. Provider calls go to the in-process emulators.
 */
import { env } from 'cloudflare:workers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerBindings } from '../../src/worker/bindings.ts';
import { createWorker } from '../../src/worker/create-worker.ts';
import { WORKERD_TEST_BINDINGS } from './support/bindings.ts';
import { requester, WORKER_ASSETS } from './support/gateway.ts';
import { stubProviders, type ProviderStub } from './support/provider-stub.ts';

const SECRETS = { BUDGET_KEY: 'workers-budget-key-0123', RATE_KEY: 'workers-rate-key-0123', FEW_KEY: 'workers-few-key-0123' };
const KEYS = {
  // Kling 2.5 for 5 s on Krea is 200 compute units, $0.3675: the budget fits exactly 10.
  budget: { key_env: 'BUDGET_KEY', daily_budget_usd: 3.675 },
  rate: { key_env: 'RATE_KEY', requests_per_minute: 4 },
  few: { key_env: 'FEW_KEY', max_concurrent_jobs: 2 },
};
const KLING = { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse', duration: 5 };

let stub: ProviderStub;
beforeAll(async () => {
  stub = await stubProviders();
});
afterEach(() => {
  expect(stub.unexpected).toEqual([]);
});
afterAll(() => stub.restore());

/** One isolate's handler, with the keys configured; no copies of videos, so nothing runs in the background. */
function isolate() {
  const vars = env as unknown as { VIDGATE_CONFIG: Record<string, unknown> };
  const bindings: WorkerBindings = {
    ...WORKERD_TEST_BINDINGS,
    ...SECRETS,
    JOBS: env.JOBS,
    JOB_OWNERS: env.JOB_OWNERS, ASSETS: WORKER_ASSETS,
    OUTPUT_STORE: 'none',
    VIDGATE_CONFIG: { ...vars.VIDGATE_CONFIG, keys: KEYS },
  };
  const worker = createWorker({ log: () => {} });
  return requester((request) => worker.fetch(request, bindings));
}

const as = (key: string) => ({ authorization: `Bearer ${key}` });
const kreaCreates = () => stub.emulators.krea!.control.requests.filter((request) => request.kind === 'create').length;

describe('limits on Workers, shared by two isolates', () => {
  const [a, b] = [isolate(), isolate()];

  it('never overspends when 50 creates race against a budget that fits 10', async () => {
    const before = kreaCreates();
    const answers = await Promise.all(Array.from({ length: 50 }, (_, n) => (n % 2 === 0 ? a : b)('POST', '/v1/jobs', { body: KLING, headers: as(SECRETS.BUDGET_KEY) })));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(10);
    expect(statuses.filter((status) => status === 402)).toHaveLength(40);
    const refusal = answers.find((answer) => answer.status === 402)!;
    expect(refusal.body.error.code).toBe('budget_exceeded');
    expect(refusal.body.error.message).toContain('daily');
    expect(kreaCreates() - before).toBe(10);
    for (const request of [a, b]) {
      const usage = await request('GET', '/v1/usage', { headers: as(SECRETS.BUDGET_KEY) });
      expect(usage.body.data).toEqual([{ group: 'budget', jobs: 10, amount_usd: 3.675, provider_units: 2000, unit: 'krea_compute_unit' }]);
    }
  });

  it('counts one sliding minute of creates between them, answering 429 with Retry-After', async () => {
    for (let n = 0; n < 4; n++) expect((await (n % 2 === 0 ? a : b)('POST', '/v1/jobs', { body: KLING, headers: as(SECRETS.RATE_KEY) })).status).toBe(202);
    const refused = await a('POST', '/v1/jobs', { body: KLING, headers: as(SECRETS.RATE_KEY) });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limit_exceeded');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('holds the live jobs of a key to max_concurrent_jobs across isolates, and frees a slot when one ends', async () => {
    const first = await a('POST', '/v1/jobs', { body: KLING, headers: as(SECRETS.FEW_KEY) });
    expect((await b('POST', '/v1/jobs', { body: KLING, headers: as(SECRETS.FEW_KEY) })).status).toBe(202);
    const refused = await b('POST', '/v1/jobs', { body: KLING, headers: as(SECRETS.FEW_KEY) });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('concurrency_limit_exceeded');
    // Reads refresh the job from the provider (POLL_FRESHNESS_MS is 0 here) until it has ended.
    for (let job = first.body; job.status !== 'completed'; ) job = (await a('GET', `/v1/jobs/${first.body.id}`, { headers: as(SECRETS.FEW_KEY) })).body;
    expect((await b('POST', '/v1/jobs', { body: KLING, headers: as(SECRETS.FEW_KEY) })).status).toBe(202);
  });
});
