/**
 * Bindings the workerd test project gives the Worker on top of wrangler.toml's `[vars]`: test keys
 * (as secrets would be), and each registered provider's base URL at its emulator's pretend origin,
 * which the fetch stub answers. Read from the Node side (vitest.config.ts) and from inside workerd.
 */
import { emulatorEnv } from '../../support/emulator-network.ts';

export const WORKERD_TEST_BINDINGS = {
  GATEWAY_API_KEYS: 'test-gateway-key-1,test-gateway-key-2',
  JOB_ID_SECRET: 'test-job-id-secret-0123456789',
  // The shared cases expect every read of a live job to ask the provider, and no background poll in between.
  POLL_FRESHNESS_MS: '0',
  POLL_INTERVAL_MS: '3600000',
  ...emulatorEnv(),
} as const satisfies Record<string, string>;
