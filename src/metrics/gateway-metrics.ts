/**
 * The gateway's metrics, with fixed names and labels (README "Metrics"), served at `GET /metrics`.
 * One set per gateway instance (`createGateway`), threaded to where things happen the way the
 * logger is. On Workers each isolate has its own set, so counts there are per isolate: a scrape
 * sees the isolate that answered it, not the whole deployment.
 *
 * Every label value comes from a fixed set (route patterns, provider names, the outcome types
 * below), never from a request, so the number of series stays bounded.
 */
import type { UpstreamCallKind } from '../../providers/types.ts';
import { metricsRegistry } from './registry.ts';

/** The `route` of a request no route matched (an unknown path or method, a refusal below the app). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * How one upstream attempt ended: `ok` (a 2xx with a readable body), `redirect` (3xx, never
 * followed), `http_4xx`, `http_5xx`, `timeout` (no answer in time), `network_error` (the
 * connection failed), `bad_response` (a 2xx whose body was too large, too deep or not JSON).
 */
export type UpstreamOutcome = 'ok' | 'redirect' | 'http_4xx' | 'http_5xx' | 'timeout' | 'network_error' | 'bad_response';
export type FinishedStatus = 'completed' | 'failed' | 'cancelled';
/** Per attempt: `delivered` (2xx), `failed_attempt` (to be retried), `given_up` (a 410, or the last retry failed). */
export type WebhookDeliveryOutcome = 'delivered' | 'failed_attempt' | 'given_up';
/** Per copy attempt: `stored`, or `failed` (retried later unless it was the last try). */
export type OutputCopyOutcome = 'stored' | 'failed';
export type LimitRejectionReason = 'rate_limit_exceeded' | 'concurrency_limit_exceeded' | 'budget_exceeded' | 'cost_limit_exceeded';
/** `estimate`: what the gateway reckoned a job costs; `provider`: what the provider reported charging. */
export type SpendSource = 'estimate' | 'provider';

export interface GatewayMetrics {
  /** `route` is the route pattern (`/v1/jobs/:id`) or {@link UNMATCHED_ROUTE}, never a raw path. */
  httpRequest(route: string, status: number): void;
  upstreamCall(provider: string, kind: UpstreamCallKind, outcome: UpstreamOutcome, seconds: number): void;
  /** Once per job, when it first becomes terminal; `seconds` from its creation. */
  jobFinished(provider: string, status: FinishedStatus, seconds: number): void;
  webhookDelivery(outcome: WebhookDeliveryOutcome): void;
  outputCopy(outcome: OutputCopyOutcome): void;
  limitRejected(reason: LimitRejectionReason): void;
  spent(provider: string, source: SpendSource, usd: number): void;
  /** The scrape answer, in the Prometheus text format 0.0.4. */
  render(): string;
}

/** Provider calls: a poll answers in well under a second, a create can take its 30 s timeout. */
export const UPSTREAM_DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Jobs: from seconds (a cached or failed one) to hours (a long render in a queue). */
export const JOB_DURATION_BUCKETS = [5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 21600];

const WEBHOOK_OUTCOMES: readonly WebhookDeliveryOutcome[] = ['delivered', 'failed_attempt', 'given_up'];
const COPY_OUTCOMES: readonly OutputCopyOutcome[] = ['stored', 'failed'];
const LIMIT_REASONS: readonly LimitRejectionReason[] = ['rate_limit_exceeded', 'concurrency_limit_exceeded', 'budget_exceeded', 'cost_limit_exceeded'];

export function createGatewayMetrics(): GatewayMetrics {
  const registry = metricsRegistry();
  const requests = registry.counter({ name: 'vidgate_http_requests_total', help: 'HTTP requests answered, by route pattern and status.', labels: ['route', 'status'] });
  const upstreamCalls = registry.counter({ name: 'vidgate_upstream_requests_total', help: 'Provider API attempts (each retry counts), by provider, call kind and outcome.', labels: ['provider', 'kind', 'outcome'] });
  const upstreamSeconds = registry.histogram({ name: 'vidgate_upstream_duration_seconds', help: 'Duration of provider API attempts, by provider and call kind.', labels: ['provider', 'kind'], buckets: UPSTREAM_DURATION_BUCKETS });
  const finished = registry.counter({ name: 'vidgate_jobs_finished_total', help: 'Jobs that reached a terminal status, counted once per job.', labels: ['provider', 'status'] });
  const jobSeconds = registry.histogram({ name: 'vidgate_job_duration_seconds', help: 'Time from a job\'s creation to its terminal status.', labels: ['provider'], buckets: JOB_DURATION_BUCKETS });
  const webhooks = registry.counter({ name: 'vidgate_webhook_deliveries_total', help: 'Webhook delivery attempts, by outcome.', labels: ['outcome'] });
  const copies = registry.counter({ name: 'vidgate_output_copies_total', help: 'Attempts to copy a finished video to the output store, by outcome.', labels: ['outcome'] });
  const rejections = registry.counter({ name: 'vidgate_limit_rejections_total', help: 'Requests refused by a configured limit, by reason.', labels: ['reason'] });
  const spend = registry.counter({ name: 'vidgate_spend_usd_total', help: 'Spend in US dollars, by provider and source (estimate or provider-reported).', labels: ['provider', 'source'], resolution: 1_000_000 });
  // Series whose labels are all known up front start at 0, so a rate over them exists before the first event.
  for (const outcome of WEBHOOK_OUTCOMES) webhooks.inc({ outcome }, 0);
  for (const outcome of COPY_OUTCOMES) copies.inc({ outcome }, 0);
  for (const reason of LIMIT_REASONS) rejections.inc({ reason }, 0);
  return {
    httpRequest: (route, status) => requests.inc({ route, status: String(status) }),
    upstreamCall(provider, kind, outcome, seconds) {
      upstreamCalls.inc({ provider, kind, outcome });
      upstreamSeconds.observe({ provider, kind }, seconds);
    },
    jobFinished(provider, status, seconds) {
      finished.inc({ provider, status });
      jobSeconds.observe({ provider }, seconds);
    },
    webhookDelivery: (outcome) => webhooks.inc({ outcome }),
    outputCopy: (outcome) => copies.inc({ outcome }),
    limitRejected: (reason) => rejections.inc({ reason }),
    spent: (provider, source, usd) => spend.inc({ provider, source }, usd),
    render: () => registry.render(),
  };
}
