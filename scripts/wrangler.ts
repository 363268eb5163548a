/**
 * `node scripts/wrangler.ts <args>`: the project's wrangler, offline (see wrangler-env.ts).
 * The npm scripts go through this so that no wrangler command phones home.
 */
import { runWrangler } from './wrangler-env.ts';

process.exitCode = await runWrangler(process.argv.slice(2));
