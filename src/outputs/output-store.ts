/**
 * The output store port: where the gateway keeps its own copy of every finished video, because
 * provider result URLs expire. Core talks only to this interface; the runtimes bring
 * implementations (a directory under `VIDGATE_DATA_DIR` or S3-compatible storage on Node, R2 on
 * Workers), and every implementation passes the one conformance suite in test/outputs/.
 *
 * Objects are written once per key from a stream and read back whole or by byte range. A write
 * is all or nothing: until `put` resolves, readers see the previous object under the key (or
 * none), and a write whose body fails leaves no partial object behind.
 */

/** What a write is told about the object. */
export interface PutOptions {
  contentType: string;
  /**
   * The exact length, when known up front (the provider sent `Content-Length`): stores that need
   * it for a single streaming write use it; the body must then carry exactly this many bytes.
   */
  bytes?: number;
}

/** A byte range to read: `length` bytes from `offset` (both within the object). */
export interface ByteRange {
  offset: number;
  length: number;
}

export interface StoredObject {
  /** The object's bytes, or the requested range of them. */
  body: ReadableStream<Uint8Array>;
  /** The whole object's size in bytes (not the range's). */
  size: number;
  contentType: string;
}

export interface OutputStore {
  /** One line for the startup banner: where copies go (`directory /var/lib/vidgate/outputs`, `s3://bucket/prefix`). */
  readonly description: string;

  /** Streams `body` into the object at `key`, replacing any object there; resolves with the bytes written. */
  put(key: string, body: ReadableStream<Uint8Array>, options: PutOptions): Promise<{ bytes: number }>;

  /** The object (or a range of it); `undefined` when there is none. The range must lie within the object. */
  get(key: string, range?: ByteRange): Promise<StoredObject | undefined>;

  /** Removes the object; removing a missing object is not an error. */
  delete(key: string): Promise<void>;

  close(): Promise<void>;
}

/** The key of a job's `index`-th video: one folder (prefix) per job, so a job's copies sit together. */
export function outputKey(jobId: string, index: number): string {
  return `${jobId}/${index}`;
}
