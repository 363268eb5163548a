/**
 * SHA-256 and HMAC-SHA-256 as the gateway computes them (src/security/sha256.ts), which sign video links and
 * webhooks on both runtimes, give what `node:crypto` gives: at the padding boundaries, for keys
 * longer than a block, and on random inputs.
 */
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacSha256, sha256 } from '../../../src/security/sha256.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('SHA-256', () => {
  it.each([0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000, 100_000])('matches node:crypto for %i bytes', (length) => {
    const data = Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff);
    expect(hex(sha256(data))).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('matches node:crypto on random data', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (data) => hex(sha256(data)) === createHash('sha256').update(data).digest('hex')));
  });
});

describe('HMAC-SHA-256', () => {
  it('matches node:crypto on random keys (shorter and longer than a block) and messages', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 150 }), fc.uint8Array({ maxLength: 200 }), (key, message) => hex(hmacSha256(key, message)) === createHmac('sha256', key).update(message).digest('hex')),
    );
  });

  it('gives the RFC 4231 test vector', () => {
    const key = new Uint8Array(20).fill(0x0b);
    expect(hex(hmacSha256(key, new TextEncoder().encode('Hi There')))).toBe('b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
  });
});
