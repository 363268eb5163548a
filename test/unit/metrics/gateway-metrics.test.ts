/** The gateway's metric set: fixed names and labels, and how upstream attempts are classified. */
import { describe, expect, it } from 'vitest';
import { krea } from '../../../providers/krea/with-routes.ts';
import { GatewayError, upstreamError } from '../../../src/errors.ts';
import { createGatewayMetrics } from '../../../src/metrics/gateway-metrics.ts';
import { upstreamOutcome } from '../../../src/metrics/upstream-outcome.ts';

/** `name{labels} value` lines of the scrape, without comments. */
function samples(text: string): string[] {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

describe('the gateway metrics', () => {
  it('declares every metric with HELP and TYPE, in a fixed order', () => {
    const types = createGatewayMetrics().render().split('\n').filter((line) => line.startsWith('# TYPE'));
    expect(types).toEqual([
      '# TYPE vidgate_http_requests_total counter',
      '# TYPE vidgate_upstream_requests_total counter',
      '# TYPE vidgate_upstream_duration_seconds histogram',
      '# TYPE vidgate_jobs_finished_total counter',
      '# TYPE vidgate_job_duration_seconds histogram',
      '# TYPE vidgate_webhook_deliveries_total counter',
      '# TYPE vidgate_output_copies_total counter',
      '# TYPE vidgate_limit_rejections_total counter',
      '# TYPE vidgate_spend_usd_total counter',
    ]);
    const helps = createGatewayMetrics().render().split('\n').filter((line) => line.startsWith('# HELP'));
    expect(helps.map((line) => line.split(' ')[2])).toEqual(types.map((line) => line.split(' ')[2]));
  });

  it('starts the series whose labels are all known up front at 0', () => {
    expect(samples(createGatewayMetrics().render())).toEqual([
      'vidgate_webhook_deliveries_total{outcome="delivered"} 0',
      'vidgate_webhook_deliveries_total{outcome="failed_attempt"} 0',
      'vidgate_webhook_deliveries_total{outcome="given_up"} 0',
      'vidgate_output_copies_total{outcome="failed"} 0',
      'vidgate_output_copies_total{outcome="stored"} 0',
      'vidgate_limit_rejections_total{reason="budget_exceeded"} 0',
      'vidgate_limit_rejections_total{reason="concurrency_limit_exceeded"} 0',
      'vidgate_limit_rejections_total{reason="cost_limit_exceeded"} 0',
      'vidgate_limit_rejections_total{reason="rate_limit_exceeded"} 0',
    ]);
  });

  it('counts what each function is told, under the documented labels', () => {
    const metrics = createGatewayMetrics();
    metrics.httpRequest('/v1/jobs/:id', 200);
    metrics.upstreamCall('krea', 'poll', 'http_5xx', 0.2);
    metrics.jobFinished('krea', 'completed', 42);
    metrics.webhookDelivery('given_up');
    metrics.outputCopy('stored');
    metrics.limitRejected('budget_exceeded');
    for (let i = 0; i < 10; i++) metrics.spent('krea', 'estimate', 0.367);
    metrics.spent('krea', 'provider', 0.5);
    const lines = samples(metrics.render());
    expect(lines).toEqual(
      expect.arrayContaining([
        'vidgate_http_requests_total{route="/v1/jobs/:id",status="200"} 1',
        'vidgate_upstream_requests_total{provider="krea",kind="poll",outcome="http_5xx"} 1',
        'vidgate_upstream_duration_seconds_bucket{provider="krea",kind="poll",le="0.1"} 0',
        'vidgate_upstream_duration_seconds_bucket{provider="krea",kind="poll",le="0.25"} 1',
        'vidgate_upstream_duration_seconds_bucket{provider="krea",kind="poll",le="+Inf"} 1',
        'vidgate_upstream_duration_seconds_sum{provider="krea",kind="poll"} 0.2',
        'vidgate_upstream_duration_seconds_count{provider="krea",kind="poll"} 1',
        'vidgate_jobs_finished_total{provider="krea",status="completed"} 1',
        'vidgate_job_duration_seconds_bucket{provider="krea",le="30"} 0',
        'vidgate_job_duration_seconds_bucket{provider="krea",le="60"} 1',
        'vidgate_job_duration_seconds_count{provider="krea"} 1',
        'vidgate_webhook_deliveries_total{outcome="given_up"} 1',
        'vidgate_output_copies_total{outcome="stored"} 1',
        'vidgate_limit_rejections_total{reason="budget_exceeded"} 1',
        'vidgate_spend_usd_total{provider="krea",source="estimate"} 3.67',
        'vidgate_spend_usd_total{provider="krea",source="provider"} 0.5',
      ]),
    );
  });

  it('keeps one set per instance', () => {
    const first = createGatewayMetrics();
    first.httpRequest('/healthz', 200);
    expect(createGatewayMetrics().render()).not.toContain('vidgate_http_requests_total{');
    expect(first.render()).toContain('vidgate_http_requests_total{route="/healthz",status="200"} 1');
  });
});

describe('an upstream attempt\'s outcome', () => {
  const timeout = upstreamError('timeout', { provider: krea });
  const network = upstreamError('network', { provider: krea });
  const bad = upstreamError('bad_response', { provider: krea });

  it('is the status class of a non-2xx answer, whatever error it became', () => {
    expect(upstreamOutcome(404, upstreamError('not_found', { provider: krea }))).toBe('http_4xx');
    expect(upstreamOutcome(429, upstreamError('rate_limited', { provider: krea }))).toBe('http_4xx');
    expect(upstreamOutcome(503, upstreamError('unavailable', { provider: krea }))).toBe('http_5xx');
    expect(upstreamOutcome(302, bad)).toBe('redirect');
  });

  it('is ok for a 2xx that was used, bad_response for one that was not', () => {
    expect(upstreamOutcome(200)).toBe('ok');
    expect(upstreamOutcome(200, bad)).toBe('bad_response');
    expect(upstreamOutcome(200, new Error('a bug'))).toBe('bad_response');
  });

  it('is timeout or network_error when no answer (or not all of it) arrived', () => {
    expect(upstreamOutcome(undefined, timeout)).toBe('timeout');
    expect(upstreamOutcome(200, timeout)).toBe('timeout');
    expect(upstreamOutcome(undefined, network)).toBe('network_error');
    expect(upstreamOutcome(undefined, new GatewayError({ status: 500, code: 'internal_error', message: 'x' }))).toBe('bad_response');
  });
});
