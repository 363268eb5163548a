import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixedSizeParts } from '../../../src/outputs/parts.ts';
import { patternBytes, readAll } from '../../outputs/output-store-cases.ts';

/** A stream of `bytes` cut at the given chunk sizes (cycled), counting what was pulled and whether it was cancelled. */
function chunked(bytes: Uint8Array, sizes: number[]) {
  const seen = { pulled: 0, cancelled: false };
  let at = 0;
  let i = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (at >= bytes.byteLength) return controller.close();
        const size = sizes[i++ % sizes.length]!;
        const chunk = bytes.slice(at, at + size);
        at += size;
        seen.pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, seen };
}

async function collect(parts: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const all: Uint8Array[] = [];
  for await (const part of parts) all.push(part);
  return all;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.byteLength;
  }
  return all;
}

describe('fixedSizeParts', () => {
  it('cuts any body, in any chunking, into full parts and one shorter last part', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 1, max: 1_200 }),
        fc.array(fc.integer({ min: 0, max: 3_000 }), { minLength: 1, maxLength: 8 }).filter((sizes) => sizes.some((size) => size > 0)),
        async (length, partBytes, sizes) => {
          const bytes = patternBytes(length, length + partBytes);
          const parts = await collect(fixedSizeParts(chunked(bytes, sizes).stream, partBytes));
          expect(concat(parts)).toEqual(bytes);
          expect(parts.length).toBe(Math.ceil(length / partBytes));
          for (const part of parts.slice(0, -1)) expect(part.byteLength).toBe(partBytes);
          if (parts.length > 0) expect(parts.at(-1)!.byteLength).toBe(length - (parts.length - 1) * partBytes);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('yields nothing for an empty body, and ends on a full part when the body is a whole number of them', async () => {
    expect(await collect(fixedSizeParts(chunked(new Uint8Array(0), [10]).stream, 100))).toEqual([]);
    const parts = await collect(fixedSizeParts(chunked(patternBytes(300), [7]).stream, 100));
    expect(parts.map((part) => part.byteLength)).toEqual([100, 100, 100]);
  });

  it('hands out parts that do not share memory with each other or the chunks', async () => {
    const parts = await collect(fixedSizeParts(chunked(patternBytes(250), [250]).stream, 100));
    parts[0]!.fill(0);
    expect(concat(parts.slice(1))).toEqual(patternBytes(250).subarray(100));
    expect(new Set(parts.map((part) => part.buffer)).size).toBe(3);
  });

  it('reads the body only as far as the part asked for', async () => {
    const { stream, seen } = chunked(patternBytes(10_000), [30]);
    const parts = fixedSizeParts(stream, 1_000);
    const first = await parts.next();
    expect(first.value).toHaveLength(1_000);
    expect(seen.pulled).toBeLessThan(1_000 + 30);
    await parts.return(undefined);
    expect(seen.cancelled).toBe(true);
  });

  it('throws the body’s error, after the parts completed before it', async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 250) return controller.error(new Error('connection reset'));
        sent += 50;
        controller.enqueue(patternBytes(50));
      },
    });
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const part of fixedSizeParts(body, 100)) got.push(part.byteLength);
      })(),
    ).rejects.toThrow('connection reset');
    expect(got).toEqual([100, 100]);
  });

  it('refuses a part size that is not a positive integer', async () => {
    await expect(fixedSizeParts(chunked(patternBytes(10), [10]).stream, 0).next()).rejects.toThrow(RangeError);
  });

  it('leaves the stream readable by nobody else while cutting, and released after', async () => {
    const { stream } = chunked(patternBytes(120), [40]);
    await collect(fixedSizeParts(stream, 100));
    expect(stream.locked).toBe(false);
    expect(await readAll(stream)).toHaveLength(0);
  });
});
