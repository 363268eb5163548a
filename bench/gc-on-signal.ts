/**
 * The gateway (src/node.mjs, as `npm start` runs it) for the bench's memory figure, with one bench-only hook: SIGUSR2 runs a
 * full garbage collection (the process is started with `--expose-gc`). RSS sampled under load is
 * mostly V8's heap sizing (its young generation and how far it lets the old one grow before
 * collecting), not what the gateway keeps; sampled after a collection it is what the process holds.
 */
process.on('SIGUSR2', () => {
  const collect = (globalThis as { gc?: () => void }).gc;
  // Twice: the first collection's finalizers can free more for the second.
  collect?.();
  collect?.();
});
await import('../src/node.mjs');
