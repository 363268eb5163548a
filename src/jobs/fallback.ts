/**
 * Trying a route's targets in order until one takes the job. A target is skipped when it cannot
 * take the job for sure: its provider is disabled or has no key, the request does not fit its
 * capabilities (checked without calling it), or the provider refused the create in a way that
 * provably started no job. Any other failure ends the attempt: after a provider may have accepted
 * the job, trying another would bill twice.
 */
import type { JobWarning, StartResult } from '../../providers/types.ts';
import { applyCapabilities, type AppliedRequest } from '../capabilities/apply.ts';
import { validateProviderOptions } from '../capabilities/provider-options.ts';
import type { GatewayConfig } from '../config.ts';
import { GatewayError, unsupported } from '../errors.ts';
import type { Route, Target } from '../router.ts';
import type { CreateJobRequest } from '../schemas/create-job.ts';
import { contextFor, type Transport } from '../upstream/provider-context.ts';
import { providerSettingsFor, type UsableSettings } from './provider-settings.ts';

/** A target that passed every check that needs no provider call. */
export interface Prepared {
  target: Target;
  settings: UsableSettings;
  applied: AppliedRequest;
  options: Record<string, unknown>;
}

export interface Served extends Prepared {
  started: StartResult;
  /** One warning per target passed over, with the reason. */
  skipped: JobWarning[];
}

export interface FallbackDeps {
  config: GatewayConfig;
  transport: Transport;
  requestId: string;
}

interface Skip {
  target: Target;
  error: GatewayError;
  /** Whether the provider was called (and refused) rather than ruled out beforehand. */
  called: boolean;
}

export async function startWithFallback(route: Route, request: CreateJobRequest, deps: FallbackDeps): Promise<Served> {
  const skips: Skip[] = [];
  for (const target of candidates(route, request)) {
    let prepared: Prepared;
    try {
      prepared = prepare(target, request, deps.config);
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      skips.push({ target, error, called: false });
      continue;
    }
    try {
      return { ...prepared, started: await start(prepared, deps), skipped: skips.map((skip) => skippedWarning(skip, target)) };
    } catch (error) {
      if (!(error instanceof GatewayError) || !error.jobNotStarted) throw error;
      skips.push({ target, error, called: true });
    }
  }
  throw noTargetTookTheJob(request.model, skips);
}

/** Submits the prepared request to its target's provider. */
function start({ target, settings, applied, options }: Prepared, deps: FallbackDeps): Promise<StartResult> {
  const request = { model: target.model, input: applied.input, options, ...(applied.frames === undefined ? {} : { frames: applied.frames }) };
  return target.provider.start(request, contextFor(target.provider, settings, deps.requestId, deps.transport));
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
function prepare(target: Target, request: CreateJobRequest, config: GatewayConfig): Prepared {
  const { provider, model, publicId } = target;
  const settings = providerSettingsFor(config, provider, { forNewJob: true });
  const options = validateProviderOptions(request.provider_options?.[provider.name], model, provider.name, publicId, config);
  return { target, settings, options, applied: applyCapabilities(request, model, publicId) };
}

function skippedWarning(skip: Skip, served: Target): JobWarning {
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
function noTargetTookTheJob(model: string, skips: Skip[]): GatewayError {
  if (skips.length === 1) return skips[0]!.error;
  const reasons = skips.map((skip) => `${skip.target.publicId}: ${skip.error.message}`).join(' | ');
  const refused = skips.findLast((skip) => skip.called);
  if (refused) return withMessage(refused.error, `No target of "${model}" took the job. ${reasons}`);
  const mismatch = skips.find((skip) => skip.error.status === 422);
  if (mismatch) return unsupported('no_capable_target', `No target of "${model}" can serve this request. ${reasons}`, mismatch.error.param ?? 'model');
  return new GatewayError({ status: 503, code: 'no_available_target', message: `No target of "${model}" is available. ${reasons}` });
}

function withMessage(error: GatewayError, message: string): GatewayError {
  return new GatewayError({ status: error.status, code: error.code, message, param: error.param, provider: error.provider, retryable: error.retryable, headers: error.headers, retryAfterMs: error.retryAfterMs, jobNotStarted: true });
}
