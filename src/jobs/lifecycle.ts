/**
 * What every part of a job's life needs: the store, the providers, the runtime's transport, and the
 * name this process (or isolate) signs its leases with. One set per gateway instance.
 */
import type { ProviderDefinition } from '../../providers/types.ts';
import type { GatewayConfig } from '../config.ts';
import { GatewayError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Transport } from '../upstream/provider-context.ts';
import type { JobRecord, JobStore } from './store/job-store.ts';

export interface LifecycleDeps {
  config: GatewayConfig;
  providers: ReadonlyMap<string, ProviderDefinition>;
  store: JobStore;
  transport: Transport;
  now: () => number;
  /** This instance's name in leases. */
  instanceId: string;
  log: Logger;
  /** Provider calls for one job in flight in this instance, so concurrent readers share them. */
  inFlight: Map<string, Promise<JobRecord>>;
}

/** Runs `work` for the job unless the same job's work is already running here; then shares its result. */
export function coalesce(deps: LifecycleDeps, id: string, work: () => Promise<JobRecord>): Promise<JobRecord> {
  const running = deps.inFlight.get(id);
  if (running) return running;
  const started = work().finally(() => deps.inFlight.delete(id));
  deps.inFlight.set(id, started);
  return started;
}

/** The provider that serves a stored job (every stored provider name is a registered one). */
export function providerOf(deps: LifecycleDeps, record: JobRecord): ProviderDefinition {
  const provider = deps.providers.get(record.provider);
  if (!provider) throw new Error(`job ${record.id} names provider "${record.provider}", which this gateway does not have`);
  return provider;
}

/** Writes a record we hold the lease on, releasing the lease. If someone wrote meanwhile, theirs stands. */
export async function releaseWith(deps: LifecycleDeps, next: JobRecord): Promise<JobRecord> {
  const written = await deps.store.replace({ ...next, leaseHolder: null, leaseUntil: 0 });
  if (written) return written;
  const current = await deps.store.get(next.id);
  if (!current) throw new GatewayError({ status: 404, code: 'job_not_found', message: 'No job with this id exists.', param: 'id' });
  return current;
}
