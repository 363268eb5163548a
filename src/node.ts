/**
 * Node entry: `npm start` or `node src/node.ts`. Everything runtime-specific lives in src/node/; this
 * only turns on Node's compile cache and loads the process (src/node/main.ts).
 */
import { enableCompileCache } from 'node:module';

// Compiled modules, and the TypeScript stripped from them, are kept on disk (the system's temporary
// directory, or NODE_COMPILE_CACHE): a start after the first skips most of the loading (about 470 →
// 300 ms here). Where the directory cannot be written, Node carries on without the cache.
enableCompileCache();
await import('./node/main.ts');
