/**
 * CORS on Node (the shared cases in test/cases/cors.ts, which test/workerd/cors.test.ts runs in
 * workerd), against a gateway started with `CORS_ORIGINS`.
 */
import { afterAll, beforeAll } from 'vitest';
import { corsCases, CORS_TEST_ORIGINS, type GatewayHarness } from '../cases/index.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
let harness: GatewayHarness;
beforeAll(async () => {
  stack = await startStack({ CORS_ORIGINS: CORS_TEST_ORIGINS });
  harness = {
    request: (method, path, options) => stack.request(method, path, options),
    emulator: (name) => stack.emulator(name).emulator.control,
    download: (url) => fetch(url),
  };
});
afterAll(() => stack.close());

corsCases(() => harness);
