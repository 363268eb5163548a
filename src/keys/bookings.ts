/**
 * A job's booking against its key: admitted (rate, concurrency and budgets checked atomically in
 * the job store, so the limits hold across instances) after its record is written and before any
 * provider call; released when no provider took the job; settled to the job's usage as it changes
 * and when it ends (it then stops counting toward concurrency, and its spend is counted).
 */
import type { Prepared } from '../jobs/fallback.ts';
import type { LifecycleDeps } from '../jobs/lifecycle.ts';
import { isTerminal } from '../jobs/observation.ts';
import type { JobRecord } from '../jobs/store/job-store.ts';
import { toMicros } from '../pricing/estimate.ts';
import { usageOf } from '../pricing/usage.ts';
import type { Account } from './accounts.ts';
import { limitError, limitReasonOf } from './limit-errors.ts';

/** Books the job against its key; throws the limit's error (after counting it) when refused. */
export async function admitJob(deps: LifecycleDeps, account: Account, record: JobRecord, candidates: readonly Prepared[]): Promise<void> {
  // Any candidate may end up serving the job: the budget holds the dearest of them until it is known.
  const dearest = candidates.reduce<Prepared>((top, candidate) => ((candidate.estimate?.amount ?? 0) > (top.estimate?.amount ?? 0) ? candidate : top), candidates[0]!);
  const refusal = await deps.store.admitBooking(
    {
      jobId: record.id,
      account: account.id,
      model: record.model,
      provider: record.provider,
      amountMicros: toMicros(dearest.estimate?.amount ?? 0),
      providerUnits: dearest.estimate?.provider_units ?? null,
      unit: dearest.estimate?.unit ?? null,
      at: record.createdAt,
    },
    account.limits,
  );
  if (!refusal) return;
  const error = limitError(refusal, account, deps.now());
  const reason = limitReasonOf(error);
  if (reason) deps.metrics.limitRejected(reason);
  throw error;
}

/** The account a job was booked to (jobs from before bookings existed have none). */
export function bookedAccount(record: JobRecord): string | undefined {
  return typeof record.extra.account === 'string' ? record.extra.account : undefined;
}

export async function releaseJob(deps: LifecycleDeps, record: JobRecord): Promise<void> {
  const account = bookedAccount(record);
  if (account) await deps.store.releaseBooking(account, record.id);
}

/**
 * After a write from `previous` to `next`: the booking follows the job's usage while it changes, and
 * is settled when the job ends. Never throws: the job's own write already happened.
 */
export async function settleAfterWrite(deps: LifecycleDeps, previous: JobRecord, next: JobRecord): Promise<void> {
  const account = bookedAccount(next);
  const ended = !isTerminal(previous.status) && isTerminal(next.status);
  const usage = usageOf(next);
  if (ended && usage) deps.metrics.spent(next.provider, usage.source, usage.amount);
  if (!account || (!ended && sameUsage(usageOf(previous), usage))) return;
  try {
    await deps.store.settleBooking(account, next.id, {
      amountMicros: toMicros(usage?.amount ?? 0),
      providerUnits: usage?.provider_units ?? null,
      unit: usage?.unit ?? null,
      source: usage?.source ?? 'estimate',
      live: !isTerminal(next.status),
    });
  } catch (error) {
    deps.log('booking_settle_failed', { job_id: next.id, message: String(error) });
  }
}

function sameUsage(a: ReturnType<typeof usageOf>, b: ReturnType<typeof usageOf>): boolean {
  return a?.amount === b?.amount && a?.source === b?.source && a?.provider_units === b?.provider_units;
}
