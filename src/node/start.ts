/** Starting the gateway on Node: configuration, sandbox if no keys, job store and driver, undici pool, reference assets, HTTP server. */
import type { ProviderDefinition } from '../../providers/types.ts';
import { createGateway } from '../app.ts';
import { startScanningDriver } from '../jobs/driver.ts';
import { startOutboxRunner } from '../jobs/webhooks/outbox-runner.ts';
import { endAllWatches } from '../jobs/watch.ts';
import type { ScannableJobStore } from '../jobs/store/job-store.ts';
import type { LifecycleDeps } from '../jobs/lifecycle.ts';
import { loadConfig, type Env } from '../config.ts';
import { jsonLogger, type Logger } from '../logger.ts';
import { isSandbox, startSandbox, type RunningEmulator } from './sandbox.ts';
import { withConfigFile } from './config-file.ts';
import { nodeDocsAssets } from './docs-assets.ts';
import { nodeStaticPages } from './static-pages.ts';
import { nodeRouter } from './router.ts';
import { openNodeJobStore } from './open-job-store.ts';
import { createGatewayServer, drainServer, listenOn, type DrainResult } from './http-server.ts';
import { batchedStdout } from './batched-stdout.ts';
import { createUpstreamFetch } from './upstream-fetch.ts';
import { createCheckedFetch } from './checked-fetch.ts';
import { dataDirOf } from './open-job-store.ts';
import { openOutputStore } from './open-output-store.ts';
import { nodeSha256 } from './sha256.ts';
import type { GatewayConfig } from '../config.ts';
import type { OutputStore } from '../outputs/output-store.ts';

/**
 * How long {@link RunningGateway.close} lets requests in flight finish unless told otherwise:
 * under the 10 s that `docker stop` waits before it kills.
 */
export const DEFAULT_SHUTDOWN_GRACE_MS = 8_000;

export interface StartOptions {
  env: Env;
  providers: readonly ProviderDefinition[];
  port?: number;
  hostname?: string;
  log?: Logger;
  /** Retry backoff waits (tests record them instead of waiting). */
  sleep?: (ms: number) => Promise<void>;
}

export interface RunningGateway {
  url: string;
  sandbox: { gatewayKey: string; webhookSecret: string; emulators: RunningEmulator[] } | undefined;
  /** Where jobs live, for the startup line. */
  store: string;
  /** Where copies of finished videos go, for the startup line (`none` without an output store). */
  outputs: string;
  /** The job machinery of this instance (store, providers, watchers), for embedding and tests. */
  lifecycle: LifecycleDeps;
  /**
   * Stops accepting, lets requests in flight finish for up to `graceMs` (then cuts them), stops the
   * driver, closes the job store, the upstream pool and the sandbox's emulators.
   */
  close(graceMs?: number): Promise<DrainResult>;
}

/** Starts the gateway; a port that cannot be listened on is a `ListenError`, with nothing left running. */
export async function startGateway(options: StartOptions): Promise<RunningGateway> {
  const baseEnv = withConfigFile(options.env);
  const sandbox = isSandbox(baseEnv, options.providers) ? await startSandbox(baseEnv, options.providers) : undefined;
  const env = sandbox?.env ?? baseEnv;
  const hostname = options.hostname ?? '127.0.0.1';
  const stdout = batchedStdout();
  const log = options.log ?? jsonLogger(stdout.write);
  const upstream = createUpstreamFetch();
  const stopBackground = async () => {
    await upstream.close();
    await sandbox?.close();
  };
  let opened: Awaited<ReturnType<typeof openNodeJobStore>> | undefined;
  let outputStore: OutputStore | undefined;
  try {
    const config = loadConfig(env, options.providers);
    opened = await openNodeJobStore(env);
    outputStore = await openOutputStore(env as Record<string, string | undefined>, dataDirOf(env));
    const webhookFetch = createCheckedFetch(config.allowedPrivateHosts);
    // Copies and proxied downloads may also reach the providers' own hosts (private ones included, as their API calls may).
    const copyFetch = createCheckedFetch([...config.allowedPrivateHosts, ...providerHosts(config)]);
    const outputs = outputStore && { store: outputStore, sha256: nodeSha256, fetch: copyFetch.fetch };
    const gateway = createGateway({ config, providers: options.providers, store: opened.store, fetch: upstream.fetch, log, sleep: options.sleep, docsAssets: nodeDocsAssets(), staticPages: nodeStaticPages(options.providers.map((provider) => provider.name)), router: nodeRouter, ...(outputs ? { outputs } : {}) });
    const scannable = gateway.lifecycle.store as ScannableJobStore;
    const driver = startScanningDriver(gateway.lifecycle, scannable);
    const outbox = startOutboxRunner({ ...gateway.lifecycle, webhookFetch: webhookFetch.fetch }, scannable);
    gateway.lifecycle.listeners.add((_record, queued) => queued.length > 0 && outbox.kick());
    const server = createGatewayServer(gateway.app.fetch, { hostname, log, metrics: gateway.metrics });
    const store = opened.store;
    const stopWork = async () => {
      await driver.stop();
      await outbox.stop();
      await webhookFetch.close();
      await copyFetch.close();
    };
    const { port } = await listenOn(server, options.port ?? 8787, hostname).catch(async (error: unknown) => {
      await stopWork();
      throw error;
    });
    return {
      url: `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}`,
      sandbox: sandbox && { gatewayKey: config.apiKeys[0]!, webhookSecret: config.webhooks.secret!, emulators: sandbox.emulators },
      store: opened.description,
      outputs: outputStore?.description ?? 'none (videos are the providers\' URLs)',
      lifecycle: gateway.lifecycle,
      async close(graceMs = DEFAULT_SHUTDOWN_GRACE_MS) {
        // Event streams and waits would hold the drain for its whole grace: end them first.
        const draining = drainServer(server, graceMs);
        endAllWatches(gateway.lifecycle);
        const drained = await draining;
        await stopWork();
        await store.close();
        await outputStore?.close();
        // Requests that were cut may still be waiting on a provider: nobody will read those answers.
        await (drained.cut > 0 ? upstream.destroy() : upstream.close());
        await sandbox?.close();
        stdout.flush();
        return drained;
      },
    };
  } catch (error) {
    await opened?.store.close();
    await outputStore?.close();
    await stopBackground();
    throw error;
  }
}

/** The hosts of the providers' configured base URLs (their result URLs may point there). */
function providerHosts(config: GatewayConfig): string[] {
  return Object.values(config.providers).map((settings) => new URL(settings.baseUrl).hostname);
}
