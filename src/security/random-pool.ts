/**
 * Random bytes drawn from a pool that the platform's CSPRNG refills a few kilobytes at a time: ids
 * are made on every request and every create, and one `crypto.getRandomValues` call per id cost
 * more than the rest of making it (profiled: among a create's largest costs outside the store and the socket).
 * Every byte is handed out once; the bytes are as random as the generator's.
 */
const POOL_BYTES = 4_096;
const pool = new Uint8Array(POOL_BYTES);
let offset = POOL_BYTES;

/**
 * `count` fresh random bytes (at most the pool's size), valid until the next call: a view of the
 * pool, to be read at once (formatted into an id), never kept.
 */
export function randomBytes(count: number): Uint8Array {
  if (count > POOL_BYTES) throw new RangeError(`at most ${POOL_BYTES} random bytes at a time`);
  if (offset + count > POOL_BYTES) {
    crypto.getRandomValues(pool);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + count);
  offset += count;
  return bytes;
}
