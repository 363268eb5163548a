/** Starting the gateway on Node: configuration, sandbox if no keys, job store and driver, undici pool, reference assets, HTTP server. */
import type { AddressInfo } from 'node:net';
import type { ProviderDefinition } from '../../providers/types.ts';
import { createGateway } from '../app.ts';
import { startScanningDriver } from '../jobs/driver.ts';
import type { ScannableJobStore } from '../jobs/store/job-store.ts';
import { loadConfig, type Env } from '../config.ts';
import { jsonLogger, type Logger } from '../logger.ts';
import { closeServer, isSandbox, listen, startSandbox, type RunningEmulator } from './sandbox.ts';
import { withConfigFile } from './config-file.ts';
import { nodeDocsAssets } from './docs-assets.ts';
import { openNodeJobStore } from './open-job-store.ts';
import { createUpstreamFetch } from './upstream-fetch.ts';

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
  sandbox: { gatewayKey: string; emulators: RunningEmulator[] } | undefined;
  /** Where jobs live, for the startup line. */
  store: string;
  close(): Promise<void>;
}

export async function startGateway(options: StartOptions): Promise<RunningGateway> {
  const baseEnv = withConfigFile(options.env);
  const sandbox = isSandbox(baseEnv, options.providers) ? await startSandbox(baseEnv, options.providers) : undefined;
  const env = sandbox?.env ?? baseEnv;
  const config = loadConfig(env, options.providers);
  const opened = await openNodeJobStore(env);
  const upstream = createUpstreamFetch();
  const gateway = createGateway({ config, providers: options.providers, store: opened.store, fetch: upstream.fetch, log: options.log ?? jsonLogger(), sleep: options.sleep, docsAssets: nodeDocsAssets() });
  const driver = startScanningDriver(gateway.lifecycle, gateway.lifecycle.store as ScannableJobStore);
  const server = await listen(gateway.app.fetch, options.port ?? 8787, options.hostname ?? '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.hostname ?? '127.0.0.1'}:${port}`,
    sandbox: sandbox && { gatewayKey: config.apiKeys[0]!, emulators: sandbox.emulators },
    store: opened.description,
    async close() {
      await closeServer(server);
      await driver.stop();
      await opened.store.close();
      await upstream.close();
      await sandbox?.close();
    },
  };
}
