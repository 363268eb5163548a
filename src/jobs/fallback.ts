/**
 * Fallback: a route's targets are tried in order until one takes the job. A target is skipped when
 * it cannot take the job for sure: its provider is disabled or has no key, the request does not fit
 * its capabilities (checked without calling it), or the provider refused the create in a way that
 * provably started no job. Any other failure ends the attempt: after a provider may have accepted
 * the job, trying another would bill twice. (The create flow, src/jobs/create.ts, runs the loop so
 * that the job record names each target before it is called.)
 */
import type { JobWarning, StartRequest, StartResult } from '../../providers/types.ts';
import { applyCapabilities, type AppliedRequest } from '../capabilities/apply.ts';
import { validateProviderOptions } from '../capabilities/provider-options.ts';
import type { GatewayConfig } from '../config.ts';
import { GatewayError, unsupported } from '../errors.ts';
import type { Route, Target } from '../router.ts';
import type { CreateJobRequest } from '../schemas/create-job.ts';
import { contextFor, type Transport } from '../upstream/provider-context.ts';
import { providerSettingsFor, type UsableSettings } from './provider-settings.ts';
import { priceUnknown } from '../keys/limit-errors.ts';
import { COST_LIMIT_CODE, costLimitExceeded, estimateCost, estimateOf, type Estimate } from '../pricing/estimate.ts';

/** A target that passed every check that needs no provider call. */
export interface Prepared {
  target: Target;
  /** Where the target stands in the route's order. */
  position: number;
  settings: UsableSettings;
  applied: AppliedRequest;
  options: Record<string, unknown>;
  /** What the job would cost here; null when no price is known. */
  estimate: Estimate | null;
}

export interface FallbackDeps {
  config: GatewayConfig;
  transport: Transport;
  requestId: string;
  /** The wake-up URL for this attempt's provider, when it calls back. */
  callbackUrl?: string;
}

/** A target passed over, and why. */
export interface Skip {
  target: Target;
  /** Where the target stands in the route's order: only targets before the one serving the job were passed over. */
  position: number;
  error: GatewayError;
  /** Whether the provider was called (and refused) rather than ruled out beforehand. */
  called: boolean;
}

/** The route's targets in order: those that passed every check without a call, and those ruled out. */
export interface FallbackPlan {
  candidates: Prepared[];
  ruledOut: Skip[];
}

/** Everything that can be decided without calling a provider, for every target of the route. */
/** `requirePrice`: the caller's key has a budget, so a target without a known price cannot serve it. */
export function planFallback(route: Route, request: CreateJobRequest, config: GatewayConfig, requirePrice = false): FallbackPlan {
  const plan: FallbackPlan = { candidates: [], ruledOut: [] };
  for (const [position, target] of candidates(route, request).entries()) {
    try {
      const prepared = { ...prepare(target, request, config), position };
      if (request.max_cost_usd !== undefined) checkCostLimit(prepared, request.max_cost_usd);
      if (requirePrice && prepared.estimate === null) throw priceUnknown(target.publicId);
      plan.candidates.push(prepared);
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      plan.ruledOut.push({ target, position, error, called: false });
    }
  }
  return plan;
}

/** Submits the prepared request to its target's provider. */
export function startOn(prepared: Prepared, deps: FallbackDeps): Promise<StartResult> {
  const { target, settings } = prepared;
  const request = { ...startRequestOf(prepared), ...(deps.callbackUrl ? { callbackUrl: deps.callbackUrl } : {}) };
  return target.provider.start(request, contextFor(target.provider, settings, deps.requestId, deps.transport));
}

/** What the provider's `start` gets for this target (its price is looked up on the same request). */
function startRequestOf({ target, applied, options }: Pick<Prepared, 'target' | 'applied' | 'options'>): StartRequest {
  return { model: target.model, input: applied.input, options, ...(applied.frames === undefined ? {} : { frames: applied.frames }) };
}

/** `max_cost_usd`: a target above it, or without a known price, cannot serve the job. */
function checkCostLimit(prepared: Prepared, maxCostUsd: number): void {
  if (prepared.estimate === null || prepared.estimate.amount > maxCostUsd) throw costLimitExceeded(prepared.target.publicId, prepared.estimate, maxCostUsd);
}

/** The targets to try: all of them, or those of the pinned provider (pin-only ones included). */
function candidates(route: Route, request: CreateJobRequest): Target[] {
  const pin = request.provider;
  if (!pin) return route.targets;
  const pinned = [...route.targets, ...route.pinOnly].filter((target) => target.provider.name === pin);
  if (pinned.length > 0) return pinned;
  const allowed = [...new Set([...route.targets, ...route.pinOnly].map((target) => target.provider.name))];
  throw unsupported('provider_not_allowed', `"${request.model}" cannot be pinned to ${pin} here; its providers are ${allowed.join(', ')}.`, 'provider');
}

/** Everything that can rule a target out without calling it. */
function prepare(target: Target, request: CreateJobRequest, config: GatewayConfig): Omit<Prepared, 'position'> {
  const { provider, model, publicId } = target;
  const settings = providerSettingsFor(config, provider, { forNewJob: true });
  const options = validateProviderOptions(request.provider_options?.[provider.name], model, provider.name, publicId, config);
  const applied = applyCapabilities(request, model, publicId);
  const estimate = estimateCost(provider, startRequestOf({ target, applied, options }), config.prices[provider.name]);
  return { target, settings, options, applied, estimate };
}

export function skippedWarning(skip: Skip, served: Target): JobWarning {
  return {
    code: 'target_skipped',
    field: 'model',
    message: `${skip.target.publicId} was skipped (${skip.error.code}): ${skip.error.message}`,
    requested: skip.target.publicId,
    applied: served.publicId,
  };
}

/**
 * One target: its own error, unchanged. Several: the most useful one for the client (a provider's
 * refusal such as 429 over a capability mismatch over a missing configuration), with every
 * target's reason in the message.
 */
export function noTargetTookTheJob(model: string, skips: Skip[]): GatewayError {
  if (skips.length === 1) return skips[0]!.error;
  const reasons = skips.map((skip) => `${skip.target.publicId}: ${skip.error.message}`).join(' | ');
  const refused = skips.findLast((skip) => skip.called);
  if (refused) return refused.error.with({ message: `No target of "${model}" took the job. ${reasons}`, jobNotStarted: true });
  const overCost = skips.filter((skip) => skip.error.code === COST_LIMIT_CODE);
  // Every target that could serve the request was priced out (the others cannot serve it at all):
  // the cheapest one's refusal says what the job would cost.
  if (overCost.length > 0 && skips.every((skip) => skip.error.status === 422)) return cheapest(overCost).error.with({ message: `No target of "${model}" fits max_cost_usd. ${reasons}` });
  const mismatch = skips.find((skip) => skip.error.status === 422);
  if (mismatch) return unsupported('no_capable_target', `No target of "${model}" can serve this request. ${reasons}`, mismatch.error.param ?? 'model');
  return new GatewayError({ status: 503, code: 'no_available_target', message: `No target of "${model}" is available. ${reasons}` });
}


function cheapest(skips: Skip[]): Skip {
  const amount = (skip: Skip) => estimateOf(skip.error)?.amount ?? Number.POSITIVE_INFINITY;
  return skips.reduce((best, skip) => (amount(skip) < amount(best) ? skip : best));
}
