/**
 * SHA-256 and HMAC-SHA-256 (FIPS 180-4, RFC 2104), synchronous, for the small messages the
 * gateway signs itself: video links (rendered synchronously everywhere, so WebCrypto's promises
 * will not do) and webhooks. Runtime-agnostic and a few hundred bytes minified; the tests hold it to
 * `node:crypto` on random inputs.
 */

// prettier-ignore
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const INITIAL = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
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
