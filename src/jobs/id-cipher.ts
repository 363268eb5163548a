/**
 * The sealing primitive behind job ids: AES-256-GCM with a 12-byte random nonce, key derived from
 * each secret by HKDF-SHA-256, wire format `nonce ‖ ciphertext ‖ tag`. Two implementations share
 * that format exactly, so an id sealed on one runtime opens on the other: WebCrypto (the default;
 * native and fast on Workers) and `node:crypto` (src/node/), because Node's WebCrypto hands every
 * call to a thread pool and costs hundreds of microseconds.
 */
export interface IdCipher {
  /** Seals with the first key. */
  seal(plain: Uint8Array): Promise<Uint8Array>;
  /** Opens with any key; `undefined` if none authenticates. */
  open(sealed: Uint8Array): Promise<Uint8Array | undefined>;
}

export type IdCipherFactory = (secrets: readonly string[]) => IdCipher;

export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
export const HKDF_SALT = 'vidgate/job-id/v1';

const encoder = new TextEncoder();

export const webCryptoCipher: IdCipherFactory = (secrets) => {
  const keys = Promise.all(secrets.map(deriveKey));
  return {
    async seal(plain) {
      const [key] = await keys;
      const nonce = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
      const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce }, key!, plain as Uint8Array<ArrayBuffer>));
      const out = new Uint8Array(NONCE_BYTES + sealed.length);
      out.set(nonce);
      out.set(sealed, NONCE_BYTES);
      return out;
    },
    async open(sealed) {
      const iv = sealed.slice(0, NONCE_BYTES);
      const body = sealed.slice(NONCE_BYTES);
      for (const key of await keys) {
        try {
          return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, body));
        } catch {
          // Not sealed under this key; try the next one.
        }
      }
      return undefined;
    },
  };
};

/** HKDF so that the id key is independent of wherever else the operator reuses the secret. */
async function deriveKey(secret: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: encoder.encode(HKDF_SALT), info: new Uint8Array() },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}
