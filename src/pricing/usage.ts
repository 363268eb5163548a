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
  const pricing = provider.pricing;
  if (reported && (reported.usd !== undefined || (reported.units !== undefined && pricing))) {
    const rate = usdPerUnit ?? pricing?.usdPerUnit;
    const amount = reported.usd ?? (reported.units !== undefined && rate !== undefined ? reported.units * rate : 0);
    return { amount: roundUsd(amount), currency: 'USD', provider_units: reported.units ?? null, unit: reported.units !== undefined && pricing ? pricing.unit : null, source: 'provider' };
  }
  if (current?.source !== 'provider' && pricing?.unbilled?.includes(status)) {
    return { amount: 0, currency: 'USD', provider_units: current?.provider_units === null || !current ? null : 0, unit: current?.unit ?? pricing.unit, source: 'estimate' };
  }
  return current;
}
