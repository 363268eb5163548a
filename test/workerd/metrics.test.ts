/**
 * `GET /metrics` on the Worker inside workerd: served with `METRICS_TOKEN` (counts of this
 * isolate's own requests, provider calls and jobs), a 401 with another token, and the same 404 as
 * an unknown route without it. Each handler built here is one "isolate", with metrics of its own.
 */
import { env } from 'cloudflare:workers';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWorker } from '../../src/worker/create-worker.ts';
import type { WorkerBindings } from '../../src/worker/bindings.ts';
import { PROMETHEUS_CONTENT_TYPE } from '../../src/metrics/exposition.ts';
import { WORKERD_TEST_BINDINGS } from './support/bindings.ts';
import { requester, WORKER_ASSETS } from './support/gateway.ts';
import { stubProviders, type ProviderStub } from './support/provider-stub.ts';

const METRICS_TOKEN = 'test-metrics-token-0123456789';
const scraper = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

let stub: ProviderStub;
beforeAll(async () => {
  stub = await stubProviders();
});
beforeEach(() => stub.emulators.krea!.control.reset());
afterEach(() => {
  expect(stub.unexpected).toEqual([]);
});
afterAll(() => stub.restore());

/** A fresh isolate's handler; no copies of videos, so nothing happens in the background. */
function isolate(extra: Record<string, unknown> = {}) {
  const bindings: WorkerBindings = { ...WORKERD_TEST_BINDINGS, JOBS: env.JOBS, JOB_OWNERS: env.JOB_OWNERS, ASSETS: WORKER_ASSETS, OUTPUT_STORE: 'none', ...extra };
  const worker = createWorker({ log: () => {} });
  return requester((request) => worker.fetch(request, bindings));
}

describe('GET /metrics on the Worker', () => {
  it('serves this isolate\'s counts with METRICS_TOKEN', async () => {
    const request = isolate({ METRICS_TOKEN });
    const created = await request('POST', '/v1/jobs', { body: { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' } });
    expect(created.status).toBe(202);
    let polls = 0;
    for (let job = created.body; job.status !== 'completed'; polls++) job = (await request('GET', `/v1/jobs/${created.body.id}`)).body;
    expect((await request('GET', '/nowhere')).status).toBe(404);

    const scrape = await request('GET', '/metrics', scraper(METRICS_TOKEN));
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toBe(PROMETHEUS_CONTENT_TYPE);
    const lines = scrape.text.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'vidgate_http_requests_total{route="/v1/jobs",status="202"} 1',
        `vidgate_http_requests_total{route="/v1/jobs/:id",status="200"} ${polls}`,
        'vidgate_http_requests_total{route="unmatched",status="404"} 1',
        'vidgate_upstream_requests_total{provider="krea",kind="create",outcome="ok"} 1',
        `vidgate_upstream_requests_total{provider="krea",kind="poll",outcome="ok"} ${polls}`,
        'vidgate_jobs_finished_total{provider="krea",status="completed"} 1',
        'vidgate_job_duration_seconds_count{provider="krea"} 1',
      ]),
    );
    expect(polls).toBe(5);
    expect(lines.filter((line) => line.startsWith('vidgate_http_requests_total{'))).toHaveLength(3);
    expect(scrape.text).not.toContain(created.body.id);
  });

  it('answers 401 invalid_metrics_token to another token, a gateway key included', async () => {
    const request = isolate({ METRICS_TOKEN });
    const wrong = await request('GET', '/metrics', scraper('not-the-metrics-token'));
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_metrics_token');
    expect((await request('GET', '/metrics')).body.error.code).toBe('invalid_metrics_token');
  });

  it('is the same 404 as an unknown route without METRICS_TOKEN', async () => {
    const request = isolate();
    const answer = await request('GET', '/metrics', scraper(METRICS_TOKEN));
    expect(answer.status).toBe(404);
    expect(answer.body.error).toEqual({ code: 'not_found', message: 'No route GET /metrics.', request_id: expect.any(String) });
  });
});
