// Node entry: `npm start` runs this file. Everything runtime-specific lives in src/node/; this only
// turns on Node's compile cache and loads the process (src/node/main.ts), from its bundle when that
// was built from the files on disk (src/node/built-server.ts).
//
// Plain JavaScript, unlike the rest: Node strips a TypeScript entry before any code of ours can
// turn the compile cache on, and loading its stripper for that one file was a sixth of a start.
// `node src/node.ts` does the same, that much slower.
import { enableCompileCache } from 'node:module';
import { fileURLToPath } from 'node:url';

// Compiled modules, and the TypeScript stripped from them, are kept on disk (the system's temporary
// directory, or NODE_COMPILE_CACHE): a start after the first skips most of the compiling. Where the
// directory cannot be written, Node carries on without the cache.
enableCompileCache();
const { freshBuiltServer } = await import('./node/built-server.ts');
const built = freshBuiltServer(fileURLToPath(new URL('..', import.meta.url)));
await (built ? import(built) : import('./node/main.ts'));
