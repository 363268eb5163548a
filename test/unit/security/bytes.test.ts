import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../../../src/security/bytes.ts';

describe('toBase64Url', () => {
  it('gives what Node’s own base64url gives, unpadded, for every length up to 64 bytes', () => {
    for (let length = 0; length <= 64; length++) {
      const bytes = crypto.getRandomValues(new Uint8Array(length));
      expect(toBase64Url(bytes), `${length} bytes`).toBe(Buffer.from(bytes).toString('base64url'));
    }
  });

  it('uses the URL alphabet at both ends of the byte range', () => {
    expect(toBase64Url(new Uint8Array([0xff, 0xff, 0xff, 0xfb, 0xef]))).toBe('____--8');
    expect(toBase64Url(new Uint8Array([0, 0, 0]))).toBe('AAAA');
  });
});
