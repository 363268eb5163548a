/**
 * Two projects, so every behaviour the runtimes share is tested on both:
 * - `node`: unit tests and the end-to-end tests over loopback (real Node servers, a real PostgreSQL,
 *   a real S3 server);
 * - `workerd`: the Worker inside the Workers runtime, through its own fetch handler
 *   (@cloudflare/vitest-plugin), with provider calls answered by the in-process emulators.
 */
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { configDefaults, defineConfig } from 'vitest/config';
import { prepareWorkerAssets } from './scripts/worker-assets.ts';
import { OFFLINE_WRANGLER_ENV } from './scripts/wrangler-env.ts';
import { WORKERD_TEST_BINDINGS } from './test/workerd/support/bindings.ts';

// The plugin runs wrangler's config reader and miniflare in this process: keep them offline.
Object.assign(process.env, OFFLINE_WRANGLER_ENV);
// The workerd project serves wrangler.toml's [assets] folder, which is generated (git-ignored):
// fill it before the plugin reads the configuration, as wrangler's [build] does for wrangler itself.
await prepareWorkerAssets();

const timeouts = { testTimeout: 20_000, hookTimeout: 20_000 };

export default defineConfig({
  test: {
    // The deployed Worker logs one JSON line per request (for Workers Logs); the tests assert on
    // behaviour, so those lines are kept out of the report.
    onConsoleLog: (log) => (log.startsWith('{"time":') ? false : undefined),
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/workerd/**'],
          // Loopback servers and emulators are started per file; keep files isolated but not slow.
          pool: 'forks',
          // One throwaway PostgreSQL server and one S3 server per run, each started when a file first asks
          // (test/support/fresh-database.ts, fresh-bucket.ts).
          globalSetup: ['./test/support/package-global-setup.ts', './test/support/postgres-global-setup.ts', './test/support/s3-global-setup.ts'],
          ...timeouts,
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: WORKERD_TEST_BINDINGS,
              // Only for the job-cache tests; the gateway itself looks for `JOB_CACHE`, which stays unbound.
              kvNamespaces: ['TEST_KV'],
            },
          }),
        ],
        // Runs with wrangler.toml's flags (no Node.js compatibility), like production. Vitest probes
        // for `node:inspector` at startup and carries on without it; the plugin prints a notice.
        test: {
          name: 'workerd',
          include: ['test/workerd/**/*.test.ts'],
          // Offline fetch and no alarm left behind by a finished file (see the file).
          setupFiles: ['./test/workerd/support/setup.ts'],
          ...timeouts,
        },
      },
    ],
  },
});
