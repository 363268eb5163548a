/**
 * Sandbox mode: with no provider key set, every registered provider's emulator (loaded through its
 * definition) starts on loopback and the gateway is pointed at it, so the whole product can be
 * tried without an account.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Emulator, EmulatorOptions } from '../../providers/emulator-kit/index.ts';
import type { ProviderDefinition } from '../../providers/types.ts';
import type { Env } from '../config.ts';

const SANDBOX_GATEWAY_KEY = 'vidgate-sandbox-key';
const SANDBOX_JOB_SECRET = 'vidgate-sandbox-job-id-secret-not-for-production';
/** A fixed development secret, printed in the banner so that receivers can verify sandbox webhooks. */
const SANDBOX_WEBHOOK_SECRET = `whsec_${btoa('vidgate-sandbox-webhooks-only!!!')}`;

export interface RunningEmulator {
  provider: ProviderDefinition;
  emulator: Emulator;
  url: string;
  close(): Promise<void>;
}

export function isSandbox(env: Env, providers: readonly ProviderDefinition[]): boolean {
  return providers.every((provider) => !env[provider.env.apiKey]);
}

export async function startEmulator(provider: ProviderDefinition, options: EmulatorOptions = {}, port = 0): Promise<RunningEmulator> {
  const emulator = (await provider.emulator()).createEmulator(options);
  const server = await listen(emulator.app.fetch, port);
  const { port: actual } = server.address() as AddressInfo;
  return { provider, emulator, url: `http://127.0.0.1:${actual}`, close: () => closeServer(server) };
}

/** Starts all emulators and returns the environment that points the gateway at them. */
export async function startSandbox(env: Env, providers: readonly ProviderDefinition[]) {
  const msPerStep = Number(env.SANDBOX_STEP_MS ?? 1_500);
  const emulators = await Promise.all(providers.map((provider) => startEmulator(provider, { progression: { mode: 'timed', msPerStep } })));
  const sandboxEnv: Env = {
    ...env,
    GATEWAY_API_KEYS: env.GATEWAY_API_KEYS || SANDBOX_GATEWAY_KEY,
    JOB_ID_SECRET: env.JOB_ID_SECRET || SANDBOX_JOB_SECRET,
    // Sandbox images and receivers usually live on this machine.
    ALLOWED_PRIVATE_HOSTS: env.ALLOWED_PRIVATE_HOSTS || '127.0.0.1,localhost',
    WEBHOOK_SECRET: env.WEBHOOK_SECRET || SANDBOX_WEBHOOK_SECRET,
  };
  for (const { provider, url } of emulators) {
    sandboxEnv[provider.env.baseUrl] = url;
    sandboxEnv[provider.env.apiKey] = 'sandbox';
  }
  return { env: sandboxEnv, emulators, close: () => Promise.all(emulators.map((e) => e.close())) };
}

export function listen(fetchHandler: (request: Request) => Response | Promise<Response>, port: number, hostname = '127.0.0.1'): Promise<ServerType> {
  return new Promise((resolve) => {
    const server = serve({ fetch: fetchHandler, port, hostname }, () => resolve(server));
  });
}

export function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close(() => resolve());
  });
}
