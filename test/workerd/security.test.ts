/** The URL and inline-image checks on the Workers runtime (no Node.js compatibility), as on Node. */
import { describe, expect, it } from 'vitest';
import { decodeImageDataUri, sha256Hex } from '../../src/security/data-uri.ts';
import { checkUrl, isPublicAddress, parseAllowedHosts } from '../../src/security/url-rules.ts';

describe('URL rules on Workers', () => {
  it.each([
    ['https://example.com/cat.png', true],
    ['https://0x7f.1/cat.png', false],
    ['https://[::ffff:169.254.169.254]/', false],
    ['https://user:secret@example.com/', false],
    ['http://example.com/cat.png', false],
  ])('checks %s (safe: %s)', (value, ok) => {
    expect(checkUrl(value, {}).ok).toBe(ok);
  });

  it('allows ALLOWED_PRIVATE_HOSTS over plain http and classifies resolved addresses', () => {
    expect(checkUrl('http://127.0.0.1:9000/a.png', { allowedPrivateHosts: parseAllowedHosts('127.0.0.1,localhost') }).ok).toBe(true);
    expect([isPublicAddress('8.8.8.8'), isPublicAddress('fd00:ec2::254')]).toEqual([true, false]);
  });
});

describe('inline images on Workers', () => {
  it('decodes a PNG data URI and digests the decoded bytes', async () => {
    const result = decodeImageDataUri('data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==', { maxBytes: 1024 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Array.from(result.bytes.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // sha256sum of the 16 decoded bytes, as computed by node:crypto.
    expect(await sha256Hex(result.bytes)).toBe(PNG_HEADER_SHA256);
  });

  it('refuses an empty payload', () => {
    expect(decodeImageDataUri('data:image/png;base64,', { maxBytes: 1024 })).toEqual({ ok: false, reason: 'its data is empty' });
  });
});

const PNG_HEADER_SHA256 = '02a3e298f1533f62558c58e4c70edcab9af5a50d62d925fd5390942020fb0fb8';
