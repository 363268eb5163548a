/**
 * Bindings the workerd test project gives the Worker on top of wrangler.toml's `[vars]`: test keys
 * (as secrets would be), and provider base URLs that the fetch stub routes to the emulators.
 * Read from the Node side (vitest.config.ts) and from inside workerd (the tests).
 */
export const EMULATOR_ORIGINS = {
  krea: 'https://krea.emulator.test',
  aimlapi: 'https://aimlapi.emulator.test',
} as const;

export const WORKERD_TEST_BINDINGS = {
  GATEWAY_API_KEYS: 'test-gateway-key-1',
  JOB_ID_SECRET: 'test-job-id-secret-0123456789',
  KREA_API_KEY: 'krea-secret-key-abc123',
  KREA_BASE_URL: EMULATOR_ORIGINS.krea,
  AIMLAPI_API_KEY: 'aimlapi-secret-key-xyz789',
  AIMLAPI_BASE_URL: EMULATOR_ORIGINS.aimlapi,
} as const;
