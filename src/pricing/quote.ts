/**
 * `POST /v1/jobs/quote`: the create's own planning (validation, routing, capabilities, the
 * `max_cost_usd` rule) without writing a job or calling a provider, answered with the estimate of
 * the target the create would try first and of each fallback after it.
 */
import type { GatewayConfig } from '../config.ts';
import { planCreate } from '../jobs/create.ts';
import type { Prepared } from '../jobs/fallback.ts';
import type { ModelIndex } from '../router.ts';
import type { CreateJobRequest } from '../schemas/create-job.ts';
import type { Quote, QuotedTarget } from '../schemas/quote.ts';

export async function quoteJob(config: GatewayConfig, models: ModelIndex, request: CreateJobRequest): Promise<Quote> {
  const { plan } = await planCreate(config, models, request);
  const [first, ...fallbacks] = plan.candidates.map(quoted);
  return { object: 'quote', model: request.model, ...first!, alternatives: fallbacks };
}

function quoted(prepared: Prepared): QuotedTarget {
  return { target: prepared.target.publicId, estimate: prepared.estimate };
}
