/**
 * An end-to-end stack over loopback: every registered provider's emulator as a real HTTP server and
 * the gateway started the way `npm start` starts it (undici pool, Node server), with known keys so
 * tests can check that none of them leaks. Retry waits are recorded instead of slept. Every
 * response is checked against the OpenAPI document (test/support/contract.ts).
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { providers } from '../../providers/index.ts';
import type { Env } from '../../src/config.ts';
import { startEmulator, type RunningEmulator } from '../../src/node/sandbox.ts';
import { startGateway, type RunningGateway } from '../../src/node/start.ts';
import { gatewayRequest } from '../cases/harness.ts';
import { contract } from './contract.ts';
import { testProviderKey } from './emulator-network.ts';

export const KEYS = {
  gateway: 'test-gateway-key-1',
  /** A second client of the same gateway: it must never see the first one's jobs. */
  otherGateway: 'test-gateway-key-2',
  jobSecret: 'test-job-id-secret-0123456789',
} as const;

export interface Stack {
  gateway: RunningGateway;
  /** Every provider's emulator, by provider name. */
  emulators: Record<string, RunningEmulator>;
  /** One provider's emulator (throws for a name the registry does not have). */
  emulator(name: string): RunningEmulator;
  logs: string[];
  sleeps: number[];
  env: Env;
  request(method: string, path: string, options?: { body?: unknown; headers?: Record<string, string> }): Promise<ApiResponse>;
  create(body: Record<string, unknown>): Promise<ApiResponse>;
  poll(id: string): Promise<ApiResponse>;
  pollUntilTerminal(id: string, maxPolls?: number): Promise<ApiResponse>;
  /** Polls a job to the end, then until none of its videos' copies is `pending` any more. */
  pollUntilStored(id: string, ms?: number): Promise<ApiResponse>;
  restartGateway(env?: Env): Promise<void>;
  close(): Promise<void>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/** Every response the tests received, so a test can assert something about all of them. */
export const seenResponses: ApiResponse[] = [];

export async function startStack(overrides: Env = {}): Promise<Stack> {
  const running = await Promise.all(providers.map((provider) => startEmulator(provider, { apiKey: testProviderKey(provider.name) })));
  const emulators = Object.fromEntries(running.map((emulator) => [emulator.provider.name, emulator]));
  const logs: string[] = [];
  const sleeps: number[] = [];
  const env: Env = {
    GATEWAY_API_KEYS: `${KEYS.gateway},${KEYS.otherGateway}`,
    JOB_ID_SECRET: KEYS.jobSecret,
    ...Object.fromEntries(running.flatMap(({ provider, url }) => [[provider.env.apiKey, testProviderKey(provider.name)], [provider.env.baseUrl, url]])),
    // A fresh embedded store per stack; every read of a live job asks the provider, and no
    // background poll runs in between, so tests can count upstream calls exactly.
    VIDGATE_DATA_DIR: mkdtempSync(join(tmpdir(), 'vidgate-stack-')),
    POLL_FRESHNESS_MS: '0',
    POLL_INTERVAL_MS: '3600000',
    UPSTREAM_POLL_TIMEOUT_MS: '1000',
    UPSTREAM_CREATE_TIMEOUT_MS: '1000',
    ...overrides,
  };
  const launch = (launchEnv: Env) =>
    startGateway({
      env: launchEnv,
      providers,
      port: 0,
      log: (event, fields) => logs.push(JSON.stringify({ event, ...fields })),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
  const stack: Stack = {
    gateway: await launch(env),
    emulators,
    emulator(name) {
      const found = emulators[name];
      if (!found) throw new Error(`no provider named ${name} in the registry`);
      return found;
    },
    logs,
    sleeps,
    env,
    async request(method, path, options = {}) {
      const response = await fetch(gatewayRequest(stack.gateway.url + path, method, KEYS.gateway, options));
      const text = await response.text();
      const result = { status: response.status, headers: response.headers, text, body: parse(text) };
      seenResponses.push(result);
      // Every answer must be what the OpenAPI document says (issue #4); a mismatch fails the test here.
      // CORS preflights are answered before routing, outside the documented operations.
      if (!isPreflight(method, options.headers)) contract.assert(method, path, result);
      return result;
    },
    create: (body) => stack.request('POST', '/v1/jobs', { body }),
    poll: (id) => stack.request('GET', `/v1/jobs/${id}`),
    async pollUntilTerminal(id, maxPolls = 20) {
      for (let i = 0; i < maxPolls; i++) {
        const response = await stack.poll(id);
        if (response.status !== 200 || ['completed', 'failed', 'cancelled'].includes(response.body.status)) return response;
      }
      throw new Error(`job did not finish within ${maxPolls} polls`);
    },
    async pollUntilStored(id, ms = 10_000) {
      const deadline = Date.now() + ms;
      let response = await stack.pollUntilTerminal(id);
      while (response.status === 200 && response.body.videos?.some((video: { storage?: string }) => video.storage === 'pending')) {
        if (Date.now() > deadline) throw new Error(`copies still pending after ${ms} ms: ${JSON.stringify(response.body.videos)}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
        response = await stack.poll(id);
      }
      return response;
    },
    async restartGateway(newEnv = env) {
      await stack.gateway.close();
      stack.gateway = await launch(newEnv);
    },
    async close() {
      await stack.gateway.close();
      await Promise.all(running.map((emulator) => emulator.close()));
    },
  };
  return stack;
}

function isPreflight(method: string, headers: Record<string, string> = {}): boolean {
  return method === 'OPTIONS' && Object.keys(headers).some((name) => name.toLowerCase() === 'access-control-request-method');
}

function parse(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The upstream calls an emulator received, by kind. */
export function callsOf(emulator: RunningEmulator, kind: 'create' | 'poll' | 'upload') {
  return emulator.emulator.control.requests.filter((request) => request.kind === kind);
}

/** A loopback port nothing listens on (bound, then released), for connection-refused tests. */
export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * One stack for the whole test file, with both emulators' faults and request logs (and the
 * recorded retry waits) reset before each test. The returned object forwards to the running stack.
 */
export function useStack(overrides: Env = {}): Stack {
  let current: Stack | undefined;
  beforeAll(async () => {
    current = await startStack(overrides);
  });
  afterAll(() => current?.close());
  beforeEach(() => {
    for (const running of Object.values(current!.emulators)) running.emulator.control.reset();
    current!.sleeps.length = 0;
  });
  return new Proxy({} as Stack, { get: (_target, key) => Reflect.get(current!, key) });
}
