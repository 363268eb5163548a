/**
 * The output store conformance suite (test/outputs/output-store-cases.ts) on R2, inside workerd,
 * against wrangler.toml's `VIDEOS` bucket (miniflare simulates it locally). Keys are unique per
 * case, so every `open()` uses the bucket as it is. Then what only R2 does: the two write paths
 * (a declared length streams into one `put`, an unknown one goes in parts), held to the declared
 * length, and aborting a multipart upload that fails; and the Workers SHA-256.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { BodyLengthError } from '../../src/outputs/exact-length.ts';
import { isR2Bucket, type R2BucketLike, type R2MultipartUploadLike } from '../../src/worker/bindings.ts';
import { R2_PART_BYTES, r2OutputStore } from '../../src/worker/r2-output-store.ts';
import { workersSha256 } from '../../src/worker/sha256.ts';
import { failingStream, freshKey, outputStoreCases, patternBytes, readAll, streamOf } from '../outputs/output-store-cases.ts';
import { sha256Cases } from '../outputs/sha256-cases.ts';

function videos(): R2BucketLike {
  if (!isR2Bucket(env.VIDEOS)) throw new Error('wrangler.toml must bind the VIDEOS bucket');
  return env.VIDEOS;
}

outputStoreCases('r2', async () => ({ store: r2OutputStore(videos()), close: async () => {} }));

sha256Cases('workers crypto.DigestStream', workersSha256);

/** The bound bucket, recording the store's calls; `uploadIds` are the multipart uploads it started. */
function recordingBucket() {
  const bucket = videos();
  const calls: string[] = [];
  const uploadIds: string[] = [];
  const recording: R2BucketLike = {
    get: (key, options) => bucket.get(key, options),
    delete: (key) => bucket.delete(key),
    put(key, value, options) {
      calls.push('put');
      return bucket.put(key, value, options);
    },
    async createMultipartUpload(key, options) {
      calls.push('create');
      const upload = (await bucket.createMultipartUpload(key, options)) as R2MultipartUploadLike & { uploadId: string };
      uploadIds.push(upload.uploadId);
      return {
        uploadPart(partNumber, value) {
          calls.push(`part ${partNumber}: ${value.byteLength}`);
          return upload.uploadPart(partNumber, value);
        },
        complete(parts) {
          calls.push('complete');
          return upload.complete(parts);
        },
        abort() {
          calls.push('abort');
          return upload.abort();
        },
      };
    },
  };
  return { bucket: recording, calls, uploadIds };
}

