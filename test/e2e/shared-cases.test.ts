/**
 * The shared behaviour cases (test/cases) against the Node gateway: real servers over loopback,
 * started as `npm start` starts them. test/workerd/gateway.test.ts runs the same cases in workerd.
 */
import { afterAll, beforeAll } from 'vitest';
import { sharedCases, type GatewayHarness } from '../cases/index.ts';
import { startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
let harness: GatewayHarness;
beforeAll(async () => {
  stack = await startStack();
  harness = {
    request: (method, path, options) => stack.request(method, path, options),
    emulator: (name) => stack.emulator(name).emulator.control,
    download: (url) => fetch(url),
  };
});
afterAll(() => stack.close());

sharedCases(() => harness);
