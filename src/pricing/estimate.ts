/**
 * What a job will cost on a target, before anything is sent: the provider's published price of the
 * exact request its adapter would send, in the provider's unit and in USD, unless the operator
 * set the model's price. `null` when neither exists (nothing is guessed).
 */
import type { ProviderDefinition, StartRequest } from '../../providers/types.ts';
import { GatewayError } from '../errors.ts';
import type { ProviderPrices } from './price-config.ts';

/** The contract's cost figure (a quote's `estimate`, a job's `usage` without its `source`). */
export interface Estimate {
  /** USD, rounded to the micro-dollar. */
  amount: number;
  currency: 'USD';
  /** In the provider's billing unit, when the price is the provider's own. */
  provider_units: number | null;
  unit: string | null;
  /** The published figure is an average, or was scaled from the nearest published length. */
  approximate?: true;
}

export function estimateCost(provider: ProviderDefinition, request: StartRequest, prices: ProviderPrices | undefined): Estimate | null {
  const override = prices?.models[request.model.id];
  if (override) return operatorPrice(override, request);
  const pricing = provider.pricing;
  const published = pricing?.price?.(request);
  if (!pricing || !published) return null;
  const usdPerUnit = prices?.usdPerUnit ?? pricing.usdPerUnit;
  return {
    amount: roundUsd(published.units * usdPerUnit),
    currency: 'USD',
    provider_units: published.units,
    unit: pricing.unit,
    ...(published.approximate ? { approximate: true as const } : {}),
  };
}

function operatorPrice(price: ProviderPrices['models'][string], request: StartRequest): Estimate | null {
  if ('usd_per_job' in price) return usd(price.usd_per_job);
  const seconds = request.input.duration ?? request.model.capabilities.defaults.duration;
  return seconds === undefined ? null : usd(price.usd_per_second * seconds);
}

function usd(amount: number): Estimate {
  return { amount: roundUsd(amount), currency: 'USD', provider_units: null, unit: null };
}

/** Money is kept to the micro-dollar everywhere (budgets sum integers of these). */
export function roundUsd(amount: number): number {
  return toMicros(amount) / 1_000_000;
}

/**
 * Whole micro-dollars, rounded half up on the decimal value: 401 × 0.0018375 is 0.73683749999… in
 * binary, so the product is first taken to 12 significant digits (well above float noise).
 */
export function toMicros(amount: number): number {
  return Math.round(Number((amount * 1_000_000).toPrecision(12)));
}

export const COST_LIMIT_CODE = 'cost_limit_exceeded';

/** 422: the target's estimate is above the request's `max_cost_usd` (or it has no known price). */
export function costLimitExceeded(target: string, estimate: Estimate | null, maxCostUsd: number): GatewayError {
  const message = estimate
    ? `${target} is estimated at $${estimate.amount} for this request, above max_cost_usd ($${maxCostUsd}).`
    : `${target} has no known price, so it cannot be held to max_cost_usd ($${maxCostUsd}).`;
  return new GatewayError({ status: 422, code: 'cost_limit_exceeded', message, param: 'max_cost_usd', details: { estimate } });
}

/** The estimate a `cost_limit_exceeded` carries. */
export function estimateOf(error: GatewayError): Estimate | null | undefined {
  return error.details?.estimate as Estimate | null | undefined;
}
