/**
 * SHA-256 and HMAC-SHA-256 (FIPS 180-4, RFC 2104), synchronous, for the small messages the
 * gateway signs itself: video links (rendered synchronously everywhere, so WebCrypto's promises
 * will not do) and webhooks. Runtime-agnostic and a few hundred bytes minified; the tests hold it to
 * `node:crypto` on random inputs.
 */

/**
 * The round constants and the initial state: the first 32 bits of the fractional parts of the cube
 * roots of the first 64 primes, and of the square roots of the first 8 (FIPS 180-4 §4.2.2, §5.3.3),
 * computed rather than written out (doubles hold them exactly; the tests check the digests).
 */
const K = new Uint32Array(64);
const INITIAL = new Uint32Array(8);
for (let candidate = 2, found = 0; found < 64; candidate++) {
  let prime = true;
  for (let divisor = 2; divisor * divisor <= candidate; divisor++) if (candidate % divisor === 0) prime = false;
  if (!prime) continue;
  if (found < 8) INITIAL[found] = (Math.sqrt(candidate) % 1) * 2 ** 32;
  K[found++] = (Math.cbrt(candidate) % 1) * 2 ** 32;
}
const BLOCK = 64;

/** Reused between calls (nothing here is asynchronous, so no two calls interleave). */
const words = new Uint32Array(64);

const rotate = (x: number, n: number) => (x >>> n) | (x << (32 - n));

/** Runs the compression function over every 64-byte block of `blocks` (its length a multiple of 64). */
function compress(state: Uint32Array, blocks: Uint8Array): void {
  for (let offset = 0; offset < blocks.length; offset += BLOCK) {
    for (let i = 0, j = offset; i < 16; i++, j += 4) words[i] = (blocks[j]! << 24) | (blocks[j + 1]! << 16) | (blocks[j + 2]! << 8) | blocks[j + 3]!;
    for (let i = 16; i < 64; i++) {
      const x = words[i - 15]!;
      const y = words[i - 2]!;
      words[i] = (rotate(x, 7) ^ rotate(x, 18) ^ (x >>> 3)) + words[i - 7]! + (rotate(y, 17) ^ rotate(y, 19) ^ (y >>> 10)) + words[i - 16]!;
    }
    let a = state[0]!, b = state[1]!, c = state[2]!, d = state[3]!, e = state[4]!, f = state[5]!, g = state[6]!, h = state[7]!;
    for (let i = 0; i < 64; i++) {
      const t1 = (h + (rotate(e, 6) ^ rotate(e, 11) ^ rotate(e, 25)) + ((e & f) ^ (~e & g)) + K[i]! + words[i]!) | 0;
      const t2 = ((rotate(a, 2) ^ rotate(a, 13) ^ rotate(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    state[0]! += a;
    state[1]! += b;
    state[2]! += c;
    state[3]! += d;
    state[4]! += e;
    state[5]! += f;
    state[6]! += g;
    state[7]! += h;
  }
}

/** The SHA-256 of `head` followed by `tail`. */
function digest(head: Uint8Array, tail?: Uint8Array): Uint8Array {
  const length = head.length + (tail?.length ?? 0);
  // The message, a 1 bit, zeros, and the length in bits as 64 bits: a whole number of blocks.
  const padded = new Uint8Array(Math.ceil((length + 9) / BLOCK) * BLOCK);
  padded.set(head);
  if (tail) padded.set(tail, head.length);
  padded[length] = 0x80;
  const bits = padded.length - 8;
  const high = Math.floor(length / 0x20000000);
  const low = length << 3;
  for (let i = 0; i < 4; i++) {
    padded[bits + i] = high >>> (24 - 8 * i);
    padded[bits + 4 + i] = low >>> (24 - 8 * i);
  }
  const state = new Uint32Array(INITIAL);
  compress(state, padded);
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = state[i >> 2]! >>> (24 - 8 * (i & 3));
  return out;
}

export function sha256(data: Uint8Array): Uint8Array {
  return digest(data);
}

export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  const inner = new Uint8Array(BLOCK);
  inner.set(key.length > BLOCK ? digest(key) : key);
  const outer = inner.slice();
  for (let i = 0; i < BLOCK; i++) {
    inner[i]! ^= 0x36;
    outer[i]! ^= 0x5c;
  }
  return digest(outer, digest(inner, message));
}
