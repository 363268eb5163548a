/**
 * The gateway (src/node.mjs, as `npm start` runs it) for the bench's memory figure, with one
 * bench-only hook: SIGUSR2 runs a full garbage collection (the process is started with
 * `--expose-gc`) and writes the heap's figures to BENCH_HEAP_FILE. RSS moves with V8's sizing of
 * its heap (its young generation doubles under sustained load); the heap in use after a full
 * collection is what the process keeps.
 */
import { writeFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

process.on('SIGUSR2', () => {
  const collect = (globalThis as { gc?: () => void }).gc;
  // Twice: the first collection's finalizers can free more for the second.
  collect?.();
  collect?.();
  const spaces = getHeapSpaceStatistics();
  const young = spaces.find((space) => space.space_name === 'new_space');
  const used = spaces.reduce((sum, space) => sum + space.space_used_size, 0);
  writeFileSync(process.env.BENCH_HEAP_FILE!, JSON.stringify({ used, youngSize: young?.space_size ?? 0 }));
});
await import('../src/node.mjs');