/** A stream of `bytes` in `chunkSize` chunks that fails once they are sent; `cancelled` once cancelled. */
function streamThenFail(bytes: Uint8Array, chunkSize: number) {
  const state = { cancelled: false };
  const inner = streamOf(bytes, chunkSize).getReader();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await inner.read();
      if (done) controller.error(new Error('connection reset by the provider'));
      else controller.enqueue(value);
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

const MiB = 1024 * 1024;

describe('r2 output store', () => {
  it('is the VIDEOS binding, which the guard tells from other bindings', () => {
    expect(isR2Bucket(env.VIDEOS)).toBe(true);
    for (const other of [env.TEST_KV, env.JOBS, env.GATEWAY_API_KEYS, undefined, null, {}]) expect(isR2Bucket(other)).toBe(false);
    expect(r2OutputStore(videos()).description).toBe('r2 bucket VIDEOS');
  });

  it('streams a body of declared length into one put, however long', { timeout: 60_000 }, async () => {
    const { bucket, calls } = recordingBucket();
    const store = r2OutputStore(bucket);
    const key = freshKey();
    const bytes = patternBytes(9 * MiB + 3, 8);
    expect(await store.put(key, streamOf(bytes, 100_000), { contentType: 'video/mp4', bytes: bytes.byteLength })).toEqual({ bytes: bytes.byteLength });
    expect(calls).toEqual(['put']);
    const object = await store.get(key);
    expect(object!.size).toBe(bytes.byteLength);
    expect(await readAll(object!.body)).toEqual(bytes);
  });

  it('refuses a body longer or shorter than its declared length, and leaves nothing', async () => {
    const store = r2OutputStore(videos());
    const bytes = patternBytes(100_000, 4);
    const attempts = [
      { body: streamOf(bytes, 10_000), declared: 99_999, message: 'longer' }, // the extra byte arrives with the last chunk
      { body: streamOf(bytes, 50_000), declared: 50_000, message: 'longer' }, // exactly the declared bytes, then more
      { body: streamOf(bytes, 10_000), declared: 100_001, message: 'ended after 100000' },
      { body: streamOf(new Uint8Array(0)), declared: 1, message: 'ended after 0' },
    ];
    for (const { body, declared, message } of attempts) {
      const key = freshKey();
      const failure = await store.put(key, body, { contentType: 'video/mp4', bytes: declared }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(BodyLengthError);
      expect((failure as Error).message).toContain(message);
      expect(await store.get(key)).toBeUndefined();
    }
  });

  it('keeps the previous object when a replacing write of declared length fails or is the wrong length', async () => {
    const store = r2OutputStore(videos());
    const key = freshKey();
    const first = patternBytes(40_000, 5);
    await store.put(key, streamOf(first), { contentType: 'video/mp4', bytes: first.byteLength });
    await expect(store.put(key, failingStream(patternBytes(70_000, 6)), { contentType: 'video/webm', bytes: 140_000 })).rejects.toThrow('connection reset');
    await expect(store.put(key, streamOf(patternBytes(70_000, 6)), { contentType: 'video/webm', bytes: 69_999 })).rejects.toThrow(BodyLengthError);
    const object = await store.get(key);
    expect(object!.contentType).toBe('video/mp4');
    expect(await readAll(object!.body)).toEqual(first);
  });

  it('uploads a declared length beyond the single-put limit in parts, held to that length', { timeout: 60_000 }, async () => {
    const { bucket, calls } = recordingBucket();
    const store = r2OutputStore(bucket, { singlePutMaxBytes: 1 * MiB });
    const key = freshKey();
    const bytes = patternBytes(R2_PART_BYTES + 7, 16);
    expect(await store.put(key, streamOf(bytes, 1 * MiB), { contentType: 'video/mp4', bytes: bytes.byteLength })).toEqual({ bytes: bytes.byteLength });
    expect(calls).toEqual(['create', `part 1: ${R2_PART_BYTES}`, 'part 2: 7', 'complete']);
    expect(await readAll((await store.get(key))!.body)).toEqual(bytes);

    calls.length = 0;
    const short = freshKey();
    await expect(store.put(short, streamOf(bytes, 1 * MiB), { contentType: 'video/mp4', bytes: bytes.byteLength + 1 })).rejects.toThrow(BodyLengthError);
    expect(calls).toEqual(['create', `part 1: ${R2_PART_BYTES}`, 'abort']);
    expect(await store.get(short)).toBeUndefined();
  });

  it('stops reading the body when R2 refuses a write of declared length', async () => {
    const { stream, state } = streamThenFail(patternBytes(1 * MiB), 16_384);
    const refusing: R2BucketLike = {
      ...recordingBucket().bucket,
      async put(_key, value) {
        // Reads a little, then fails without cancelling the stream, as a dropped connection to R2 would.
        await (value as ReadableStream<Uint8Array>).getReader().read();
        throw new Error('R2 is unavailable');
      },
    };
    await expect(r2OutputStore(refusing).put(freshKey(), stream, { contentType: 'video/mp4', bytes: 1 * MiB })).rejects.toThrow('R2 is unavailable');
    expect(state.cancelled).toBe(true);
  });

  it('writes a body of unknown length shorter than a part as a single put', async () => {
    const { bucket, calls } = recordingBucket();
    const store = r2OutputStore(bucket);
    const key = freshKey();
    const bytes = patternBytes(R2_PART_BYTES - 1, 9);
    expect(await store.put(key, streamOf(bytes, 1 * MiB), { contentType: 'video/mp4' })).toEqual({ bytes: R2_PART_BYTES - 1 });
    expect(calls).toEqual(['put']);
    expect((await store.get(key))!.size).toBe(R2_PART_BYTES - 1);
    const empty = freshKey();
    expect(await store.put(empty, streamOf(new Uint8Array(0)), { contentType: 'video/mp4' })).toEqual({ bytes: 0 });
    const object = await store.get(empty);
    expect(object!.size).toBe(0);
    expect(await readAll(object!.body)).toHaveLength(0);
  });

  it('uploads a longer body of unknown length in equal parts and a shorter last one', { timeout: 60_000 }, async () => {
    const { bucket, calls } = recordingBucket();
    const store = r2OutputStore(bucket);
    const exact = freshKey();
    const bytes = patternBytes(R2_PART_BYTES, 12);
    expect(await store.put(exact, streamOf(bytes, 1 * MiB), { contentType: 'video/mp4' })).toEqual({ bytes: R2_PART_BYTES });
    expect(calls).toEqual(['create', `part 1: ${R2_PART_BYTES}`, 'complete']);
    expect(await readAll((await store.get(exact))!.body)).toEqual(bytes);

    calls.length = 0;
    const longer = freshKey();
    const size = 2 * R2_PART_BYTES + 5;
    const longerBytes = patternBytes(size, 13);
    expect(await store.put(longer, streamOf(longerBytes, 3 * MiB), { contentType: 'video/webm' })).toEqual({ bytes: size });
    expect(calls).toEqual(['create', `part 1: ${R2_PART_BYTES}`, `part 2: ${R2_PART_BYTES}`, 'part 3: 5', 'complete']);
    const object = await store.get(longer, { offset: R2_PART_BYTES - 10, length: 20 });
    expect(object!.size).toBe(size);
    expect(object!.contentType).toBe('video/webm');
    expect(await readAll(object!.body)).toEqual(longerBytes.subarray(R2_PART_BYTES - 10, R2_PART_BYTES + 10));
  });

  it('aborts the multipart upload when the body fails after a part went up, leaving nothing', { timeout: 60_000 }, async () => {
    const { bucket, calls, uploadIds } = recordingBucket();
    const store = r2OutputStore(bucket);
    const key = freshKey();
    const { stream } = streamThenFail(patternBytes(R2_PART_BYTES + 1 * MiB, 14), 1 * MiB);
    await expect(store.put(key, stream, { contentType: 'video/mp4' })).rejects.toThrow('connection reset');
    expect(calls).toEqual(['create', `part 1: ${R2_PART_BYTES}`, 'abort']);
    expect(await store.get(key)).toBeUndefined();
    // The aborted upload is gone: its parts cannot be completed into an object any more.
    const resumed = (env.VIDEOS as { resumeMultipartUpload(key: string, uploadId: string): R2MultipartUploadLike }).resumeMultipartUpload(key, uploadIds[0]!);
    await expect(resumed.uploadPart(2, new Uint8Array(10))).rejects.toThrow();
    expect(await store.get(key)).toBeUndefined();
  });

  it('aborts the multipart upload and cancels the body when R2 refuses a part', { timeout: 60_000 }, async () => {
    const recording = recordingBucket();
    let aborted = false;
    const refusing: R2BucketLike = {
      ...recording.bucket,
      async createMultipartUpload(key, options) {
        const upload = await recording.bucket.createMultipartUpload(key, options);
        return {
          uploadPart: async (partNumber, value) => {
            if (partNumber === 2) throw new Error('R2 is unavailable');
            return upload.uploadPart(partNumber, value);
          },
          complete: (parts) => upload.complete(parts),
          abort: () => {
            aborted = true;
            return upload.abort();
          },
        };
      },
    };
    const { stream, state } = streamThenFail(patternBytes(3 * R2_PART_BYTES, 15), 1 * MiB);
    const key = freshKey();
    await expect(r2OutputStore(refusing).put(key, stream, { contentType: 'video/mp4' })).rejects.toThrow('R2 is unavailable');
    expect(aborted).toBe(true);
    expect(state.cancelled).toBe(true);
    expect(await videos().get(key)).toBeNull();
  });
});
