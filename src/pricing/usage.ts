/**
 * A job's `usage`: the estimate made at create, replaced by the provider's own figure when it
 * reports one (AI/ML API's headers and `meta.usage`), and zero for an ending the provider documents
 * as unbilled (Krea's failed and cancelled jobs). Kept in the record's `extra.usage`.
 */
import type { JobStatus, ProviderDefinition, ReportedUsage } from '../../providers/types.ts';
import type { JobRecord } from '../jobs/store/job-store.ts';
import { roundUsd, type Estimate } from './estimate.ts';

export type UsageSource = 'estimate' | 'provider';

export interface JobUsage {
  amount: number;
  currency: 'USD';
  provider_units: number | null;
  unit: string | null;
  source: UsageSource;
  approximate?: true;
}

export function estimatedUsage(estimate: Estimate | null): JobUsage | null {
  return estimate ? { ...estimate, source: 'estimate' } : null;
}

export function usageOf(record: Pick<JobRecord, 'extra'>): JobUsage | null {
  const usage = record.extra.usage;
  return usage && typeof usage === 'object' && !Array.isArray(usage) ? (usage as unknown as JobUsage) : null;
}

/** The usage after the provider answered with `reported` (if anything) and the job is now `status`. */
export function observedUsage(current: JobUsage | null, reported: ReportedUsage | undefined, status: JobStatus, provider: ProviderDefinition, usdPerUnit: number | undefined): JobUsage | null {
  const billed = reported && billedUsage(reported, provider, usdPerUnit);
  if (billed) return billed;
  const pricing = provider.pricing;
  if (current?.source !== 'provider' && pricing?.unbilled?.includes(status)) {
    return { amount: 0, currency: 'USD', provider_units: current && current.provider_units !== null ? 0 : null, unit: current?.unit ?? pricing.unit, source: 'estimate' };
  }
  return current;
}

/** The provider's own figure: its USD amount, else its units at the unit's value (units mean nothing without a known unit). */
function billedUsage(reported: ReportedUsage, provider: ProviderDefinition, usdPerUnit: number | undefined): JobUsage | undefined {
  const pricing = provider.pricing;
  const units = pricing ? reported.units : undefined;
  const amount = reported.usd ?? (units === undefined ? undefined : units * (usdPerUnit ?? pricing!.usdPerUnit));
  if (amount === undefined) return undefined;
  return { amount: roundUsd(amount), currency: 'USD', provider_units: units ?? null, unit: units === undefined ? null : pricing!.unit, source: 'provider' };
}
