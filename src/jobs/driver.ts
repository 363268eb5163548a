/**
 * The background driver: every live job is polled on its provider's schedule until it is terminal,
 * whether or not anyone asks. On Node it scans the store for due jobs; on Workers each job's
 * Durable Object alarm calls {@link driveJob}. Either way one instance at a time holds a job (the
 * store's lease), and a job whose create was interrupted is settled, never resubmitted.
 */
import { GatewayError } from '../errors.ts';
import { coalesce, releaseWith, writeJob, type LifecycleDeps } from './lifecycle.ts';
import { isTerminal } from './observation.ts';
import { driveOutputs, nextOutputWorkAt } from '../outputs/output-steps.ts';
import { pollLeased } from './refresh.ts';
import type { JobRecord, ScannableJobStore } from './store/job-store.ts';

/** What an interrupted create leaves: the provider may or may not have started (and billed) the job. */
export const SUBMISSION_OUTCOME_UNKNOWN = {
  code: 'submission_outcome_unknown',
  message: 'The gateway stopped while submitting this job, so whether the provider started (and billed) it is unknown. It was not resubmitted.',
};

/** Does what is due for a job this instance holds the lease on. Never throws: failures are logged and retried later. */
export async function driveJob(deps: LifecycleDeps, leased: JobRecord): Promise<void> {
  try {
    if (leased.operation === null) await settleInterruptedCreate(deps, leased);
    else if (isTerminal(leased.status)) await afterTheEnd(deps, leased);
    else await coalesce(deps, leased.id, () => pollLeased(deps, leased, `drv_${leased.id}`));
  } catch (error) {
    await afterDriveFailure(deps, leased, error);
  }
}

/** A finished job's remaining work is its outputs (copies, a held webhook, retention); with none, it is done. */
async function afterTheEnd(deps: LifecycleDeps, leased: JobRecord): Promise<void> {
  if (deps.outputs && nextOutputWorkAt(deps, leased) !== null) await driveOutputs({ ...deps, outputs: deps.outputs }, leased);
  else await releaseWith(deps, leased, { ...leased, nextPollAt: null });
}

async function settleInterruptedCreate(deps: LifecycleDeps, leased: JobRecord): Promise<void> {
  const now = deps.now();
  deps.log('job_submission_outcome_unknown', { job_id: leased.id, provider: leased.provider });
  await releaseWith(deps, leased, { ...leased, status: 'failed', error: SUBMISSION_OUTCOME_UNKNOWN, completedAt: now, updatedAt: now, nextPollAt: null, pollIntervalMs: null });
}

/** A provider that no longer knows the job has ended it; anything else is tried again on schedule. */
async function afterDriveFailure(deps: LifecycleDeps, leased: JobRecord, error: unknown): Promise<void> {
  const code = error instanceof GatewayError ? error.code : 'internal_error';
  deps.log('job_poll_failed', { job_id: leased.id, provider: leased.provider, code });
  if (code !== 'provider_job_not_found') return;
  const current = await deps.store.get(leased.id).catch(() => undefined);
  if (!current || isTerminal(current.status)) return;
  const now = deps.now();
  const message = error instanceof Error ? error.message : 'The provider no longer knows this job.';
  await writeJob(deps, current, { ...current, status: 'failed', error: { code, message }, completedAt: now, updatedAt: now, nextPollAt: null }).catch(() => undefined);
}

export interface ScanningDriver {
  /** Stops claiming jobs and waits for the jobs in hand. */
  stop(): Promise<void>;
}

export interface ScanningDriverOptions {
  /** How often the store is scanned for due jobs. */
  tickMs?: number;
  /** How many jobs are polled at once (a slow provider must not hold up the rest for long). */
  concurrency?: number;
}

/** The Node driver: claims due jobs from the store on a timer and drives them, a bounded number at once. */
export function startScanningDriver(deps: LifecycleDeps, store: ScannableJobStore, options: ScanningDriverOptions = {}): ScanningDriver {
  const tickMs = options.tickMs ?? 250;
  const concurrency = options.concurrency ?? 16;
  const running = new Set<Promise<void>>();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const tick = async () => {
    const free = concurrency - running.size;
    const due = free > 0 ? await store.claimDue(deps.instanceId, deps.now(), deps.config.lifecycle.leaseMs, free).catch((error: unknown) => logScanFailure(deps, error)) : [];
    for (const record of due ?? []) {
      const work = driveJob(deps, record).finally(() => running.delete(work));
      running.add(work);
    }
    if (!stopped) timer = setTimeout(() => void tick(), tickMs);
  };
  timer = setTimeout(() => void tick(), 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.allSettled([...running]);
    },
  };
}

function logScanFailure(deps: LifecycleDeps, error: unknown): [] {
  deps.log('driver_scan_failed', { message: error instanceof Error ? error.message : String(error) });
  return [];
}
