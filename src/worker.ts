/**
 * Cloudflare Workers entry (`main` in wrangler.toml). Everything Worker-specific lives in
 * src/worker/; this file only exports the handler, as src/node.ts only wires the process.
 */
import { createWorker } from './worker/create-worker.ts';

export default createWorker();
