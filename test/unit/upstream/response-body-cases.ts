/**
 * Reading provider answers, case by case; runtime-agnostic so that the Node project and workerd
 * both run it (response-body.test.ts and test/workerd/response-body.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { answeredWhole, BodyTooLargeError, readBodyCapped, redactDeep, redactHeaders, redactor } from '../../../src/upstream/response-body.ts';

/** A stream of `total` bytes made on demand, counting how many were ever pulled. */
function lazyBytes(total: number) {
  const counter = { pulled: 0, cancelled: false };
  const chunk = new Uint8Array(16 * 1024).fill(0x20);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (counter.pulled >= total) return controller.close();
      counter.pulled += chunk.byteLength;
      controller.enqueue(chunk.slice());
    },
    cancel() {
      counter.cancelled = true;
    },
  });
  return { stream, counter };
}

export function responseBodyCases(): void {
  describe('reading a provider answer with a size cap', () => {
    it('reads an answer within the cap whole', async () => {
      const bytes = await readBodyCapped(new Response('{"status":"queued"}'), 1024);
      expect(new TextDecoder().decode(bytes)).toBe('{"status":"queued"}');
    });

    it('stops pulling and cancels the stream once past the cap', async () => {
      const { stream, counter } = lazyBytes(500 * 1024 * 1024);
      await expect(readBodyCapped(new Response(stream), 1024 * 1024)).rejects.toBeInstanceOf(BodyTooLargeError);
      expect(counter.pulled).toBeLessThan(2 * 1024 * 1024);
      expect(counter.cancelled).toBe(true);
    });

    it('counts decoded bytes, so a small gzip answer that inflates past the cap is refused', async () => {
      const { stream } = lazyBytes(64 * 1024 * 1024);
      const gzip = (transform: object) => transform as TransformStream<Uint8Array, Uint8Array>;
      const inflated = stream.pipeThrough(gzip(new CompressionStream('gzip'))).pipeThrough(gzip(new DecompressionStream('gzip')));
      await expect(readBodyCapped(new Response(inflated), 1024 * 1024)).rejects.toBeInstanceOf(BodyTooLargeError);
    });

    it('hands out the bytes of an answer the runtime read whole, still held to the cap', async () => {
      const bytes = new TextEncoder().encode('{"status":"queued"}');
      // The body differs from the marked bytes only to show which is read.
      const response = answeredWhole(new Response('{"status":"other"}'), bytes);
      expect(await readBodyCapped(response, 1024)).toBe(bytes);
      expect(response.bodyUsed).toBe(false);
      await expect(readBodyCapped(answeredWhole(new Response(''), bytes), 4)).rejects.toBeInstanceOf(BodyTooLargeError);
    });

    it('refuses at once an answer that declares a length past the cap', async () => {
      const { stream, counter } = lazyBytes(10 * 1024 * 1024);
      const response = new Response(stream, { headers: { 'content-length': String(10 * 1024 * 1024) } });
      await expect(readBodyCapped(response, 1024)).rejects.toBeInstanceOf(BodyTooLargeError);
      expect(counter.pulled).toBeLessThanOrEqual(16 * 1024);
    });
  });

  describe('redacting a provider key', () => {
    const redact = redactor(['sk-live/abc+123']);

    it('blanks the key as sent and percent-encoded, anywhere in a string', () => {
      expect(redact('token sk-live/abc+123 rejected')).toBe('token [redacted] rejected');
      expect(redact('https://x.test/?key=sk-live%2Fabc%2B123')).toBe('https://x.test/?key=[redacted]');
    });

    it('blanks it in every string of a JSON value, keys included, without letting __proto__ through', () => {
      const body = JSON.parse('{"status":"denied:sk-live/abc+123","list":["sk-live/abc+123"],"sk-live/abc+123":1,"__proto__":{"polluted":true}}');
      const clean = redactDeep(body, redact) as Record<string, unknown>;
      expect(clean).toEqual({ status: 'denied:[redacted]', list: ['[redacted]'], '[redacted]': 1, ['__proto__']: { polluted: true } });
      expect(Object.getPrototypeOf(clean)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('blanks it in header values', () => {
      const headers = redactHeaders(new Headers({ 'retry-after': 'sk-live/abc+123', 'x-ok': 'fine' }), redact);
      expect(headers.get('retry-after')).toBe('[redacted]');
      expect(headers.get('x-ok')).toBe('fine');
    });

    it('hands back the same headers when no value holds the key, and a copy as soon as one does', () => {
      const clean = new Headers({ 'retry-after': '3', 'x-ok': 'fine' });
      expect(redactHeaders(clean, redact)).toBe(clean);
      const leaky = new Headers({ 'x-ok': 'fine', 'x-echo': 'key=sk-live%2Fabc%2B123' });
      const redacted = redactHeaders(leaky, redact);
      expect(redacted).not.toBe(leaky);
      expect([...redacted]).toEqual([['x-echo', 'key=[redacted]'], ['x-ok', 'fine']]);
      expect(leaky.get('x-echo')).toBe('key=sk-live%2Fabc%2B123');
    });
  });
}
