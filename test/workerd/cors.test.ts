/**
 * CORS inside workerd: the shared cases of test/cases/cors.ts against a Worker whose bindings set
 * `CORS_ORIGINS` (test/e2e/cors.test.ts runs them on Node).
 */
import { env } from 'cloudflare:workers';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { corsCases, CORS_TEST_ORIGINS, type GatewayHarness } from '../cases/index.ts';
import { createWorker } from '../../src/worker/create-worker.ts';
import { WORKERD_TEST_BINDINGS } from './support/bindings.ts';
import { requester, WORKER_ASSETS } from './support/gateway.ts';
import { stubProviders, type ProviderStub } from './support/provider-stub.ts';

let stub: ProviderStub;
let harness: GatewayHarness;
beforeAll(async () => {
  stub = await stubProviders();
  const worker = createWorker({ log: () => {} });
  const bindings = { ...WORKERD_TEST_BINDINGS, JOBS: env.JOBS, JOB_OWNERS: env.JOB_OWNERS, ASSETS: WORKER_ASSETS, CORS_ORIGINS: CORS_TEST_ORIGINS };
  harness = {
    request: requester((request) => worker.fetch(request, bindings)),
    emulator: (name) => stub.emulators[name]!.control,
    download: (url) => stub.dispatch(new Request(url)),
  };
});
afterEach(() => {
  expect(stub.unexpected).toEqual([]);
});
afterAll(() => stub.restore());

corsCases(() => harness);
