/**
 * The output store conformance suite: one set of cases every implementation of the port runs
 * (memory, directory and S3 on Node; R2 inside workerd). Runtime-agnostic: no Node or Workers APIs
 * here, so the same cases run on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutputStore } from '../../src/outputs/output-store.ts';
import { readAllBytes } from '../../src/security/bytes.ts';

export interface OutputStoreUnderTest {
  store: OutputStore;
  close(): Promise<void>;
}

let counter = 0;

/** A key no other case uses, shaped like the gateway's (`job_…/0`). */
export function freshKey(index = 0): string {
  counter += 1;
  return `job_outputs${Date.now().toString(36)}${counter.toString(36).padStart(4, '0')}/${index}`;
}

/** `length` bytes of a pattern that differs at every offset a range could start at. */
export function patternBytes(length: number, seed = 7): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

/** A stream of `bytes` in chunks of `chunkSize`, produced on demand (as a download arrives). */
export function streamOf(bytes: Uint8Array, chunkSize = 64 * 1024): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(at, at + chunkSize));
      at += chunkSize;
    },
  });
}

/** A stream that yields `before` bytes, then fails (a download cut off). */
export function failingStream(before: Uint8Array): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(before.slice());
        return;
      }
      controller.error(new Error('connection reset by the provider'));
    },
  });
}

/** A whole stream, read into memory. */
export const readAll = readAllBytes;

/** Equal without printing megabytes on failure. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.byteLength).toBe(expected.byteLength);
  const firstDifference = actual.findIndex((byte, i) => byte !== expected[i]);
  expect(firstDifference).toBe(-1);
}

export interface OutputStoreCaseOptions {
  /** Size of the large object case: above the store's single-part limit where it has one. */
  largeBytes?: number;
}

export function outputStoreCases(name: string, open: () => Promise<OutputStoreUnderTest>, options: OutputStoreCaseOptions = {}): void {
  describe(`output store conformance: ${name}`, () => {
    let subject: OutputStoreUnderTest;
    let store: OutputStore;
    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.close();
    });

    it('describes where it keeps copies', () => {
      expect(store.description.length).toBeGreaterThan(0);
    });

    it('reads back what was written, with its size and content type', async () => {
      const key = freshKey();
      const bytes = patternBytes(300_000);
      expect(await store.put(key, streamOf(bytes), { contentType: 'video/mp4' })).toEqual({ bytes: 300_000 });
      const object = await store.get(key);
      expect(object).toBeDefined();
      expect(object!.size).toBe(300_000);
      expect(object!.contentType).toBe('video/mp4');
      expectSameBytes(await readAll(object!.body), bytes);
    });

    it('writes a body of declared length', async () => {
      const key = freshKey();
      const bytes = patternBytes(100_001, 3);
      expect(await store.put(key, streamOf(bytes, 10_000), { contentType: 'video/webm', bytes: 100_001 })).toEqual({ bytes: 100_001 });
      const object = await store.get(key);
      expect(object!.contentType).toBe('video/webm');
      expectSameBytes(await readAll(object!.body), bytes);
    });

    it('reads byte ranges: the start, the middle, the last byte', async () => {
      const key = freshKey();
      const bytes = patternBytes(200_000, 11);
      await store.put(key, streamOf(bytes), { contentType: 'video/mp4' });
      for (const range of [
        { offset: 0, length: 1 },
        { offset: 0, length: 65_536 },
        { offset: 12_345, length: 100_000 },
        { offset: 199_999, length: 1 },
        { offset: 150_000, length: 50_000 },
      ]) {
        const object = await store.get(key, range);
        expect(object!.size).toBe(200_000);
        expectSameBytes(await readAll(object!.body), bytes.subarray(range.offset, range.offset + range.length));
      }
    });

    it('has no object under a key never written', async () => {
      expect(await store.get(freshKey())).toBeUndefined();
      expect(await store.get(freshKey(), { offset: 0, length: 1 })).toBeUndefined();
    });

    it('replaces an object written again under the same key', async () => {
      const key = freshKey();
      await store.put(key, streamOf(patternBytes(50_000, 1)), { contentType: 'video/mp4' });
      const second = patternBytes(20_000, 2);
      await store.put(key, streamOf(second), { contentType: 'video/quicktime' });
      const object = await store.get(key);
      expect(object!.size).toBe(20_000);
      expect(object!.contentType).toBe('video/quicktime');
      expectSameBytes(await readAll(object!.body), second);
    });

    it('leaves nothing behind when the body fails mid-write', async () => {
      const key = freshKey();
      await expect(store.put(key, failingStream(patternBytes(70_000)), { contentType: 'video/mp4' })).rejects.toThrow();
      expect(await store.get(key)).toBeUndefined();
    });

    it('keeps the previous object when a replacing write fails', async () => {
      const key = freshKey();
      const first = patternBytes(40_000, 5);
      await store.put(key, streamOf(first), { contentType: 'video/mp4' });
      await expect(store.put(key, failingStream(patternBytes(70_000, 6)), { contentType: 'video/mp4' })).rejects.toThrow();
      const object = await store.get(key);
      expect(object!.size).toBe(40_000);
      expectSameBytes(await readAll(object!.body), first);
    });

    it('deletes an object, and deleting a missing one is not an error', async () => {
      const job = freshKey().split('/')[0]!;
      await store.put(`${job}/0`, streamOf(patternBytes(1_000)), { contentType: 'video/mp4' });
      await store.put(`${job}/1`, streamOf(patternBytes(1_000)), { contentType: 'video/mp4' });
      await store.delete(`${job}/0`);
      expect(await store.get(`${job}/0`)).toBeUndefined();
      expect(await store.get(`${job}/1`)).toBeDefined();
      await store.delete(`${job}/0`);
      await store.delete(freshKey());
    });

    it('writes several objects at once without mixing them up', async () => {
      const keys = [freshKey(), freshKey(), freshKey(), freshKey()];
      const bodies = keys.map((_, i) => patternBytes(90_000 + i * 1_000, 20 + i));
      await Promise.all(keys.map((key, i) => store.put(key, streamOf(bodies[i]!, 8_192), { contentType: 'video/mp4' })));
      for (const [i, key] of keys.entries()) expectSameBytes(await readAll((await store.get(key))!.body), bodies[i]!);
    });

    it('streams a large object of unknown length in and out', { timeout: 120_000 }, async () => {
      const key = freshKey();
      const size = options.largeBytes ?? 12 * 1024 * 1024 + 12_345;
      const bytes = patternBytes(size, 99);
      expect(await store.put(key, streamOf(bytes, 256 * 1024), { contentType: 'video/mp4' })).toEqual({ bytes: size });
      const whole = await store.get(key);
      expect(whole!.size).toBe(size);
      expectSameBytes(await readAll(whole!.body), bytes);
      const tail = await store.get(key, { offset: size - 1_000_000, length: 1_000_000 });
      expectSameBytes(await readAll(tail!.body), bytes.subarray(size - 1_000_000));
    });
  });
}
