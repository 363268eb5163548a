/**
 * Node entry by its TypeScript name: `node src/node.ts` starts what `npm start` starts (src/node.mjs,
 * which says why the entry is JavaScript).
 */
await import('./node.mjs');
