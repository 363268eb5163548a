/**
 * The output store on S3-compatible storage (AWS S3, Ceph, MinIO, R2's S3 API, …), chosen with
 * `OUTPUT_STORE=s3://bucket/prefix`. One object per key, under the prefix, its content type stored
 * on the object. Requests are signed with SigV4 by aws4fetch over plain fetch: the AWS SDK would
 * bring megabytes of code for the five calls used here.
 *
 * Why writes go the way they do:
 * - A write never holds the whole body: it is cut into `S3_PART_BYTES` parts, buffered one at a
 *   time. A body shorter than one part goes as a single PutObject of its bytes; a longer one as a
 *   multipart upload (CreateMultipartUpload, UploadPart per part, CompleteMultipartUpload).
 * - S3 shows an object only once its PutObject or CompleteMultipartUpload succeeds, so a write is
 *   all or nothing. A multipart upload whose body or any request fails is aborted
 *   (AbortMultipartUpload), so no parts are left behind to be billed.
 * - Every buffered body is sent with its SHA-256 in `X-Amz-Content-Sha256`, which the signature
 *   covers: the server refuses a part that was damaged on the way.
 * - A declared length (`PutOptions.bytes`) is held to: a body that turns out longer or shorter
 *   fails before its last part is sent, so no truncated copy completes.
 *
 * Errors name the operation, the object and the S3 error code (`S3 UploadPart of bucket/key failed:
 * SignatureDoesNotMatch (HTTP 403)`), never a key, a signature or the server's message.
 */
import { createHash } from 'node:crypto';
import { AwsV4Signer } from 'aws4fetch';
import { ConfigError } from '../config-error.ts';
import { exactLength } from '../outputs/exact-length.ts';
import type { ByteRange, OutputStore, PutOptions, StoredObject } from '../outputs/output-store.ts';
import { fixedSizeParts } from '../outputs/parts.ts';

/**
 * The size of each part but the last of a multipart upload. S3 wants at least 5 MiB (but for the
 * last) and at most 10,000 parts: at 8 MiB, objects of up to 78 GiB.
 */
export const S3_PART_BYTES = 8 * 1024 * 1024;

/** How long a request may take to answer with its status (its response body may stream for longer). */
const ANSWER_TIMEOUT_MS = 120_000;

