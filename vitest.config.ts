import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Loopback servers and emulators are started per file; keep files isolated but not slow.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
