/**
 * The Worker's fetch handler. Configuration comes from bindings (`[vars]` and secrets) and the
 * gateway is built once per isolate, on its first request (after reading the provider catalogs
 * from the static assets, src/worker/provider-catalogs.ts); upstream calls use the platform's
 * fetch; jobs live in Durable Objects, and each job's alarm drives it (the same driver step as the
 * Node driver's) and sends its webhooks (`runAlarm`). Nothing Node-specific is reachable from
 * here (`npm run size:worker` checks the bundle).
 */
import type { ExecutionContext } from 'hono';
import { createGateway, type Gateway } from '../app.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { driveJob } from '../jobs/driver.ts';
import { deliverDue } from '../jobs/webhooks/deliver-due.ts';
import type { WebhookDeps } from '../jobs/webhooks/sender.ts';
import { guardStore } from '../jobs/guarded-store.ts';
import type { LifecycleDeps } from '../jobs/lifecycle.ts';
import { jsonLogger, type Logger } from '../logger.ts';
import { assetsFetcher, isR2Bucket, type WorkerBindings } from './bindings.ts';
import type { OutputDeps } from '../jobs/lifecycle.ts';
import { r2OutputStore } from './r2-output-store.ts';
import { workersSha256 } from './sha256.ts';
import { workerDocsAssets } from './docs-assets.ts';
import { workerStaticPages } from './static-pages.ts';
import { workerProviders } from './provider-catalogs.ts';
import { workerJobStore } from './durable-object-job-store.ts';
import { registerJobAlarmHandler, type JobAlarm } from './job-alarm.ts';

export interface WorkerOptions {
  log?: Logger;
}

/** A module Worker's default export. */
export interface WorkerHandler {
  fetch(request: Request, env: WorkerBindings, context?: ExecutionContext): Response | Promise<Response>;
}

export function createWorker(options: WorkerOptions = {}): WorkerHandler {
  const log = options.log ?? jsonLogger();
  let gateway: Promise<Gateway> | undefined;

  /** The isolate's gateway; a failed build is not kept, so the next request tries again. */
  function gatewayFor(env: WorkerBindings): Promise<Gateway> {
    gateway ??= buildGateway(env).catch((error: unknown) => {
      gateway = undefined;
      throw error;
    });
    return gateway;
  }

  async function buildGateway(env: WorkerBindings): Promise<Gateway> {
    const providers = await workerProviders(assetsFetcher(env));
    const config = loadConfig(env, providers);
    const store = workerJobStore(env);
    if (!store) throw new ConfigError("Invalid configuration:\n  - JOBS, JOB_OWNERS: the job store's Durable Object bindings are missing (see wrangler.toml)");
    const outputs = workerOutputs(env);
    // Metrics are this isolate's own (createGateway's fresh set): `/metrics` shows what the isolate
    // that answers the scrape counted, and what alarms count in a job object's isolate is not seen.
    // Acceptable for now; a deployment-wide view would need a shared sink (Analytics Engine, a Durable Object).
    const built = createGateway({ config, providers, store, fetch: platformFetch, log, docsAssets: workerDocsAssets(assetsFetcher(env)), staticPages: workerStaticPages(assetsFetcher(env)), ...(outputs ? { outputs } : {}) });
    log('worker_started', { job_store: 'durable objects', output_store: outputs?.store.description ?? 'none' });
    return built;
  }

  registerJobAlarmHandler(async (alarm) => runAlarm(await gatewayFor(alarm.env), alarm));

  return {
    async fetch(request, env, context) {
      let app: Gateway['app'];
      try {
        app = (await gatewayFor(env)).app;
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        // The message names the bad keys, never their values. Not cached: a fixed secret starts a new isolate anyway.
        log('configuration_error', { message: error.message });
        return Response.json(
          { error: { code: 'configuration_error', message: 'The gateway is misconfigured; see the Worker logs.' } },
          { status: 500 },
        );
      }
      return app.fetch(request, env, context);
    },
  };
}

/**
 * Where copies go on Workers: the R2 bucket bound as `VIDEOS` (wrangler.toml), unless
 * `OUTPUT_STORE=none`. Without the binding there are no copies; S3 URLs are a Node feature (on
 * Workers, R2 is the S3-compatible store at hand).
 */
function workerOutputs(env: WorkerBindings): OutputDeps | undefined {
  const setting = typeof env.OUTPUT_STORE === 'string' ? env.OUTPUT_STORE.trim() : '';
  if (setting.toLowerCase() === 'none') return undefined;
  if (setting !== '') throw new ConfigError('Invalid configuration:\n  - OUTPUT_STORE: on Workers, copies go to the R2 bucket bound as VIDEOS; set "none" to turn them off');
  if (!isR2Bucket(env.VIDEOS)) return undefined;
  return { store: r2OutputStore(env.VIDEOS), sha256: workersSha256, fetch: platformFetch };
}

/** The platform fetch, wrapped so it is never called with another `this`. Webhooks use it too: a Worker cannot reach private addresses. */
const platformFetch: typeof fetch = (input, init) => fetch(input, init);

/**
 * Everything a job's alarm does. The alarm fires at the earlier of the job's poll and its next
 * webhook delivery (src/worker/job-object.ts) without saying which, so each step checks for itself
 * whether it is due, and one that is not does nothing. The store is the job object's own (calls
 * for this job never go back into the object over RPC).
 */
async function runAlarm(gateway: Gateway, alarm: JobAlarm): Promise<void> {
  const deps: WebhookDeps = { ...gateway.lifecycle, store: guardStore(alarm.store, gateway.lifecycle.log), webhookFetch: platformFetch };
  await pollIfDue(deps, alarm.jobId);
  // A poll that finished the job queued its webhooks; they go out in this same alarm.
  await deliverDue(deps, alarm.jobId);
}

/** The driver step, if the job is due for polling and this isolate gets the lease. Not due: nothing to do. */
async function pollIfDue(deps: LifecycleDeps, jobId: string): Promise<void> {
  const record = await deps.store.get(jobId);
  if (!record || record.nextPollAt === null || record.nextPollAt > deps.now()) return;
  const leased = await deps.store.acquireLease(jobId, deps.instanceId, deps.now(), deps.config.lifecycle.leaseMs);
  if (leased) await driveJob(deps, leased);
}
