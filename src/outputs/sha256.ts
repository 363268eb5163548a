/**
 * The SHA-256 port: copies are hashed as they stream, chunk by chunk, so the digest costs no
 * second read and no buffering. Node brings `node:crypto`'s incremental hash; Workers bring
 * `crypto.DigestStream` (WebCrypto's `digest` takes only a whole buffer).
 */
export interface Sha256 {
  update(chunk: Uint8Array): void;
  /** The digest as lowercase hex; call once, after the last update. */
  digest(): Promise<string>;
}

export type Sha256Factory = () => Sha256;

export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
