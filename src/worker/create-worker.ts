/**
 * The Worker's fetch handler. Configuration comes from bindings (`[vars]` and secrets) and the app
 * is built once per isolate, on its first request; upstream calls use the platform's fetch.
 * Nothing Node-specific is reachable from here (`npm run size:worker` checks the bundle).
 */
import type { ExecutionContext } from 'hono';
import { providers } from '../../providers/index.ts';
import { createApp } from '../app.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { jsonLogger, type Logger } from '../logger.ts';
import { assetsFetcher, type WorkerBindings } from './bindings.ts';
import { workerDocsAssets } from './docs-assets.ts';
import { workerJobCache } from './worker-job-cache.ts';

export interface WorkerOptions {
  log?: Logger;
  /** Where the platform globals (`caches`) are looked up; tests pass a bare object to remove them. */
  scope?: object;
}

/** A module Worker's default export. */
export interface WorkerHandler {
  fetch(request: Request, env: WorkerBindings, context?: ExecutionContext): Response | Promise<Response>;
}

type Gateway = ReturnType<typeof createApp>;

export function createWorker(options: WorkerOptions = {}): WorkerHandler {
  const log = options.log ?? jsonLogger();
  let gateway: Gateway | undefined;

  function gatewayFor(env: WorkerBindings, request: Request): Gateway {
    if (gateway) return gateway;
    const config = loadConfig(env, providers);
    const jobCache = workerJobCache(env, { origin: new URL(request.url).origin, scope: options.scope, log });
    // The platform fetch is wrapped so it is never called with the app as `this`.
    gateway = createApp({ config, providers, fetch: (input, init) => fetch(input, init), log, jobCache: jobCache.cache, docsAssets: workerDocsAssets(assetsFetcher(env)) });
    log('worker_started', { job_cache: jobCache.store });
    return gateway;
  }

  return {
    fetch(request, env, context) {
      let app: Gateway;
      try {
        app = gatewayFor(env, request);
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
