import { describe, expect, it } from 'vitest';
import { BodyLengthError, exactLength } from '../../../src/outputs/exact-length.ts';
import { patternBytes, readAll, streamOf } from '../../outputs/output-store-cases.ts';

describe('exactLength', () => {
  it('passes a body of the declared length through unchanged', async () => {
    const bytes = patternBytes(10_000);
    expect(await readAll(streamOf(bytes, 999).pipeThrough(exactLength(10_000)))).toEqual(bytes);
    expect(await readAll(streamOf(new Uint8Array(0)).pipeThrough(exactLength(0)))).toHaveLength(0);
  });

  it('fails a shorter body before its last chunk goes through', async () => {
    const reader = streamOf(patternBytes(3_000), 1_000).pipeThrough(exactLength(3_001)).getReader();
    const through: number[] = [];
    const failure = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        through.push(value.byteLength);
      }
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BodyLengthError);
    expect((failure as Error).message).toBe('the body ended after 3000 of its declared 3001 bytes');
    expect(through).toEqual([1_000, 1_000]);
  });

  it('fails a longer body without ever passing on the declared length', async () => {
    // The overflow comes in a chunk of its own, after exactly the declared bytes.
    const reader = streamOf(patternBytes(3_001), 1_000).pipeThrough(exactLength(3_000)).getReader();
    let through = 0;
    const failure = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        through += value.byteLength;
      }
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BodyLengthError);
    expect((failure as Error).message).toBe('the body is longer than its declared 3000 bytes');
    expect(through).toBeLessThan(3_000);
  });

  it('refuses a declared length that is not a non-negative integer', () => {
    expect(() => exactLength(-1)).toThrow(RangeError);
    expect(() => exactLength(1.5)).toThrow(RangeError);
  });
});
