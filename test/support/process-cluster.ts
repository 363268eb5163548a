/**
 * Real gateway processes around real loopback emulators, for what only processes can show: a
 * crash (`kill -9`) mid-create or mid-poll, a restart on the same store, and several instances
 * sharing one PostgreSQL database.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { providers } from '../../providers/index.ts';
import type { Progression } from '../../providers/emulator-kit/index.ts';
import { startEmulator, type RunningEmulator } from '../../src/node/sandbox.ts';
import { testProviderKey } from './emulator-network.ts';
import { spawnGateway, type GatewayProcess } from './process.ts';

export const CLUSTER_KEY = 'cluster-gateway-key-1';

export interface Cluster {
  emulators: Record<string, RunningEmulator>;
  /** The environment every instance shares (store, keys, providers), plus `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
  spawn(extra?: Record<string, string>): Promise<GatewayProcess>;
  close(): Promise<void>;
}

/** Emulators on loopback, and gateways pointed at them sharing one store (SQLite in a fresh directory, or `DATABASE_URL`). */
export async function startCluster(options: { progression: Progression; store?: { DATABASE_URL: string } }): Promise<Cluster> {
  const running = await Promise.all(providers.map((provider) => startEmulator(provider, { apiKey: testProviderKey(provider.name), progression: options.progression })));
  const emulators = Object.fromEntries(running.map((emulator) => [emulator.provider.name, emulator]));
  const store = options.store ?? { VIDGATE_DATA_DIR: mkdtempSync(join(tmpdir(), 'vidgate-cluster-')) };
  const shared: Record<string, string> = {
    GATEWAY_API_KEYS: CLUSTER_KEY,
    JOB_ID_SECRET: 'cluster-job-id-secret-0123456789',
    ...store,
    ...Object.fromEntries(running.flatMap(({ provider, url }) => [[provider.env.apiKey, testProviderKey(provider.name)], [provider.env.baseUrl, url]])),
  };
  const processes: GatewayProcess[] = [];
  return {
    emulators,
    env: (extra = {}) => ({ ...shared, ...extra }),
    async spawn(extra = {}) {
      const process = await spawnGateway({ ...shared, ...extra });
      processes.push(process);
      return process;
    },
    async close() {
      await Promise.all(processes.map((process) => process.stop()));
      await Promise.all(running.map((emulator) => emulator.close()));
    },
  };
}

/** A gateway call with the cluster's key, or with `key` (a named key the instances were given). */
export async function call(gateway: GatewayProcess, method: string, path: string, body?: unknown, key: string = CLUSTER_KEY) {
  const response = await fetch(gateway.url + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

/** Waits until `check` holds, looking every 50 ms, for at most `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Kills a gateway the hard way: no shutdown code runs. */
export async function killHard(gateway: GatewayProcess): Promise<void> {
  gateway.child.kill('SIGKILL');
  await gateway.exited;
}
