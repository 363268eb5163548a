/**
 * A named key's limits hold across instances: two real gateway processes on one real PostgreSQL
 * database share each key's ledger (src/node/postgres-ledger.ts), so a budget, a rate and a
 * concurrency limit are one limit for the deployment, not one per process. Each case sends more
 * to each process than the whole limit allows, so per-process counting would show.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayProcess } from '../support/process.ts';
import { freshDatabase } from '../support/fresh-database.ts';
import { call, startCluster, type Cluster } from '../support/process-cluster.ts';

const SECRETS = {
  SHARED_BUDGET_KEY: 'shared-budget-key-0123456789',
  SHARED_RATE_KEY: 'shared-rate-key-0123456789',
  SHARED_FEW_KEY: 'shared-few-key-0123456789',
};

// Kling 2.5 for 5 s on Krea: 200 compute units, $0.3675; a daily budget of $3.675 fits exactly 10.
const KLING = { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse', duration: 5 };

const ROUTING = JSON.stringify({
  keys: {
    budget: { key_env: 'SHARED_BUDGET_KEY', daily_budget_usd: 3.675 },
    rate: { key_env: 'SHARED_RATE_KEY', requests_per_minute: 4 },
    few: { key_env: 'SHARED_FEW_KEY', max_concurrent_jobs: 2 },
  },
});

// Emulated jobs take ten minutes a step and nobody polls: every accepted job stays live for the
// whole file, so the concurrency case decides when a job ends (by cancelling it).
const INSTANCE = { VIDGATE_CONFIG: ROUTING, ...SECRETS, POLL_INTERVAL_MS: '3600000', POLL_FRESHNESS_MS: '3600000' };

let cluster: Cluster;
let a: GatewayProcess;
let b: GatewayProcess;
beforeAll(async () => {
  cluster = await startCluster({ progression: { mode: 'timed', msPerStep: 600_000 }, store: { DATABASE_URL: await freshDatabase() } });
  // One after the other: the first applies the schema's migrations.
  a = await cluster.spawn(INSTANCE);
  b = await cluster.spawn(INSTANCE);
});
afterAll(async () => {
  await cluster?.close();
});

const create = (gateway: GatewayProcess, key: string) => call(gateway, 'POST', '/v1/jobs', KLING, key);
const kreaCreates = () => cluster.emulators.krea!.emulator.control.requests.filter((request) => request.kind === 'create').length;
const statuses = (answers: { status: number }[]) => answers.map((answer) => answer.status);

describe('a daily budget shared by two gateways', () => {
  it('admits exactly the 10 jobs it fits when 50 creates race, 25 on each process', async () => {
    const before = kreaCreates();
    const sent = Array.from({ length: 50 }, (_, n) => (n % 2 === 0 ? a : b));
    const answers = await Promise.all(sent.map((gateway) => create(gateway, SECRETS.SHARED_BUDGET_KEY)));
    expect(statuses(answers).filter((status) => status === 202)).toHaveLength(10);
    expect(statuses(answers).filter((status) => status === 402)).toHaveLength(40);
    // Either process alone was sent more than the budget fits (25 > 10): both refused some.
    for (const gateway of [a, b]) expect(answers.some((answer, n) => sent[n] === gateway && answer.status === 402)).toBe(true);
    for (const refusal of answers.filter((answer) => answer.status === 402)) {
      expect(refusal.body.error.code).toBe('budget_exceeded');
      expect(refusal.body.error.message).toContain('daily');
    }
    expect(kreaCreates() - before).toBe(10);
  });

  it('reports the same 10 jobs and $3.675 from either process', async () => {
    for (const gateway of [a, b]) {
      const usage = await call(gateway, 'GET', '/v1/usage', undefined, SECRETS.SHARED_BUDGET_KEY);
      expect(usage.status).toBe(200);
      expect(usage.body.data).toEqual([{ group: 'budget', jobs: 10, amount_usd: 3.675, provider_units: 2000, unit: 'krea_compute_unit' }]);
    }
  });
});

describe('a rate limit shared by two gateways', () => {
  it('refuses the 5th create of the minute with 429 rate_limit_exceeded and Retry-After, whichever process gets it', async () => {
    const before = kreaCreates();
    for (let n = 0; n < 4; n++) expect((await create(n % 2 === 0 ? a : b, SECRETS.SHARED_RATE_KEY)).status).toBe(202);
    for (const gateway of [a, b]) {
      const refused = await create(gateway, SECRETS.SHARED_RATE_KEY);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('rate_limit_exceeded');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    }
    expect(kreaCreates() - before).toBe(4);
  });
});

describe('a concurrency limit shared by two gateways', () => {
  it('refuses a third live job on the other process, and admits one again once a job ended there', async () => {
    const first = await create(a, SECRETS.SHARED_FEW_KEY);
    expect(first.status).toBe(202);
    expect((await create(a, SECRETS.SHARED_FEW_KEY)).status).toBe(202);
    const refused = await create(b, SECRETS.SHARED_FEW_KEY);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('concurrency_limit_exceeded');
    expect(refused.headers.get('retry-after')).toBe('5');
    // Cancelled through the process that did not create it: its booking stops counting for both.
    const cancelled = await call(b, 'POST', `/v1/jobs/${first.body.id}/cancel`, undefined, SECRETS.SHARED_FEW_KEY);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await create(b, SECRETS.SHARED_FEW_KEY)).status).toBe(202);
    expect((await create(a, SECRETS.SHARED_FEW_KEY)).status).toBe(429);
  });
});
