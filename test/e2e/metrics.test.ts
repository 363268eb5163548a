/**
 * `GET /metrics` end to end: the gateway as `npm start` runs it, the emulators, a scripted workload
 * (3 jobs that complete, 1 that fails at the provider with a webhook that is retried once, 1
 * cancelled, a create over its key's rate limit, one over its max_cost_usd, a 422, 2 unknown
 * routes, a provider 500 on one poll), then one scrape whose counters
 * must be exactly what the workload did. Jobs only move when the test polls them (no background
 * polls), so every upstream call is one the workload made.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROMETHEUS_CONTENT_TYPE } from '../../src/metrics/exposition.ts';
import { hasPendingCopies } from '../../src/outputs/videos.ts';
import { requestHead, sendRaw } from '../support/raw-http.ts';
import { callsOf, useStack, type ApiResponse } from '../support/stack.ts';
import { startWebhookReceiver, TEST_WEBHOOK_SECRET, type WebhookReceiver } from '../support/webhook-receiver.ts';

const METRICS_TOKEN = 'test-metrics-token-0123456789';
const LIMITED_KEY = 'limited-key-0123456789';
const stack = useStack({
  METRICS_TOKEN,
  LIMITED_KEY,
  VIDGATE_CONFIG: JSON.stringify({ keys: { limited: { key_env: 'LIMITED_KEY', requests_per_minute: 1 } } }),
  WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
  WEBHOOK_RETRY_SCHEDULE_MS: '50,50',
  ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
});
const scraper = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
const kling = { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' };

let receiver: WebhookReceiver;
let scrape: ApiResponse;
let samples: Map<string, number>;
let jobIds: string[];
let emulatorCalls: { creates: number; polls: number };

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  // The first webhook attempt is answered 500, the retry 204.
  receiver.once({ kind: 'status', status: 500 });
  await stack.request('GET', '/metrics', scraper('not-the-metrics-token'));
  await stack.request('GET', '/metrics', { headers: { authorization: '' } });

  // One poll attempt answered 500 by Krea: retried at once, so the client never sees it.
  stack.emulator('krea').emulator.control.faults.add({ on: 'poll', fault: { kind: 'status', status: 500 }, times: 1 });
  const completed = await Promise.all([0, 1, 2].map(() => stack.create(kling)));
  for (const created of completed) expect((await stack.pollUntilTerminal(created.body.id)).body.status).toBe('completed');

  const failing = await stack.create({ ...kling, prompt: 'a lighthouse [fail]', webhook_url: `${receiver.url}/hooks` });
  expect((await stack.pollUntilTerminal(failing.body.id)).body.status).toBe('failed');

  const cancelled = await stack.create(kling);
  expect((await stack.request('POST', `/v1/jobs/${cancelled.body.id}/cancel`)).body.status).toBe('cancelled');

  // A key allowed one create a minute: the second is refused before any provider call.
  const limited = { body: kling, headers: { authorization: `Bearer ${LIMITED_KEY}` } };
  expect((await stack.request('POST', '/v1/jobs', limited)).status).toBe(202);
  expect((await stack.request('POST', '/v1/jobs', limited)).status).toBe(429);
  // Kling 2.5 at 5 s is $0.3675: above this job's max_cost_usd.
  expect((await stack.create({ ...kling, max_cost_usd: 0.1 })).body.error.code).toBe('cost_limit_exceeded');

  expect((await stack.create({ ...kling, duration: 7 })).status).toBe(422);
  expect((await stack.request('GET', '/no-such-route')).status).toBe(404);
  expect((await stack.request('GET', '/v1/no-such-route')).status).toBe(404);

  jobIds = [...completed, failing, cancelled].map((created) => created.body.id);
  emulatorCalls = { creates: callsOf(stack.emulator('krea'), 'create').length, polls: callsOf(stack.emulator('krea'), 'poll').length };
  // The copies (made by the driver) and the webhook (sent by the outbox) finish in the background.
  await until(async () => (await Promise.all(completed.map((created) => stack.gateway.lifecycle.store.get(created.body.id)))).every((record) => !hasPendingCopies(record!.videos)));
  await receiver.waitFor(2);
  await until(async () => (await stack.gateway.lifecycle.store.listDeliveries(failing.body.id))[0]?.state === 'delivered');

  scrape = await stack.request('GET', '/metrics', scraper(METRICS_TOKEN));
  samples = parseSamples(scrape.text);
});
afterAll(() => receiver.close());

describe('GET /metrics with METRICS_TOKEN', () => {
  it('answers the Prometheus text format with the token', () => {
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(scrape.text.endsWith('\n')).toBe(true);
  });

  it('counts requests by route pattern and status, with unknown paths as unmatched (the scrape itself comes after)', () => {
    expect(family('vidgate_http_requests_total')).toEqual({
      'vidgate_http_requests_total{route="/metrics",status="401"}': 2,
      'vidgate_http_requests_total{route="/v1/jobs",status="202"}': 6,
      'vidgate_http_requests_total{route="/v1/jobs",status="422"}': 2,
      'vidgate_http_requests_total{route="/v1/jobs",status="429"}': 1,
      'vidgate_http_requests_total{route="/v1/jobs/:id",status="200"}': 20,
      'vidgate_http_requests_total{route="/v1/jobs/:id/cancel",status="200"}': 1,
      'vidgate_http_requests_total{route="unmatched",status="404"}': 2,
    });
  });

  it('never puts a job id in a label', () => {
    for (const id of jobIds) expect(scrape.text).not.toContain(id);
  });

  it('counts every upstream attempt by kind and outcome, the retried 500 included', () => {
    expect(family('vidgate_upstream_requests_total')).toEqual({
      'vidgate_upstream_requests_total{provider="krea",kind="cancel",outcome="ok"}': 1,
      'vidgate_upstream_requests_total{provider="krea",kind="create",outcome="ok"}': 6,
      // 4 jobs × 5 polls to the end, plus the cancel's read-back.
      'vidgate_upstream_requests_total{provider="krea",kind="poll",outcome="http_5xx"}': 1,
      'vidgate_upstream_requests_total{provider="krea",kind="poll",outcome="ok"}': 21,
    });
    expect(emulatorCalls).toEqual({ creates: 6, polls: 22 });
    expect(samples.get('vidgate_upstream_duration_seconds_count{provider="krea",kind="create"}')).toBe(6);
    expect(samples.get('vidgate_upstream_duration_seconds_count{provider="krea",kind="poll"}')).toBe(22);
    expect(samples.get('vidgate_upstream_duration_seconds_count{provider="krea",kind="cancel"}')).toBe(1);
    expect(samples.get('vidgate_upstream_duration_seconds_bucket{provider="krea",kind="poll",le="+Inf"}')).toBe(22);
  });

  it('counts each job once when it finishes, however often it was read afterwards', async () => {
    for (const id of jobIds) await stack.poll(id);
    const again = parseSamples((await stack.request('GET', '/metrics', scraper(METRICS_TOKEN))).text);
    const finished = {
      'vidgate_jobs_finished_total{provider="krea",status="cancelled"}': 1,
      'vidgate_jobs_finished_total{provider="krea",status="completed"}': 3,
      'vidgate_jobs_finished_total{provider="krea",status="failed"}': 1,
    };
    expect(family('vidgate_jobs_finished_total')).toEqual(finished);
    expect(family('vidgate_jobs_finished_total', again)).toEqual(finished);
    expect(again.get('vidgate_job_duration_seconds_count{provider="krea"}')).toBe(5);
  });

  it('has a job duration histogram whose buckets are cumulative up to +Inf = _count = finished jobs', () => {
    const buckets = [...samples].filter(([key]) => key.startsWith('vidgate_job_duration_seconds_bucket{provider="krea",'));
    expect(buckets.at(-1)).toEqual(['vidgate_job_duration_seconds_bucket{provider="krea",le="+Inf"}', 5]);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]![1]).toBeGreaterThanOrEqual(buckets[i - 1]![1]);
    expect(samples.get('vidgate_job_duration_seconds_count{provider="krea"}')).toBe(5);
  });

  it('counts copies of videos and webhook attempts by outcome', () => {
    expect(family('vidgate_output_copies_total')).toEqual({ 'vidgate_output_copies_total{outcome="failed"}': 0, 'vidgate_output_copies_total{outcome="stored"}': 3 });
    expect(family('vidgate_webhook_deliveries_total')).toEqual({
      'vidgate_webhook_deliveries_total{outcome="delivered"}': 1,
      'vidgate_webhook_deliveries_total{outcome="failed_attempt"}': 1,
      'vidgate_webhook_deliveries_total{outcome="given_up"}': 0,
    });
  });

  it('declares every metric with HELP and TYPE, limits and spend included before anything is counted', () => {
    for (const name of ['vidgate_http_requests_total', 'vidgate_upstream_requests_total', 'vidgate_upstream_duration_seconds', 'vidgate_jobs_finished_total', 'vidgate_job_duration_seconds', 'vidgate_webhook_deliveries_total', 'vidgate_output_copies_total', 'vidgate_limit_rejections_total', 'vidgate_spend_usd_total']) {
      expect(scrape.text).toMatch(new RegExp(`^# HELP ${name} .+\\n# TYPE ${name} (counter|histogram)$`, 'm'));
    }
  });

  it('counts limit rejections by reason, and the spend of finished jobs by provider and source', () => {
    expect(family('vidgate_limit_rejections_total')).toEqual({
      'vidgate_limit_rejections_total{reason="rate_limit_exceeded"}': 1,
      'vidgate_limit_rejections_total{reason="concurrency_limit_exceeded"}': 0,
      'vidgate_limit_rejections_total{reason="budget_exceeded"}': 0,
      'vidgate_limit_rejections_total{reason="cost_limit_exceeded"}': 1,
    });
    // Three completed Kling 2.5 jobs at $0.3675; Krea bills neither the failed nor the cancelled one.
    expect(family('vidgate_spend_usd_total')).toEqual({ 'vidgate_spend_usd_total{provider="krea",source="estimate"}': 1.1025 });
  });

  it('answers 401 in the error envelope for a wrong or missing token, and a gateway key is not one', async () => {
    const wrong = await stack.request('GET', '/metrics', scraper('not-the-metrics-token'));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
    expect(wrong.body.error).toMatchObject({ code: 'invalid_metrics_token', request_id: expect.stringMatching(/^req_/) });
    const gatewayKey = await stack.request('GET', '/metrics');
    expect(gatewayKey.body.error.code).toBe('invalid_metrics_token');
    const missing = await stack.request('GET', '/metrics', { headers: { authorization: '' } });
    expect(missing.body.error.code).toBe('missing_metrics_token');
    expect(wrong.text + gatewayKey.text + missing.text).not.toContain('vidgate_');
  });
});

describe('refusals below the app (Node)', () => {
  it('counts requests Node refuses before the app (no Host, a bad Expect, a raw backslash) as unmatched, and parser errors not at all', async () => {
    const before = parseSamples((await stack.request('GET', '/metrics', scraper(METRICS_TOKEN))).text);
    expect((await sendRaw(stack.gateway.url, 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n')).responses[0]!.status).toBe(400);
    expect((await sendRaw(stack.gateway.url, requestHead('GET /healthz HTTP/1.1', { Expect: 'teapot' }))).responses[0]!.status).toBe(417);
    expect((await sendRaw(stack.gateway.url, requestHead('GET /v1/jobs/a\\b HTTP/1.1'))).responses[0]!.status).toBe(400);
    expect((await sendRaw(stack.gateway.url, requestHead('GET /v1/jobs/a\u0001b HTTP/1.1'))).responses[0]!.status).toBe(400);
    const after = parseSamples((await stack.request('GET', '/metrics', scraper(METRICS_TOKEN))).text);
    const unmatched = (samplesOf: Map<string, number>, status: number) => samplesOf.get(`vidgate_http_requests_total{route="unmatched",status="${status}"}`) ?? 0;
    expect(unmatched(after, 400) - unmatched(before, 400)).toBe(2);
    expect(unmatched(after, 417) - unmatched(before, 417)).toBe(1);
  });
});

describe('GET /metrics without METRICS_TOKEN', () => {
  it('is the same 404 as an unknown route', async () => {
    const { METRICS_TOKEN: _token, ...withoutToken } = stack.env;
    await stack.restartGateway(withoutToken);
    const answer = await stack.request('GET', '/metrics');
    const unknown = await stack.request('GET', '/metricz');
    expect(answer.status).toBe(404);
    expect(answer.body.error).toEqual({ code: 'not_found', message: 'No route GET /metrics.', request_id: expect.any(String) });
    expect(Object.keys(answer.body.error)).toEqual(Object.keys(unknown.body.error));
    expect(answer.body.error.message.replace('/metrics', '/metricz')).toBe(unknown.body.error.message);
  });
});

/** `name{labels}` → value, for every sample line of a scrape. */
function parseSamples(text: string): Map<string, number> {
  const parsed = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    parsed.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return parsed;
}

/** The samples of one family (exactly that name, not its `_bucket`, `_sum`, `_count`). */
function family(name: string, from = samples): Record<string, number> {
  return Object.fromEntries([...from].filter(([key]) => key === name || key.startsWith(`${name}{`)));
}

async function until(done: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`not done within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
