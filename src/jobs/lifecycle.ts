/**
 * What every part of a job's life needs: the store, the providers, the runtime's transport, and the
 * name this process (or isolate) signs its leases with. One set per gateway instance.
 */
import type { ProviderDefinition } from '../../providers/types.ts';
import type { GatewayConfig } from '../config.ts';
import { GatewayError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { FinishedStatus, GatewayMetrics } from '../metrics/gateway-metrics.ts';
import type { Accounts } from '../keys/accounts.ts';
import { settleAfterWrite } from '../keys/bookings.ts';
import type { Transport } from '../upstream/provider-context.ts';
import type { LinkSigner } from '../outputs/links.ts';
import { linkSigner } from '../outputs/links.ts';
import type { OutputStore } from '../outputs/output-store.ts';
import type { Sha256Factory } from '../outputs/sha256.ts';
import { withCopiesPending } from '../outputs/videos.ts';
import { isTerminal } from './observation.ts';
import type { JobRecord, JobStore, WebhookDelivery } from './store/job-store.ts';
import { withDeliveries } from './webhooks/events.ts';

/** Where finished videos are copied, and the runtime pieces copying needs (DESIGN §6 "Outputs"). */
export interface OutputDeps {
  store: OutputStore;
  sha256: Sha256Factory;
  /** The fetch copies and proxied downloads go through (it refuses private addresses at connect time on Node). */
  fetch: typeof fetch;
}

export interface LifecycleDeps {
  config: GatewayConfig;
  providers: ReadonlyMap<string, ProviderDefinition>;
  store: JobStore;
  transport: Transport;
  now: () => number;
  /** This instance's name in leases. */
  instanceId: string;
  log: Logger;
  metrics: GatewayMetrics;
  /** Who each key bills to, and its limits. */
  accounts: Accounts;
  /** Provider calls for one job in flight in this instance, so concurrent readers share them. */
  inFlight: Map<string, Promise<JobRecord>>;
  /** Finished jobs this instance read lately (see {@link rememberFinished}). */
  finished: Map<string, { record: JobRecord; at: number }>;
  /** Told of every job write this instance makes, with the webhooks it queued (watchers, the sender). */
  listeners: Set<ChangeListener>;
  /** Without it (`OUTPUT_STORE=none`), videos are the provider's URLs. */
  outputs?: OutputDeps;
}

export type ChangeListener = (record: JobRecord, outbox: readonly WebhookDelivery[]) => void;

/** How many finished jobs an instance keeps in memory. */
const FINISHED_CACHE_SIZE = 10_000;

/**
 * A finished job does not change, so polls of it within the freshness window are answered from
 * memory without reading the store. (The window bounds how long a change made elsewhere, such as a
 * deletion by another instance, can go unseen: the same bound as for any stored state.)
 */
export function rememberFinished(deps: LifecycleDeps, record: JobRecord): void {
  if (deps.finished.size >= FINISHED_CACHE_SIZE) deps.finished.delete(deps.finished.keys().next().value!);
  deps.finished.set(record.id, { record, at: deps.now() });
}

/** The finished job, if this instance read it within the freshness window. */
export function recentlyFinished(deps: LifecycleDeps, id: string): JobRecord | undefined {
  const entry = deps.finished.get(id);
  if (!entry) return undefined;
  if (deps.now() - entry.at < deps.config.lifecycle.freshnessMs) return entry.record;
  deps.finished.delete(id);
  return undefined;
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

/**
 * Writes a change to a job: `next` replaces `previous` (compare-and-set on its version), with the
 * webhooks the change means in the same step. Watchers in this instance hear of it at once.
 * `undefined` when someone else wrote first.
 */
export async function writeJob(deps: LifecycleDeps, previous: JobRecord, next: JobRecord): Promise<JobRecord | undefined> {
  const planned = withCopiesPlanned(deps, previous, next);
  const holdMs = deps.outputs ? deps.config.outputs.webhookWaitMs : 0;
  const change = withDeliveries(previous, planned, { now: deps.now(), links: linksFor(deps, planned), holdMs });
  const written = await deps.store.replace(change.next, change.outbox);
  if (!written) return undefined;
  // The compare-and-set lets one writer only take a job from live to terminal: it counts the job.
  if (!isTerminal(previous.status) && isTerminal(written.status)) countFinished(deps, written);
  await settleAfterWrite(deps, previous, written);
  for (const listener of deps.listeners) listener(written, change.outbox);
  return written;
}

/** `vidgate_jobs_finished_total` and the job's duration, from its creation to its `completed_at`. */
function countFinished(deps: LifecycleDeps, record: JobRecord): void {
  const seconds = Math.max(0, (record.completedAt ?? deps.now()) - record.createdAt) / 1000;
  deps.metrics.jobFinished(record.provider, record.status as FinishedStatus, seconds);
}

/** Writes a change to a job we hold the lease on, releasing the lease. If someone wrote meanwhile, theirs stands. */
export async function releaseWith(deps: LifecycleDeps, previous: JobRecord, next: JobRecord): Promise<JobRecord> {
  const written = await writeJob(deps, previous, { ...next, leaseHolder: null, leaseUntil: 0 });
  if (written) return written;
  const current = await deps.store.get(next.id);
  if (!current) throw new GatewayError({ status: 404, code: 'job_not_found', message: 'No job with this id exists.', param: 'id' });
  return current;
}

/**
 * A job that just completed, with an output store: every video is marked `pending` and the job is
 * due at once, so the driver copies them (the copy is the driver's, never the request's).
 */
function withCopiesPlanned(deps: LifecycleDeps, previous: JobRecord, next: JobRecord): JobRecord {
  if (!deps.outputs || next.status !== 'completed' || previous.status === 'completed' || next.videos.length === 0) return next;
  return { ...next, videos: withCopiesPending(next.videos), nextPollAt: deps.now() };
}

/**
 * The signer for links in what is rendered for this job outside a request (webhook payloads): on
 * `PUBLIC_URL`, else on the origin the job was created through. `requestOrigin` wins over the
 * stored one for answers to a request.
 */
export function linksFor(deps: LifecycleDeps, record: JobRecord, requestOrigin?: string): LinkSigner | undefined {
  if (!deps.outputs) return undefined;
  const stored = typeof record.extra.origin === 'string' ? record.extra.origin : undefined;
  const origin = deps.config.publicUrl ?? requestOrigin ?? stored;
  if (!origin) return undefined;
  return linkSigner({ origin, secret: deps.config.jobIdSecrets[0]!, ttlSeconds: deps.config.outputs.urlTtlSeconds, now: deps.now() });
}

/**
 * Renews a lease while long work runs (a provider create, a copy), so it is never taken for a
 * dead instance's. `stop` waits for a renewal in flight, so none lands after the final write.
 */
export function keepLease(deps: LifecycleDeps, id: string): { stop(): Promise<void> } {
  const every = Math.max(100, Math.floor(deps.config.lifecycle.leaseMs / 3));
  let pending: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    pending = deps.store.acquireLease(id, deps.instanceId, deps.now(), deps.config.lifecycle.leaseMs).catch(() => undefined);
  }, every);
  (timer as { unref?: () => void }).unref?.();
  return {
    async stop() {
      clearInterval(timer);
      await pending;
    },
  };
}

/**
 * Read-modify-write with compare-and-set, retried when a lease renewal or another writer got in
 * between. `undefined` when the job no longer exists. With `known`, the record as this instance
 * last wrote it, the first attempt starts from that instead of reading it again (most often
 * nobody wrote since; if someone did, the compare-and-set fails and the job is read).
 */
export async function updateJob(deps: LifecycleDeps, id: string, change: (current: JobRecord) => JobRecord, known?: JobRecord): Promise<JobRecord | undefined> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const current = attempt === 0 && known ? known : await deps.store.get(id);
    if (!current) return undefined;
    const written = await writeJob(deps, current, change(current));
    if (written) return written;
  }
  throw new Error(`job ${id} kept changing while it was being updated`);
}
