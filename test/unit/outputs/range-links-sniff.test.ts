/** The pure pieces of serving: `Range` parsing, link signatures, and telling a video by its bytes. */
import { describe, expect, it } from 'vitest';
import { SAMPLE_MP4 } from '../../../providers/emulator-kit/index.ts';
import { parseRange } from '../../../src/http/range.ts';
import { checkLink, linkSigner } from '../../../src/outputs/links.ts';
import { sniffVideoType } from '../../../src/outputs/sniff.ts';

describe('parseRange', () => {
  const size = 1000;
  it.each([
    ['bytes=0-0', { kind: 'range', offset: 0, length: 1 }],
    ['bytes=0-499', { kind: 'range', offset: 0, length: 500 }],
    ['bytes=500-', { kind: 'range', offset: 500, length: 500 }],
    ['bytes=900-5000', { kind: 'range', offset: 900, length: 100 }],
    ['bytes=-100', { kind: 'range', offset: 900, length: 100 }],
    ['bytes=-5000', { kind: 'range', offset: 0, length: 1000 }],
    ['bytes=1000-', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=0-1,5-6', { kind: 'whole' }],
    ['bytes=5-1', { kind: 'whole' }],
    ['items=0-1', { kind: 'whole' }],
    ['bytes=-', { kind: 'whole' }],
    ['bytes=abc', { kind: 'whole' }],
  ])('%s', (header, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
  it('serves the whole object without a header', () => {
    expect(parseRange(undefined, size)).toEqual({ kind: 'whole' });
  });
});

describe('signed links', () => {
  const now = Date.parse('2026-12-01T10:00:00Z');
  const secret = 'link-secret-0123456789';
  const parts = (url: string) => {
    const parsed = new URL(url);
    return { expires: parsed.searchParams.get('expires') ?? undefined, signature: parsed.searchParams.get('signature') ?? undefined };
  };

  it('verify for their job and index until they expire', () => {
    const url = linkSigner({ origin: 'https://gw.example', secret, ttlSeconds: 60, now }).sign('job_abc', 0);
    expect(url).toMatch(/^https:\/\/gw\.example\/outputs\/job_abc\/0\?expires=\d+&signature=[\w-]{43}$/);
    const { expires, signature } = parts(url);
    expect(checkLink([secret], 'job_abc', 0, expires, signature, now)).toBe('valid');
    expect(checkLink([secret], 'job_abc', 0, expires, signature, now + 59_999)).toBe('valid');
    expect(checkLink([secret], 'job_abc', 0, expires, signature, now + 60_000)).toBe('expired');
    expect(checkLink([secret], 'job_abd', 0, expires, signature, now)).toBe('invalid');
    expect(checkLink([secret], 'job_abc', 1, expires, signature, now)).toBe('invalid');
    expect(checkLink([secret], 'job_abc', 0, String(Number(expires) + 1), signature, now)).toBe('invalid');
    expect(checkLink([secret], 'job_abc', 0, expires, undefined, now)).toBe('invalid');
    expect(checkLink([secret], 'job_abc', 0, '1e9', signature, now)).toBe('invalid');
  });

  it('keep working under a rotated secret listed after the new one, and not under another', () => {
    const { expires, signature } = parts(linkSigner({ origin: 'https://gw.example', secret, ttlSeconds: 60, now }).sign('job_abc', 0));
    expect(checkLink(['new-secret-0123456789', secret], 'job_abc', 0, expires, signature, now)).toBe('valid');
    expect(checkLink(['new-secret-0123456789'], 'job_abc', 0, expires, signature, now)).toBe('invalid');
  });
});

describe('sniffVideoType', () => {
  const head = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));
  it('tells MP4, QuickTime and WebM from their first bytes, and nothing else', () => {
    expect(sniffVideoType(SAMPLE_MP4.subarray(0, 12))).toBe('video/mp4');
    expect(sniffVideoType(head('\0\0\0\x14ftypqt  '))).toBe('video/quicktime');
    expect(sniffVideoType(Uint8Array.of(0x1a, 0x45, 0xdf, 0xa3, 1, 2))).toBe('video/webm');
    expect(sniffVideoType(head('<html><body>'))).toBeUndefined();
    expect(sniffVideoType(head('\0\0\0'))).toBeUndefined();
  });
});
