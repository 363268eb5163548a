/**
 * SHA-256 and HMAC-SHA-256, synchronous, for the small messages the gateway signs itself: video
 * links (rendered synchronously everywhere, so WebCrypto's promises will not do), webhooks and the
 * pages' script hashes. One door to the `fast-sha256` package (a few KiB, no Node built-ins, so it
 * runs on both runtimes); the tests hold it to `node:crypto`.
 */
import { hash, hmac } from 'fast-sha256';

export function sha256(data: Uint8Array): Uint8Array {
  return hash(data);
}

export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  return hmac(key, message);
}
