/**
 * The output store on Workers: the gateway's copies of finished videos in an R2 bucket (wrangler.toml
 * binds it as `VIDEOS`). One object per key, its content type in the object's HTTP metadata.
 *
 * R2 takes a stream only when its length is known up front, and either way a write is all or
 * nothing (readers keep seeing the previous object until it completes):
 * - declared length (`PutOptions.bytes`): the body streams through a `FixedLengthStream` into one
 *   `put`, held to exactly that length (only the latest chunk is held back, see exactLength);
 *   beyond R2's single-put limit it goes in parts as below, held to its length the same way;
 * - unknown length: the body is cut into `R2_PART_BYTES` parts, buffered one at a time. A body
 *   shorter than one part goes as a single `put` of its bytes; a longer one as a multipart upload,
 *   aborted on any failure so no parts are left behind.
 */
import { exactLength } from '../outputs/exact-length.ts';
import type { ByteRange, OutputStore, PutOptions, StoredObject } from '../outputs/output-store.ts';
import { fixedSizeParts } from '../outputs/parts.ts';
import type { R2BucketLike } from './bindings.ts';

/**
 * The size of each part but the last in a multipart upload. R2 wants them all equal and at least
 * 5 MiB; at 8 MiB its 10,000-part limit allows objects of up to 78 GiB.
 */
export const R2_PART_BYTES = 8 * 1024 * 1024;

/** The largest object R2 takes in a single `put` (5 GiB less 5 MiB); longer declared bodies go in parts. */
export const R2_SINGLE_PUT_MAX_BYTES = 5 * 1024 * 1024 * 1024 - 5 * 1024 * 1024;

export interface R2OutputStoreOptions {
  /** The binding's name, for the startup banner. */
  bindingName?: string;
  /** Declared lengths above this go as a multipart upload; R2's limit unless a test lowers it. */
  singlePutMaxBytes?: number;
}

export function r2OutputStore(bucket: R2BucketLike, options: R2OutputStoreOptions = {}): OutputStore {
  const description = `r2 bucket ${options.bindingName ?? 'VIDEOS'}`;
  const singlePutMaxBytes = options.singlePutMaxBytes ?? R2_SINGLE_PUT_MAX_BYTES;

  async function putOfLength(key: string, body: ReadableStream<Uint8Array>, bytes: number, contentType: string): Promise<{ bytes: number }> {
    const fixed = new FixedLengthStream(bytes);
    const putting = bucket.put(key, fixed.readable, { httpMetadata: { contentType } });
    // Settles only if R2 refuses the write: every wait below gives up then, as R2 may stop reading
    // without releasing the stream (a pipe would wait on the stalled write forever).
    const refused = putting.then(() => new Promise<never>(() => {}));
    const reader = body.pipeThrough(exactLength(bytes)).getReader();
    const writer = fixed.writable.getWriter();
    try {
      for (;;) {
        const { done, value } = await Promise.race([reader.read(), refused]);
        if (done) break;
        await Promise.race([writer.write(value), refused]);
      }
      await Promise.race([writer.close(), refused]);
    } catch (error) {
      // The body failed, had the wrong length (R2 has then not had all the bytes it was promised,
      // so it cannot complete the object), or R2 refused: stop both sides.
      reader.cancel(error).catch(() => {});
      writer.abort(error).catch(() => {});
      putting.catch(() => {});
      throw error;
    }
    await putting;
    return { bytes };
  }

  async function putInParts(key: string, body: ReadableStream<Uint8Array>, contentType: string): Promise<{ bytes: number }> {
    const parts = fixedSizeParts(body, R2_PART_BYTES);
    try {
      const first = await parts.next();
      if (first.done || first.value.byteLength < R2_PART_BYTES) {
        // The whole body fitted in less than one part.
        const bytes = first.done ? new Uint8Array(0) : first.value;
        await bucket.put(key, bytes, { httpMetadata: { contentType } });
        return { bytes: bytes.byteLength };
      }
      const upload = await bucket.createMultipartUpload(key, { httpMetadata: { contentType } });
      try {
        const uploaded = [];
        let bytes = 0;
        for (let part: IteratorResult<Uint8Array, void> = first; !part.done; part = await parts.next()) {
          uploaded.push(await upload.uploadPart(uploaded.length + 1, part.value));
          bytes += part.value.byteLength;
        }
        await upload.complete(uploaded);
        return { bytes };
      } catch (error) {
        await upload.abort().catch(() => {});
        throw error;
      }
    } finally {
      // Cancels the body if a failure left it unread.
      await parts.return(undefined);
    }
  }

  return {
    description,

    async put(key: string, body: ReadableStream<Uint8Array>, options: PutOptions) {
      const { bytes, contentType } = options;
      if (bytes === undefined) return putInParts(key, body, contentType);
      if (bytes <= singlePutMaxBytes) return putOfLength(key, body, bytes, contentType);
      return putInParts(key, body.pipeThrough(exactLength(bytes)), contentType);
    },

    async get(key: string, range?: ByteRange): Promise<StoredObject | undefined> {
      const object = await bucket.get(key, range ? { range: { offset: range.offset, length: range.length } } : undefined);
      if (!object) return undefined;
      return { body: object.body, size: object.size, contentType: object.httpMetadata?.contentType ?? 'application/octet-stream' };
    },

    async delete(key: string) {
      await bucket.delete(key);
    },

    async close() {},
  };
}
