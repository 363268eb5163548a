/**
 * `POST /v1/jobs/{id}/cancel`: the provider is asked to cancel, then the job is read back, so the
 * answer is the confirmed state (cancelled, or what the job became if it finished first). A
 * provider without cancel is a 409 naming it; a finished job is a 409; a cancelled one is just
 * answered again.
 */
import { observedUsage, usageOf } from '../pricing/usage.ts';
import { GatewayError } from '../errors.ts';
import { contextFor } from '../upstream/provider-context.ts';
import { providerOf, releaseWith, type LifecycleDeps } from './lifecycle.ts';
import { isTerminal, observe } from './observation.ts';
import { providerSettingsFor } from './provider-settings.ts';
import { ownedJob } from './refresh.ts';
import type { JobRecord } from './store/job-store.ts';

export async function cancelJob(deps: LifecycleDeps, id: string, owner: string, requestId: string): Promise<JobRecord> {
  const record = await submitted(deps, await ownedJob(deps, id, owner));
  if (record.status === 'cancelled') return record;
  if (isTerminal(record.status)) throw alreadyFinished(record);
  const provider = providerOf(deps, record);
  if (!provider.cancel) throw notSupported(provider.name, provider.title);
  const leased = (await leaseSoon(deps, id)) ?? record;
  const settings = providerSettingsFor(deps.config, provider, { forNewJob: false });
  const ctx = contextFor(provider, settings, requestId, deps.transport);
  const operation = provider.operation.parse(leased.operation);
  const refused = await provider.cancel(operation, ctx).then(() => undefined, (error: unknown) => error);
  const confirmed = await provider.status(operation, ctx).catch(() => undefined);
  const context = { provider, baseUrl: settings.baseUrl, pollIntervalMs: settings.pollIntervalMs, allowedPrivateHosts: deps.config.allowedPrivateHosts, lifecycle: deps.config.lifecycle, now: deps.now(), usdPerUnit: deps.config.prices[provider.name]?.usdPerUnit };
  const observed = confirmed && provider.statuses.has(confirmed.raw_status) ? observe(leased, confirmed, context) : undefined;
  if (observed && isTerminal(observed.status)) return releaseWith(deps, leased, observed);
  if (refused) {
    await releaseWith(deps, leased, observed ?? leased);
    throw refused;
  }
  // The provider took the cancel; its job may take a moment to show it (or be gone at once).
  const now = deps.now();
  const base = observed ?? leased;
  const usage = observedUsage(usageOf(base), undefined, 'cancelled', provider, context.usdPerUnit);
  const extra = usage ? { ...base.extra, usage: usage as never } : base.extra;
  return releaseWith(deps, leased, { ...base, status: 'cancelled', progress: null, completedAt: now, updatedAt: now, nextPollAt: null, pollIntervalMs: null, extra });
}

/** The job once its create has been answered (a cancel needs the provider's handle). */
async function submitted(deps: LifecycleDeps, record: JobRecord): Promise<JobRecord> {
  const deadline = deps.now() + Math.min(10_000, deps.config.lifecycle.leaseMs);
  let current = record;
  while (current.operation === null && !isTerminal(current.status)) {
    if (deps.now() >= deadline) throw stillSubmitting();
    await new Promise((resolve) => setTimeout(resolve, 50));
    current = (await deps.store.get(record.id)) ?? current;
  }
  return current;
}

/** The lease, waiting briefly for another holder (a poll in flight) to finish. */
async function leaseSoon(deps: LifecycleDeps, id: string): Promise<JobRecord | undefined> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const leased = await deps.store.acquireLease(id, deps.instanceId, deps.now(), deps.config.lifecycle.leaseMs);
    if (leased) return leased;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

function alreadyFinished(record: JobRecord): GatewayError {
  return new GatewayError({ status: 409, code: 'job_already_finished', message: `The job is already ${record.status}; there is nothing to cancel.`, param: 'id' });
}

function notSupported(provider: string, title: string): GatewayError {
  return new GatewayError({ status: 409, code: 'cancel_not_supported', message: `${title} offers no way to cancel a job; it will run to the end.`, provider });
}

function stillSubmitting(): GatewayError {
  return new GatewayError({ status: 409, code: 'job_submitting', message: 'The job is still being submitted to its provider; retry the cancel shortly.', retryAfterMs: 1_000, retryable: true });
}
