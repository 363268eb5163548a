/**
 * The slice of the Workers runtime the gateway uses, typed locally and structurally: the project
 * type-checks against Node's types, and pulling `@cloudflare/workers-types` into the same program
 * would clash with them. These shapes match the real platform objects, which satisfy them.
 */

/** A KV namespace binding (only the calls the job cache makes). */
export interface KvNamespaceLike {
  get(key: string, type: 'json'): Promise<unknown>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
}

/** A Cache API cache (`caches.default` or `await caches.open(name)`). */
export interface CacheLike {
  match(request: Request | string): Promise<Response | undefined>;
  put(request: Request | string, response: Response): Promise<void>;
}

/** Workers' `caches` global: the zone's `default` cache plus named ones. */
export interface CacheStorageLike {
  readonly default: CacheLike;
  open(name: string): Promise<CacheLike>;
}

/** A fetcher binding, such as the static-assets binding `ASSETS`. */
export interface FetcherLike {
  fetch(request: Request): Promise<Response>;
}

/** A Durable Object's id: opaque here (the store names objects, it never reads ids). */
export interface DurableObjectIdLike {
  toString(): string;
}

/**
 * A Durable Object namespace binding (`[[durable_objects.bindings]]`). `Stub` is what `get` hands
 * back: the object's RPC methods, each returning a promise.
 */
export interface DurableObjectNamespaceLike<Stub> {
  idFromName(name: string): DurableObjectIdLike;
  get(id: DurableObjectIdLike): Stub;
}

/** An R2 object's HTTP metadata (only the content type is written or read). */
export interface R2HttpMetadataLike {
  contentType?: string;
}

/** An R2 object's metadata, as `put` and `complete` hand it back. */
export interface R2ObjectLike {
  /** The whole object's size, also when a range of it was read. */
  readonly size: number;
  readonly httpMetadata?: R2HttpMetadataLike;
}

/** An R2 object read with `get`: its metadata and its bytes (or the requested range of them). */
export interface R2ObjectBodyLike extends R2ObjectLike {
  readonly body: ReadableStream<Uint8Array>;
}

/** What `uploadPart` hands back, and `complete` takes, for each part. */
export interface R2UploadedPartLike {
  partNumber: number;
  etag: string;
}

/**
 * A multipart upload in progress. Parts are numbered from 1; all but the last must be the same
 * size, at least 5 MiB. Nothing is visible under the key until `complete`; `abort` discards the parts.
 */
export interface R2MultipartUploadLike {
  uploadPart(partNumber: number, value: ArrayBufferView): Promise<R2UploadedPartLike>;
  complete(uploadedParts: R2UploadedPartLike[]): Promise<R2ObjectLike>;
  abort(): Promise<void>;
}

/**
 * An R2 bucket binding (`[[r2_buckets]]`; only the calls the output store makes). `put` takes a
 * stream only when its length is known up front (the readable half of a `FixedLengthStream`, or a
 * request or response body with `Content-Length`).
 */
export interface R2BucketLike {
  get(key: string, options?: { range?: { offset: number; length: number } }): Promise<R2ObjectBodyLike | null>;
  put(key: string, value: ReadableStream<Uint8Array> | ArrayBufferView, options?: { httpMetadata?: R2HttpMetadataLike }): Promise<R2ObjectLike | null>;
  createMultipartUpload(key: string, options?: { httpMetadata?: R2HttpMetadataLike }): Promise<R2MultipartUploadLike>;
  delete(key: string): Promise<void>;
}

/**
 * Workers' `crypto.DigestStream`: a writable that hashes what is written to it, resolving `digest`
 * once it is closed. Not on Node's `crypto`, hence typed here rather than on the global.
 */
export interface DigestStreamLike extends WritableStream<ArrayBuffer | ArrayBufferView> {
  readonly digest: Promise<ArrayBuffer>;
}

/** Workers' `crypto` (the part of it Node's lacks). */
export interface WorkersCryptoLike {
  DigestStream: new (algorithm: string) => DigestStreamLike;
}

