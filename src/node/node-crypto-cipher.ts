/** Job-id sealing with `node:crypto`: synchronous and a few microseconds, same wire format as WebCrypto. */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { HKDF_SALT, NONCE_BYTES, TAG_BYTES, type IdCipherFactory } from '../jobs/id-cipher.ts';

export const nodeCryptoCipher: IdCipherFactory = (secrets) => {
  const keys = secrets.map((secret) => Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, new Uint8Array(), 32)));
  return {
    async seal(plain) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keys[0]!, nonce);
      return Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    },
    async open(sealed) {
      if (sealed.length < NONCE_BYTES + TAG_BYTES) return undefined;
      const nonce = sealed.subarray(0, NONCE_BYTES);
      const body = sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES);
      const tag = sealed.subarray(sealed.length - TAG_BYTES);
      for (const key of keys) {
        try {
          const decipher = createDecipheriv('aes-256-gcm', key, nonce).setAuthTag(tag);
          return Buffer.concat([decipher.update(body), decipher.final()]);
        } catch {
          // Not sealed under this key; try the next one.
        }
      }
      return undefined;
    },
  };
};
