/**
 * Cloudflare Workers entry (`main` in wrangler.toml). Everything Worker-specific lives in
 * src/worker/; this file only exports the handler and the Durable Object classes wrangler.toml
 * binds (the platform finds them among the main module's exports), as src/node.ts only wires the process.
 */
import { createWorker } from './worker/create-worker.ts';

export { JobObject } from './worker/job-object.ts';
export { OwnerIndex } from './worker/owner-index.ts';

export default createWorker();