/** A value SQLite hands back or takes as a binding in a Durable Object. */
export type SqlValue = string | number | null | ArrayBuffer;

/** The result of `sql.exec`: rows as objects keyed by column name. */
export interface SqlCursorLike<Row> {
  toArray(): Row[];
}

/** A SQLite-backed Durable Object's `ctx.storage.sql`: synchronous, so a read and a write in one turn are atomic. */
export interface SqlStorageLike {
  exec<Row extends Record<string, SqlValue> = Record<string, SqlValue>>(query: string, ...bindings: SqlValue[]): SqlCursorLike<Row>;
}

/** The parts of `ctx.storage` the job store uses: SQL, one alarm, and wiping the object. */
export interface DurableObjectStorageLike {
  readonly sql: SqlStorageLike;
  /** Runs `closure` as one SQLite transaction: all of its writes or none. */
  transactionSync<T>(closure: () => T): T;
  getAlarm(): Promise<number | null>;
  setAlarm(scheduledTime: number): Promise<void>;
  deleteAlarm(): Promise<void>;
  deleteAll(): Promise<void>;
}

/** A Durable Object's `ctx` (only what the job store reads). */
export interface DurableObjectStateLike {
  readonly storage: DurableObjectStorageLike;
}

/** What the platform passes to `alarm()`; the test helpers pass nothing. */
export interface AlarmInvocationInfoLike {
  readonly retryCount: number;
  readonly isRetry: boolean;
}

/**
 * What a deployment binds: `[vars]` (strings, or objects for TOML tables such as `VIDGATE_CONFIG`),
 * secrets, the optional `JOB_CACHE` KV namespace, `ASSETS` (wrangler.toml `[assets]`, the
 * reference page's script), and the job store's Durable Object namespaces (`JOBS`, `JOB_OWNERS`; see
 * src/worker/durable-object-job-store.ts). Nothing is required beyond what `loadConfig` asks for.
 */
export type WorkerBindings = Record<string, unknown> & { JOB_CACHE?: KvNamespaceLike; ASSETS?: FetcherLike };

/** Workers' `caches`, or `undefined` where the runtime has none (or only the browser-style one). */
export function platformCaches(scope: object = globalThis): CacheStorageLike | undefined {
  const caches = (scope as { caches?: Partial<CacheStorageLike> }).caches;
  return caches?.default && typeof caches.open === 'function' ? (caches as CacheStorageLike) : undefined;
}

/** The KV binding, if one is bound under `JOB_CACHE` and looks like KV (a stray `[vars]` string does not). */
export function jobCacheNamespace(env: WorkerBindings): KvNamespaceLike | undefined {
  const binding = env.JOB_CACHE as Partial<KvNamespaceLike> | undefined;
  return typeof binding?.get === 'function' && typeof binding.put === 'function' ? (binding as KvNamespaceLike) : undefined;
}

/** The static-assets binding, if one is bound under `ASSETS` and can fetch. */
export function assetsFetcher(env: WorkerBindings): FetcherLike | undefined {
  const binding = env.ASSETS as Partial<FetcherLike> | undefined;
  return typeof binding?.fetch === 'function' ? (binding as FetcherLike) : undefined;
}

/** Whether `binding` looks like a Durable Object namespace (a stray `[vars]` string does not). */
export function isDurableObjectNamespace(binding: unknown): binding is DurableObjectNamespaceLike<unknown> {
  const namespace = binding as Partial<DurableObjectNamespaceLike<unknown>> | undefined;
  return typeof namespace?.idFromName === 'function' && typeof namespace.get === 'function';
}

/**
 * Whether `binding` looks like an R2 bucket (a stray `[vars]` string, a KV namespace or a Durable
 * Object namespace does not: none of them starts multipart uploads).
 */
export function isR2Bucket(binding: unknown): binding is R2BucketLike {
  const bucket = binding as Partial<R2BucketLike> | undefined;
  return (
    typeof bucket?.get === 'function' &&
    typeof bucket.put === 'function' &&
    typeof bucket.delete === 'function' &&
    typeof bucket.createMultipartUpload === 'function'
  );
}
