/**
 * Named keys with limits (the routing configuration's `keys`): creates over a key's rate,
 * concurrency or budget are refused before anything is sent, reservations are released when no
 * provider took the job and settle when it ends, and `GET /v1/usage` reports what each key spent.
 */
import { describe, expect, it } from 'vitest';
import type { ApiResponse } from '../support/stack.ts';
import { useStack } from '../support/stack.ts';

const SECRETS = {
  RATE_KEY: 'rate-key-0123456789',
  VIDEO_RATE_KEY: 'video-rate-key-0123456789',
  FEW_KEY: 'few-key-0123456789',
  BUDGET_KEY: 'budget-key-0123456789',
  MONTHLY_KEY: 'monthly-key-0123456789',
  RELEASE_KEY: 'release-key-0123456789',
  ZERO_KEY: 'zero-key-0123456789',
  BOSS_KEY: 'boss-key-0123456789',
};

// Kling 2.5 for 5 s on Krea: 200 compute units, $0.3675.
const KLING = { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse', duration: 5 };

const ROUTING = JSON.stringify({
  keys: {
    rate: { key_env: 'RATE_KEY', requests_per_minute: 3 },
    'video-rate': { key_env: 'VIDEO_RATE_KEY', requests_per_minute: 2 },
    few: { key_env: 'FEW_KEY', max_concurrent_jobs: 2 },
    budget: { key_env: 'BUDGET_KEY', daily_budget_usd: 3.675, monthly_budget_usd: 100 },
    monthly: { key_env: 'MONTHLY_KEY', monthly_budget_usd: 0.5 },
    release: { key_env: 'RELEASE_KEY', daily_budget_usd: 0.3675 },
    zero: { key_env: 'ZERO_KEY', daily_budget_usd: 0.3675 },
    boss: { key_env: 'BOSS_KEY', admin: true },
  },
});

const stack = useStack({ VIDGATE_CONFIG: ROUTING, ...SECRETS });

const as = (key: string) => ({ authorization: `Bearer ${key}` });
const create = (key: string, body: Record<string, unknown> = KLING) => stack.request('POST', '/v1/jobs', { body, headers: as(key) });
const kreaCreates = () => stack.emulator('krea').emulator.control.requests.filter((request) => request.kind === 'create').length;

async function untilTerminal(key: string, id: string): Promise<ApiResponse> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const job = await stack.request('GET', `/v1/jobs/${id}`, { headers: as(key) });
    if (['completed', 'failed', 'cancelled'].includes(job.body.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`job ${id} never ended`);
}

describe('requests_per_minute', () => {
  it('refuses the create over the limit with 429 rate_limit_exceeded and Retry-After, sending nothing', async () => {
    for (let i = 0; i < 3; i++) expect((await create(SECRETS.RATE_KEY)).status).toBe(202);
    const before = kreaCreates();
    const refused = await create(SECRETS.RATE_KEY);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'rate_limit_exceeded' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(kreaCreates()).toBe(before);
    // Reads are not creates: they never count.
    expect((await stack.request('GET', '/v1/jobs', { headers: as(SECRETS.RATE_KEY) })).status).toBe(200);
  });

  it('counts creates through /v1/videos too, answering in OpenAI\'s envelope', async () => {
    expect((await create(SECRETS.VIDEO_RATE_KEY)).status).toBe(202);
    const video = { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse', seconds: '5' };
    expect((await stack.request('POST', '/v1/videos', { body: video, headers: as(SECRETS.VIDEO_RATE_KEY) })).status).toBe(200);
    const refused = await stack.request('POST', '/v1/videos', { body: video, headers: as(SECRETS.VIDEO_RATE_KEY) });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'rate_limit_exceeded', type: 'rate_limit_error' });
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('max_concurrent_jobs', () => {
  it('refuses a third live job with 429 concurrency_limit_exceeded, and admits one again once a job has ended', async () => {
    const first = await create(SECRETS.FEW_KEY);
    expect((await create(SECRETS.FEW_KEY)).status).toBe(202);
    const refused = await create(SECRETS.FEW_KEY);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('concurrency_limit_exceeded');
    expect(refused.headers.get('retry-after')).toBe('5');
    expect((await untilTerminal(SECRETS.FEW_KEY, first.body.id)).body.status).toBe('completed');
    expect((await create(SECRETS.FEW_KEY)).status).toBe(202);
  });
});

describe('daily and monthly budgets', () => {
  it('never overspends when 50 creates race against a budget that fits 10', async () => {
    const before = kreaCreates();
    const answers = await Promise.all(Array.from({ length: 50 }, () => create(SECRETS.BUDGET_KEY)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(10);
    expect(statuses.filter((status) => status === 402)).toHaveLength(40);
    const refusal = answers.find((answer) => answer.status === 402)!;
    expect(refusal.body.error.code).toBe('budget_exceeded');
    expect(refusal.body.error.message).toContain('daily');
    expect(Number(refusal.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(kreaCreates() - before).toBe(10);
    const usage = await stack.request('GET', '/v1/usage', { headers: as(SECRETS.BUDGET_KEY) });
    expect(usage.body.data).toEqual([{ group: 'budget', jobs: 10, amount_usd: 3.675, provider_units: 2000, unit: 'krea_compute_unit' }]);
  });

  it('names the monthly budget when that is the one exceeded', async () => {
    expect((await create(SECRETS.MONTHLY_KEY)).status).toBe(202);
    const refused = await create(SECRETS.MONTHLY_KEY);
    expect(refused.status).toBe(402);
    expect(refused.body.error.message).toContain('monthly');
  });

  it('releases the reservation of a create no provider took', async () => {
    stack.emulator('krea').emulator.control.faults.add({ on: 'create', fault: { kind: 'status', status: 400 } });
    const refusedUpstream = await create(SECRETS.RELEASE_KEY);
    expect(refusedUpstream.status).toBe(422);
    expect(refusedUpstream.body.error.code).toBe('provider_rejected_request');
    // The whole budget is free again: the same job fits.
    const accepted = await create(SECRETS.RELEASE_KEY);
    expect(accepted.status).toBe(202);
    expect((await create(SECRETS.RELEASE_KEY)).status).toBe(402);
  });

  it('settles to zero when Krea fails the job (it bills no failed job), which frees the budget', async () => {
    const doomed = await create(SECRETS.ZERO_KEY, { ...KLING, prompt: 'a lighthouse [fail]' });
    expect(doomed.status).toBe(202);
    expect((await create(SECRETS.ZERO_KEY)).status).toBe(402);
    const failed = await untilTerminal(SECRETS.ZERO_KEY, doomed.body.id);
    expect(failed.body).toMatchObject({ status: 'failed', usage: { amount: 0 } });
    expect((await create(SECRETS.ZERO_KEY)).status).toBe(202);
  });

  it('refuses a target without a known price for a key with a budget (422 price_unknown)', async () => {
    const answer = await create(SECRETS.BUDGET_KEY, { model: 'aimlapi/klingai/v2.5-turbo/pro/text-to-video', prompt: 'a lighthouse', duration: 5 });
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({ code: 'price_unknown', param: 'model' });
  });

  it('lets GATEWAY_API_KEYS keys create without limits', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => stack.create(KLING)));
    expect(answers.every((answer) => answer.status === 202)).toBe(true);
  });
});

describe('GET /v1/usage', () => {
  it("shows a key only its own spend; an admin key sees every key's", async () => {
    const own = await stack.request('GET', '/v1/usage', { headers: as(SECRETS.RATE_KEY) });
    expect(own.status).toBe(200);
    expect(own.body.data.map((row: { group: string }) => row.group)).toEqual(['rate']);
    const all = await stack.request('GET', '/v1/usage', { headers: as(SECRETS.BOSS_KEY) });
    const groups = all.body.data.map((row: { group: string }) => row.group);
    expect(groups).toEqual(expect.arrayContaining(['budget', 'few', 'rate', 'release', 'video-rate']));
    expect(groups.some((group: string) => group.startsWith('unnamed:'))).toBe(true);
  });

  it('groups by model as requested and by provider', async () => {
    const byModel = await stack.request('GET', '/v1/usage?group_by=model', { headers: as(SECRETS.BUDGET_KEY) });
    expect(byModel.body.data).toEqual([{ group: 'krea/kling/kling-2.5', jobs: 10, amount_usd: 3.675, provider_units: 2000, unit: 'krea_compute_unit' }]);
    const byProvider = await stack.request('GET', '/v1/usage?group_by=provider', { headers: as(SECRETS.BUDGET_KEY) });
    expect(byProvider.body.data).toEqual([{ group: 'krea', jobs: 10, amount_usd: 3.675, provider_units: 2000, unit: 'krea_compute_unit' }]);
  });

  it('defaults to the current UTC month and takes whole days, `to` included', async () => {
    const now = new Date();
    const month = await stack.request('GET', '/v1/usage', { headers: as(SECRETS.BUDGET_KEY) });
    const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().slice(0, 10);
    const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
    expect(month.body).toMatchObject({ object: 'usage', from: first, to: last });
    const today = now.toISOString().slice(0, 10);
    expect((await stack.request('GET', `/v1/usage?from=${today}&to=${today}`, { headers: as(SECRETS.BUDGET_KEY) })).body.data[0].jobs).toBe(10);
    expect((await stack.request('GET', '/v1/usage?from=2020-01-01&to=2020-01-31', { headers: as(SECRETS.BUDGET_KEY) })).body.data).toEqual([]);
  });

  it.each([
    ['from=2026-13-01', 'from'],
    ['from=2026-12-05&to=2026-12-01', 'to'],
    ['group_by=day', 'group_by'],
    ['limit=3', 'limit'],
  ])('refuses %s with a 400 naming %s', async (query, param) => {
    const answer = await stack.request('GET', `/v1/usage?${query}`, { headers: as(SECRETS.BUDGET_KEY) });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'invalid_request', param });
  });
});
