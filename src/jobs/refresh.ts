/**
 * Keeping a stored job fresh. `GET /v1/jobs/{id}` answers from the store while the state is fresher
 * than `POLL_FRESHNESS_MS`; otherwise it refreshes once, and every concurrent reader shares that
 * refresh: the ones in this instance through `coalesce`, the ones in other instances through the
 * store's lease (they wait briefly for the holder's write instead of calling the provider too).
 */
import { GatewayError, jobNotFound } from '../errors.ts';
import { contextFor } from '../upstream/provider-context.ts';
import { coalesce, providerOf, recentlyFinished, releaseWith, rememberFinished, type LifecycleDeps } from './lifecycle.ts';
import { isTerminal, observe } from './observation.ts';
import { providerSettingsFor } from './provider-settings.ts';
import { nextPollInterval } from './schedule.ts';
import { hasPendingCopies } from '../outputs/videos.ts';
import type { JobRecord } from './store/job-store.ts';

/** How often a reader waiting on another instance's refresh looks at the store. */
const WAIT_STEP_MS = 50;

/** The caller's job (another owner's is as absent as a missing one). */
export async function ownedJob(deps: LifecycleDeps, id: string, owner: string): Promise<JobRecord> {
  const record = await deps.store.get(id);
  if (!record || record.owner !== owner) throw jobNotFound();
  return record;
}

/** Whether a read of the job should ask the provider first. */
export function isStale(deps: LifecycleDeps, record: JobRecord): boolean {
  if (record.operation === null || isTerminal(record.status)) return false;
  return record.observedAt === null || deps.now() - record.observedAt >= deps.config.lifecycle.freshnessMs;
}

/** The caller's job, refreshed from the provider first when its stored state is stale. */
export async function freshJob(deps: LifecycleDeps, id: string, owner: string, requestId: string): Promise<JobRecord> {
  const remembered = recentlyFinished(deps, id);
  if (remembered) {
    if (remembered.owner !== owner) throw jobNotFound();
    return remembered;
  }
  const record = await ownedJob(deps, id, owner);
  // A job whose copies are still being made changes yet: it is read from the store until they are done.
  if (isTerminal(record.status) && !hasPendingCopies(record.videos)) rememberFinished(deps, record);
  if (!isStale(deps, record)) return record;
  return coalesce(deps, id, () => refreshNow(deps, record, requestId));
}

async function refreshNow(deps: LifecycleDeps, seen: JobRecord, requestId: string): Promise<JobRecord> {
  const leased = await deps.store.acquireLease(seen.id, deps.instanceId, deps.now(), deps.config.lifecycle.leaseMs);
  if (!leased) return awaitOtherWriter(deps, seen);
  return pollLeased(deps, leased, requestId);
}

/** Another instance holds the job: its write is coming; answer with it, or with what is stored. */
async function awaitOtherWriter(deps: LifecycleDeps, seen: JobRecord): Promise<JobRecord> {
  const deadline = deps.now() + Math.min(2_000, deps.config.lifecycle.leaseMs);
  let current = seen;
  while (deps.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
    current = (await deps.store.get(seen.id)) ?? current;
    if (current.version !== seen.version && current.leaseHolder === null) return current;
  }
  return current;
}

/**
 * Asks the provider about a job this instance holds the lease on, and writes what it said (the
 * lease released). A failed poll is written too (the next attempt backed off) and then thrown.
 */
export async function pollLeased(deps: LifecycleDeps, leased: JobRecord, requestId: string): Promise<JobRecord> {
  const provider = providerOf(deps, leased);
  const settings = providerSettingsFor(deps.config, provider, { forNewJob: false });
  const operation = provider.operation.safeParse(leased.operation);
  if (!operation.success) throw new Error(`job ${leased.id} has an operation ${provider.name} cannot read`);
  try {
    const state = await provider.status(operation.data, contextFor(provider, settings, requestId, deps.transport));
    const observed = observe(leased, state, {
      provider,
      baseUrl: settings.baseUrl,
      pollIntervalMs: settings.pollIntervalMs,
      allowedPrivateHosts: deps.config.allowedPrivateHosts,
      lifecycle: deps.config.lifecycle,
      now: deps.now(),
      usdPerUnit: deps.config.prices[provider.name]?.usdPerUnit,
    });
    return await releaseWith(deps, leased, observed);
  } catch (error) {
    await releaseWith(deps, leased, afterFailedPoll(deps, leased, settings.pollIntervalMs, error));
    throw error;
  }
}

/** The job unchanged but for when to try again (backed off) and what went wrong. */
function afterFailedPoll(deps: LifecycleDeps, record: JobRecord, providerIntervalMs: number, error: unknown): JobRecord {
  const now = deps.now();
  const interval = nextPollInterval(record.pollIntervalMs, false, providerIntervalMs, deps.config.lifecycle);
  const code = error instanceof GatewayError ? error.code : 'internal_error';
  return { ...record, updatedAt: now, pollIntervalMs: interval, nextPollAt: now + interval, extra: { ...record.extra, last_poll_error: { code, at: now } } };
}