/** Where the store keeps objects and how it signs: what `s3SettingsFrom` reads from the environment. */
export interface S3Settings {
  bucket: string;
  /** The folder of the bucket objects go under, without leading or trailing slash; '' for the bucket's root. */
  prefix: string;
  /** The S3 API's base URL, without trailing slash (`https://s3.us-east-1.amazonaws.com`, `http://127.0.0.1:9000`). */
  endpoint: string;
  region: string;
  /** `endpoint/bucket/key` (path-style) rather than `bucket.endpoint/key` (virtual-hosted). */
  pathStyle: boolean;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3OutputStoreOptions extends S3Settings {
  /** The fetch to send requests with; the global one by default. */
  fetch?: typeof fetch;
}

type Env = Record<string, string | undefined>;

/**
 * The settings of `OUTPUT_STORE=s3://bucket/prefix` and the environment: `S3_ENDPOINT` (else
 * `AWS_ENDPOINT_URL_S3`, else `AWS_ENDPOINT_URL`; AWS's regional endpoint without one),
 * `AWS_REGION` (else `AWS_DEFAULT_REGION`, else us-east-1), `AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`. Path-style addressing when an endpoint is given
 * (what S3-compatible servers expect), virtual-hosted on AWS; `S3_FORCE_PATH_STYLE=true|false`
 * decides otherwise. Throws a `ConfigError` listing every missing or invalid variable.
 */
export function s3SettingsFrom(url: string, env: Env): S3Settings {
  const problems: string[] = [];
  const location = bucketAndPrefix(url, problems);
  const region = setting(env, 'AWS_REGION') ?? setting(env, 'AWS_DEFAULT_REGION') ?? 'us-east-1';
  const endpoint = endpointFrom(env, region, problems);
  const pathStyle = booleanSetting(env, 'S3_FORCE_PATH_STYLE', problems) ?? endpoint.given;
  const accessKeyId = setting(env, 'AWS_ACCESS_KEY_ID');
  const secretAccessKey = setting(env, 'AWS_SECRET_ACCESS_KEY');
  // No instance roles or profile files: the keys come from the environment, or nothing is signed.
  if (!accessKeyId) problems.push('AWS_ACCESS_KEY_ID: required with an s3:// OUTPUT_STORE (the access key to sign requests with)');
  if (!secretAccessKey) problems.push('AWS_SECRET_ACCESS_KEY: required with an s3:// OUTPUT_STORE (the secret key to sign requests with)');
  if (problems.length > 0 || !location || !accessKeyId || !secretAccessKey) {
    throw new ConfigError(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
  const sessionToken = setting(env, 'AWS_SESSION_TOKEN');
  return { ...location, endpoint: endpoint.url, region, pathStyle, accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/** A variable's value, an empty one counting as unset (as `VAR=` in a compose file gives). */
function setting(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function booleanSetting(env: Env, name: string, problems: string[]): boolean | undefined {
  const value = setting(env, name)?.toLowerCase();
  if (value === undefined) return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  problems.push(`${name}: expected true or false, not ${JSON.stringify(value)}`);
  return undefined;
}

/** S3's bucket names, loosely (some S3-compatible servers allow underscores and capitals): nothing that would break a URL. */
const BUCKET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]$/;

function bucketAndPrefix(url: string, problems: string[]): { bucket: string; prefix: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    problems.push('OUTPUT_STORE: expected s3://bucket or s3://bucket/prefix');
    return undefined;
  }
  const bucket = parsed.hostname;
  if (parsed.protocol !== 's3:' || parsed.username || parsed.password || parsed.port || parsed.search || parsed.hash) {
    problems.push('OUTPUT_STORE: expected s3://bucket or s3://bucket/prefix (keys go in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, the server in S3_ENDPOINT)');
    return undefined;
  }
  if (!bucket) {
    problems.push('OUTPUT_STORE: the s3:// URL names no bucket (expected s3://bucket/prefix)');
    return undefined;
  }
  if (!BUCKET_NAME.test(bucket)) {
    problems.push(`OUTPUT_STORE: "${bucket}" is not a bucket name (3 to 63 letters, digits, dots, hyphens or underscores)`);
    return undefined;
  }
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    problems.push('OUTPUT_STORE: the prefix of the s3:// URL is not valid percent-encoding');
    return undefined;
  }
  return { bucket, prefix: path.split('/').filter(Boolean).join('/') };
}

/** The endpoint's base URL, and whether one was configured (else AWS's, for the region). */
function endpointFrom(env: Env, region: string, problems: string[]): { url: string; given: boolean } {
  const name = ['S3_ENDPOINT', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL'].find((candidate) => setting(env, candidate));
  if (!name) return { url: `https://s3.${region}.amazonaws.com`, given: false };
  const value = setting(env, name)!;
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.search || parsed.hash) {
    problems.push(`${name}: expected the S3 API's http:// or https:// URL (such as http://127.0.0.1:9000)`);
    return { url: value, given: true };
  }
  if (parsed.username || parsed.password) {
    // Not repeated: it holds a secret.
    problems.push(`${name}: the URL must not hold credentials (they go in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)`);
    return { url: value, given: true };
  }
  return { url: `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`, given: true };
}

/** One request to S3, for `send`. */
interface S3Request {
  /** S3's name of the operation, for errors. */
  operation: string;
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  key: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
}

export function s3OutputStore(options: S3OutputStoreOptions): OutputStore {
  const send = s3Sender(options);
  const location = `${options.bucket}/${options.prefix ? `${options.prefix}/` : ''}`;
  const where = (key: string) => `${location}${key}`;

  /** Parts of `source` go up one at a time; the first one tells whether a single PutObject will do. */
  async function putInParts(key: string, source: ReadableStream<Uint8Array>, contentType: string): Promise<{ bytes: number }> {
    const parts = fixedSizeParts(source, S3_PART_BYTES);
    try {
      const first = await parts.next();
      if (first.done || first.value.byteLength < S3_PART_BYTES) {
        const bytes = first.done ? new Uint8Array(0) : first.value;
        await putObject(key, bytes, contentType);
        return { bytes: bytes.byteLength };
      }
      return await multipartUpload(key, first.value, parts, contentType);
    } finally {
      // Cancels the body if a failure left it unread.
      await parts.return(undefined);
    }
  }

  async function putObject(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const response = await send({ operation: 'PutObject', method: 'PUT', key, headers: { 'content-type': contentType }, body: bytes });
    await expectOk(response, 'PutObject', where(key));
  }

  async function multipartUpload(key: string, first: Uint8Array, rest: AsyncGenerator<Uint8Array, void>, contentType: string): Promise<{ bytes: number }> {
    const uploadId = await createMultipartUpload(key, contentType);
    try {
      const etags: string[] = [];
      let bytes = 0;
      for (let part: IteratorResult<Uint8Array, void> = { value: first }; !part.done; part = await rest.next()) {
        etags.push(await uploadPart(key, uploadId, etags.length + 1, part.value));
        bytes += part.value.byteLength;
      }
      await completeMultipartUpload(key, uploadId, etags);
      return { bytes };
    } catch (error) {
      await abortMultipartUpload(key, uploadId).catch(() => {});
      throw error;
    }
  }

  async function createMultipartUpload(key: string, contentType: string): Promise<string> {
    const response = await send({ operation: 'CreateMultipartUpload', method: 'POST', key, query: { uploads: '' }, headers: { 'content-type': contentType } });
    const text = await expectOk(response, 'CreateMultipartUpload', where(key));
    const uploadId = xmlElement(text, 'UploadId');
    if (!uploadId) throw new Error(`S3 CreateMultipartUpload of ${where(key)} answered without an UploadId`);
    return uploadId;
  }

  async function uploadPart(key: string, uploadId: string, partNumber: number, bytes: Uint8Array): Promise<string> {
    const query = { partNumber: String(partNumber), uploadId };
    const response = await send({ operation: 'UploadPart', method: 'PUT', key, query, body: bytes });
    await expectOk(response, 'UploadPart', where(key));
    const etag = response.headers.get('etag');
    if (!etag) throw new Error(`S3 UploadPart of ${where(key)} answered without an ETag`);
    return etag;
  }

  async function completeMultipartUpload(key: string, uploadId: string, etags: string[]): Promise<void> {
    const parts = etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${escapeXml(etag)}</ETag></Part>`).join('');
    const body = `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${parts}</CompleteMultipartUpload>`;
    const response = await send({ operation: 'CompleteMultipartUpload', method: 'POST', key, query: { uploadId }, headers: { 'content-type': 'application/xml' }, body });
    const text = await expectOk(response, 'CompleteMultipartUpload', where(key));
    // S3 may fail the completion after it has answered 200 (it sends spaces to keep the connection
    // alive meanwhile): then the body is an <Error>.
    const code = xmlElement(text, 'Code');
    if (/<Error[\s>]/.test(text)) throw new Error(`S3 CompleteMultipartUpload of ${where(key)} failed: ${code ?? 'an error'} (HTTP ${response.status})`);
  }

  async function abortMultipartUpload(key: string, uploadId: string): Promise<void> {
    const response = await send({ operation: 'AbortMultipartUpload', method: 'DELETE', key, query: { uploadId } });
    // NoSuchUpload: already gone.
    if (response.status === 404) return void (await response.body?.cancel());
    await expectOk(response, 'AbortMultipartUpload', where(key));
  }

  return {
    description: `s3://${options.bucket}${options.prefix ? `/${options.prefix}` : ''} on ${new URL(options.endpoint).host}`,

    async put(key: string, body: ReadableStream<Uint8Array>, putOptions: PutOptions) {
      const source = putOptions.bytes === undefined ? body : body.pipeThrough(exactLength(putOptions.bytes));
      return putInParts(key, source, putOptions.contentType);
    },

    async get(key: string, range?: ByteRange): Promise<StoredObject | undefined> {
      const headers = range ? { range: `bytes=${range.offset}-${range.offset + range.length - 1}` } : undefined;
      const response = await send({ operation: 'GetObject', method: 'GET', key, ...(headers ? { headers } : {}) });
      if (response.status === 404) {
        const code = xmlElement(await response.text(), 'Code');
        // A missing bucket is a misconfiguration, not a missing copy.
        if (code === 'NoSuchBucket') throw new Error(`S3 GetObject of ${where(key)} failed: NoSuchBucket (HTTP 404)`);
        return undefined;
      }
      if (!response.ok || !response.body) {
        await expectOk(response, 'GetObject', where(key));
        throw new Error(`S3 GetObject of ${where(key)} answered without a body`);
      }
      const size = objectSize(response, range !== undefined);
      if (size === undefined) {
        await response.body.cancel();
        throw new Error(`S3 GetObject of ${where(key)} answered HTTP ${response.status} without the object's size${range ? ' for a range' : ''}`);
      }
      return { body: response.body as ReadableStream<Uint8Array>, size, contentType: response.headers.get('content-type') ?? 'application/octet-stream' };
    },

    async delete(key: string) {
      const response = await send({ operation: 'DeleteObject', method: 'DELETE', key });
      // S3 answers 204 for a missing key too; some S3-compatible servers answer 404.
      if (response.status === 404) {
        const code = xmlElement(await response.text(), 'Code');
        if (code !== 'NoSuchBucket') return;
      }
      await expectOk(response, 'DeleteObject', where(key));
    },

    // Nothing to release: each request is a fetch of its own, and writes in flight end (or abort their upload) by themselves.
    async close() {},
  };
}

/**
 * Signs and sends requests for the objects of one bucket. Retries nothing: a write's body is read
 * once, and the store's callers (the copy driver) retry whole copies.
 */
function s3Sender(options: S3OutputStoreOptions): (request: S3Request) => Promise<Response> {
  const fetchImpl = options.fetch ?? fetch;
  const credentials = { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey, ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}) };
  // aws4fetch caches the derived signing key per day here.
  const cache = new Map<string, ArrayBuffer>();
  return async (request) => {
    const url = objectUrl(options, request.key, request.query);
    // Parts are arrays of their own (fixedSizeParts copies into each), never views of a shared buffer.
    const body = (request.body ?? null) as BodyInit | null;
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined) headers['x-amz-content-sha256'] = createHash('sha256').update(request.body).digest('hex');
    const signer = new AwsV4Signer({ ...credentials, url, method: request.method, headers, body, service: 's3', region: options.region, cache });
    const signed = await signer.sign();
    // A deadline for the answer, lifted once it has come, so that a download may stream for as long as it takes.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new Error(`no answer within ${ANSWER_TIMEOUT_MS / 1000} s`)), ANSWER_TIMEOUT_MS);
    try {
      return await fetchImpl(signed.url, { method: signed.method, headers: signed.headers, body, signal: deadline.signal });
    } catch (error) {
      // The URL and the headers (which hold the signature) stay out of the message.
      throw new Error(`S3 ${request.operation} of ${options.bucket}/${objectKey(options, request.key)} failed: ${describeFailure(error)}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  };
}

/** The object's full key in the bucket: `<prefix>/<key>`. */
function objectKey(settings: S3Settings, key: string): string {
  return settings.prefix ? `${settings.prefix}/${key}` : key;
}

/** The object's URL, path-style or virtual-hosted, each segment of its key escaped. */
function objectUrl(settings: S3Settings, key: string, query?: Record<string, string>): string {
  const path = objectKey(settings, key).split('/').map(encodeURIComponent).join('/');
  const base = new URL(settings.endpoint);
  const url = settings.pathStyle
    ? new URL(`${base.origin}${base.pathname.replace(/\/+$/, '')}/${encodeURIComponent(settings.bucket)}/${path}`)
    : new URL(`${base.protocol}//${settings.bucket}.${base.host}${base.pathname.replace(/\/+$/, '')}/${path}`);
  // `uploads` goes as `?uploads=`, which S3 reads as `?uploads` (and signs as such).
  for (const [name, value] of Object.entries(query ?? {})) url.searchParams.set(name, value);
  return url.toString();
}

/** The body of a successful answer; otherwise an Error naming the operation, the object and S3's error code. */
async function expectOk(response: Response, operation: string, object: string): Promise<string> {
  const text = await response.text().catch(() => '');
  if (response.ok) return text;
  const code = xmlElement(text, 'Code') ?? response.statusText ?? 'an error';
  throw new Error(`S3 ${operation} of ${object} failed: ${code} (HTTP ${response.status})`);
}

/**
 * The whole object's size: from `Content-Range` (`bytes 0-9/1234`) when a range was asked for,
 * else from `Content-Length`. A server that ignored the range (200 to a ranged request) would
 * send the whole object where a part was expected, so that is no size either.
 */
function objectSize(response: Response, ranged: boolean): number | undefined {
  if (ranged) {
    if (response.status !== 206) return undefined;
    const total = /^bytes \d+-\d+\/(\d+)$/.exec(response.headers.get('content-range') ?? '')?.[1];
    return total === undefined ? undefined : Number(total);
  }
  const length = response.headers.get('content-length');
  return length !== null && /^\d+$/.test(length) ? Number(length) : undefined;
}

/** The text of the first `<name>` element of an S3 XML answer, unescaped. */
function xmlElement(xml: string, name: string): string | undefined {
  const text = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
  return text === undefined ? undefined : unescapeXml(text);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, entity: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[entity]!);
}

/** A network failure's reason (fetch's own message is only "fetch failed"), without the URL. */
function describeFailure(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = cause && 'code' in cause ? String(cause.code) : undefined;
  if (code) return code;
  return error instanceof Error ? error.message : String(error);
}
