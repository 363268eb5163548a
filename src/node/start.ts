/** Starting the gateway on Node: configuration, sandbox if no keys, undici pool, reference assets, HTTP server. */
import type { AddressInfo } from 'node:net';
import type { ProviderDefinition } from '../../providers/types.ts';
import { createApp } from '../app.ts';
import { loadConfig, type Env } from '../config.ts';
import { jsonLogger, type Logger } from '../logger.ts';
import { closeServer, isSandbox, listen, startSandbox, type RunningEmulator } from './sandbox.ts';
import { withConfigFile } from './config-file.ts';
import { nodeDocsAssets } from './docs-assets.ts';
import { nodeCryptoCipher } from './node-crypto-cipher.ts';
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
  close(): Promise<void>;
}

export async function startGateway(options: StartOptions): Promise<RunningGateway> {
  const baseEnv = withConfigFile(options.env);
  const sandbox = isSandbox(baseEnv, options.providers) ? await startSandbox(baseEnv, options.providers) : undefined;
  const env = sandbox?.env ?? baseEnv;
  const config = loadConfig(env, options.providers);
  const upstream = createUpstreamFetch();
  const app = createApp({ config, providers: options.providers, fetch: upstream.fetch, log: options.log ?? jsonLogger(), sleep: options.sleep, idCipher: nodeCryptoCipher, docsAssets: nodeDocsAssets() });
  const server = await listen(app.fetch, options.port ?? 8787, options.hostname ?? '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.hostname ?? '127.0.0.1'}:${port}`,
    sandbox: sandbox && { gatewayKey: config.apiKeys[0]!, emulators: sandbox.emulators },
    async close() {
      await closeServer(server);
      await upstream.close();
      await sandbox?.close();
    },
  };
}
