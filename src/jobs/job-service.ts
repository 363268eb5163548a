/**
 * The job workflow behind the routes, independent of HTTP framework and runtime: create, read
 * (fresh), list and cancel, every one scoped to the caller's key. Runtimes bring the store and the
 * driver; this only needs the port.
 */
import type { ProviderDefinition } from '../../providers/types.ts';
import type { GatewayConfig } from '../config.ts';
import { jobNotFound } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { GatewayMetrics } from '../metrics/gateway-metrics.ts';
import type { ModelIndex } from '../router.ts';
import type { Transport } from '../upstream/provider-context.ts';
import { cancelJob } from './cancel.ts';
import { createJob, replayCreate, type CreateCall } from './create.ts';
import { deleteJob } from './delete.ts';
import { quoteJob } from '../pricing/quote.ts';
import { accountsFor } from '../keys/accounts.ts';
import { parseUsageQuery, usageReport } from '../keys/usage-report.ts';
import type { CreateJobRequest } from '../schemas/create-job.ts';
import { guardStore } from './guarded-store.ts';
import { looksLikeJobId } from './job-ids.ts';
import type { LifecycleDeps, OutputDeps } from './lifecycle.ts';
import { listJobs, parseListQuery, VIDEO_LIST_PARAMETERS } from './list.ts';
import { freshJob, ownedJob } from './refresh.ts';
import type { JobRecord, JobStore } from './store/job-store.ts';
import type { Job } from '../schemas/job.ts';
import type { OpenAIVideo } from '../schemas/videos.ts';
import { waitForJob, watchJob } from './watch.ts';
import { wakeUp } from './wake-up.ts';
import { listDeliveries, retryDelivery } from './webhooks/deliveries.ts';

export interface JobServiceDeps {
  config: GatewayConfig;
  models: ModelIndex;
  store: JobStore;
  now: () => number;
  transport: Transport;
  instanceId: string;
  log: Logger;
  metrics: GatewayMetrics;
  outputs?: OutputDeps;
}

/** The lifecycle dependencies for an instance: the store guarded, one in-flight map. */
export function lifecycleDeps(deps: JobServiceDeps, providers: ReadonlyMap<string, ProviderDefinition>): LifecycleDeps {
  return { ...deps, providers, store: guardStore(deps.store, deps.log), accounts: accountsFor(deps.config), inFlight: new Map(), finished: new Map(), listeners: new Set() };
}

export type JobService = ReturnType<typeof createJobService>;

export function createJobService(deps: JobServiceDeps) {
  const lifecycle = lifecycleDeps(deps, deps.models.providers);
  const known = (id: string) => {
    if (!looksLikeJobId(id)) throw jobNotFound();
    return id;
  };
  return {
    lifecycle,
    create: (call: CreateCall) => createJob(lifecycle, deps.models, call),
    /** Spend and counts of the caller's key (an admin key: every key). */
    usage: async (owner: string, query: Record<string, string[]>) => {
      const parsed = parseUsageQuery(query, deps.now());
      return usageReport(lifecycle.store, lifecycle.accounts, await lifecycle.accounts.of(owner), parsed);
    },
    /** What the same create would cost, without a job or a provider call. */
    quote: (request: CreateJobRequest) => quoteJob(deps.config, deps.models, request),
    get: (id: string, owner: string, requestId: string) => freshJob(lifecycle, known(id), owner, requestId),
    /** The caller's job as stored, without asking the provider (watchers wait on the driver instead). */
    stored: (id: string, owner: string) => ownedJob(lifecycle, known(id), owner),
    list: <T extends { id: string }>(owner: string, query: Record<string, string[]>, render: (record: JobRecord) => T) => listJobs(lifecycle, owner, parseListQuery(query), render),
    /** The OpenAI-shaped listing: the same pages, in either order, shown as video objects. */
    listVideos: (owner: string, query: Record<string, string[]>, render: (record: JobRecord) => OpenAIVideo) => listJobs(lifecycle, owner, parseListQuery(query, VIDEO_LIST_PARAMETERS), render),
    /** The first answer of an earlier create this request repeats (an SDK's automatic retry). */
    replay: (id: string) => replayCreate(lifecycle, id),
    cancel: (id: string, owner: string, requestId: string) => cancelJob(lifecycle, known(id), owner, requestId),
    /** The job once terminal, or after `seconds`, or when the client leaves. */
    waitFor: (record: JobRecord, seconds: number, signal?: AbortSignal) => waitForJob(lifecycle, record, seconds * 1000, signal),
    watch: (record: JobRecord, watcher: (record: JobRecord) => void, onShutdown?: () => void) => watchJob(lifecycle, record, watcher, onShutdown),
    deliveries: (id: string, owner: string) => listDeliveries(lifecycle, known(id), owner),
    retryDelivery: (id: string, owner: string, deliveryId: string) => retryDelivery(lifecycle, known(id), owner, deliveryId),
    /** Removes the caller's job and its stored copies (for the OpenAI-shaped delete). */
    delete: (id: string, owner: string) => deleteJob(lifecycle, known(id), owner),
    wakeUp: (provider: string, id: string, token: string) => (looksLikeJobId(id) ? wakeUp(lifecycle, provider, id, token) : Promise.resolve(undefined)),
  };
}
