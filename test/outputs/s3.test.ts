/**
 * The S3 output store against a real S3 server (Ceph's radosgw, test/support/s3-server.ts): the
 * conformance suite, then what only S3 shows: signatures checked, no multipart upload left behind,
 * keys under the prefix, and the settings read from the environment.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config-error.ts';
import { S3_PART_BYTES, s3OutputStore, s3SettingsFrom, type S3Settings } from '../../src/node/s3-output-store.ts';
import { freshBucket, s3TestClient, s3TestServer } from '../support/fresh-bucket.ts';
import type { S3TestServer } from '../support/s3-global-setup.ts';
import { freeLoopbackPort } from '../support/supervised-server.ts';
import { failingStream, freshKey, outputStoreCases, patternBytes, readAll, streamOf } from './output-store-cases.ts';

const PREFIX = 'vidgate/outputs';

let server: S3TestServer;
let bucket: string;

// The first file of a run to ask starts the server; give it longer than a hook's usual 20 s.
beforeAll(async () => {
  server = await s3TestServer();
  bucket = await freshBucket();
}, 120_000);

function settings(overrides: Partial<S3Settings> = {}): S3Settings {
  return {
    bucket,
    prefix: PREFIX,
    endpoint: server.endpoint,
    region: server.region,
    pathStyle: true,
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    ...overrides,
  };
}

/** A signed request of the test's own, straight to the server (not through the store). */
async function s3(path: string, init: RequestInit = {}): Promise<Response> {
  return s3TestClient(server).fetch(`${server.endpoint}/${bucket}${path}`, init);
}

/** The keys of the multipart uploads in progress under `prefix` (ListMultipartUploads). */
async function uploadsInProgress(prefix = PREFIX): Promise<string[]> {
  const response = await s3(`?uploads&prefix=${encodeURIComponent(prefix)}`);
  const xml = await response.text();
  expect(response.status, xml).toBe(200);
  return [...xml.matchAll(/<Upload>.*?<Key>([^<]*)<\/Key>.*?<\/Upload>/gs)].map((match) => match[1]!);
}

outputStoreCases('s3', async () => ({ store: s3OutputStore(settings()), close: async () => {} }));

describe('the S3 output store', () => {
  it('keeps objects under the prefix, with their content type', async () => {
    const key = freshKey();
    const bytes = patternBytes(10_000);
    await s3OutputStore(settings()).put(key, streamOf(bytes), { contentType: 'video/webm' });
    const response = await s3(`/${PREFIX}/${key}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('video/webm');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
  });

  it('keeps objects at the bucket root without a prefix', async () => {
    const store = s3OutputStore(settings({ prefix: '' }));
    const key = freshKey();
    await store.put(key, streamOf(patternBytes(100)), { contentType: 'video/mp4' });
    expect((await s3(`/${key}`)).status).toBe(200);
    expect((await store.get(key))!.size).toBe(100);
    await store.delete(key);
    expect((await s3(`/${key}`)).status).toBe(404);
  });

  it('escapes keys: characters URLs and signatures treat specially reach the server as they are', async () => {
    const store = s3OutputStore(settings());
    const key = `${freshKey().split('/')[0]}/a b+c=d&e!'()*~;%20é/0`;
    const bytes = patternBytes(2_000);
    await store.put(key, streamOf(bytes), { contentType: 'video/mp4' });
    expect(await readAll((await store.get(key, { offset: 1_000, length: 10 }))!.body)).toEqual(bytes.subarray(1_000, 1_010));
    const listed = await (await s3(`?list-type=2&prefix=${encodeURIComponent(`${PREFIX}/${key.split('/')[0]}/`)}`)).text();
    expect([...listed.matchAll(/<Key>([^<]*)<\/Key>/g)].map((match) => match[1]!.replace(/&amp;/g, '&').replace(/&apos;/g, "'"))).toEqual([`${PREFIX}/${key}`]);
    await store.delete(key);
    expect(await store.get(key)).toBeUndefined();
  });

  it('addresses AWS virtual-hosted style, signing for the bucket host', async () => {
    const sent: Request[] = [];
    const recording: typeof fetch = async (input, init) => {
      sent.push(new Request(input, init));
      return new Response('<Error><Code>NoSuchKey</Code></Error>', { status: 404 });
    };
    const aws = s3SettingsFrom('s3://videos/vidgate', { AWS_REGION: 'eu-west-3', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' });
    const store = s3OutputStore({ ...aws, fetch: recording });
    expect(await store.get('job_1/0', { offset: 5, length: 10 })).toBeUndefined();
    const [request] = sent;
    expect(request!.url).toBe('https://videos.s3.eu-west-3.amazonaws.com/vidgate/job_1/0');
    expect(request!.headers.get('range')).toBe('bytes=5-14');
    expect(request!.headers.get('authorization')).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-3\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
    expect(store.description).toBe('s3://videos/vidgate on s3.eu-west-3.amazonaws.com');
  });

  it('describes itself by bucket, prefix and endpoint, without the keys', () => {
    const { description } = s3OutputStore(settings());
    expect(description).toBe(`s3://${bucket}/${PREFIX} on ${new URL(server.endpoint).host}`);
    expect(description).not.toContain(server.accessKeyId);
  });

  it('is refused by the server with a wrong secret key: signatures are checked', async () => {
    const wrongSecret = `${server.secretAccessKey.slice(0, -4)}AAAA`;
    const store = s3OutputStore(settings({ secretAccessKey: wrongSecret }));
    const key = freshKey();
    const failure = await store.put(key, streamOf(patternBytes(1_000)), { contentType: 'video/mp4' }).catch((error: unknown) => error as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe(`S3 PutObject of ${bucket}/${PREFIX}/${key} failed: SignatureDoesNotMatch (HTTP 403)`);
    await expect(store.get(key)).rejects.toThrow(/^S3 GetObject of .* failed: SignatureDoesNotMatch \(HTTP 403\)$/);
    expect((await s3(`/${PREFIX}/${key}`)).status).toBe(404);
    // The same request with the right key goes through.
    await s3OutputStore(settings()).put(key, streamOf(patternBytes(1_000)), { contentType: 'video/mp4' });
    expect((await s3(`/${PREFIX}/${key}`)).status).toBe(200);
  });

  it('names an unknown access key, and never shows a key or a signature', async () => {
    const store = s3OutputStore(settings({ accessKeyId: 'AKIDNOTAUSER0000', secretAccessKey: 'not-a-secret-0123456789' }));
    const failure = (await store.put(freshKey(), streamOf(patternBytes(10)), { contentType: 'video/mp4' }).catch((error: unknown) => error)) as Error;
    expect(failure.message).toMatch(/failed: InvalidAccessKeyId \(HTTP 403\)$/);
    expect(failure.message).not.toMatch(/AKIDNOTAUSER|not-a-secret|Signature=|Credential=/);
  });

  it('aborts a multipart upload whose body fails: no upload in progress, no object', { timeout: 60_000 }, async () => {
    const key = freshKey();
    const store = s3OutputStore(settings());
    // Two whole parts go up before the body fails.
    await expect(store.put(key, failingStream(patternBytes(2 * S3_PART_BYTES + 1_000)), { contentType: 'video/mp4' })).rejects.toThrow('connection reset by the provider');
    expect(await uploadsInProgress()).toEqual([]);
    expect(await store.get(key)).toBeUndefined();
    expect((await s3(`/${PREFIX}/${key}`)).status).toBe(404);
  });

  it('aborts a multipart upload whose body is longer than declared, before completing it', { timeout: 60_000 }, async () => {
    const key = freshKey();
    const store = s3OutputStore(settings());
    const bytes = patternBytes(S3_PART_BYTES + 5_000);
    await expect(store.put(key, streamOf(bytes), { contentType: 'video/mp4', bytes: S3_PART_BYTES + 4_999 })).rejects.toThrow(/longer than its declared/);
    await expect(store.put(key, streamOf(bytes), { contentType: 'video/mp4', bytes: S3_PART_BYTES + 5_001 })).rejects.toThrow(/ended after/);
    expect(await uploadsInProgress()).toEqual([]);
    expect(await store.get(key)).toBeUndefined();
  });

  it('writes a body of exactly one part, and an empty one', { timeout: 60_000 }, async () => {
    const store = s3OutputStore(settings());
    const onePart = patternBytes(S3_PART_BYTES, 4);
    const key = freshKey();
    expect(await store.put(key, streamOf(onePart, 1_000_000), { contentType: 'video/mp4', bytes: S3_PART_BYTES })).toEqual({ bytes: S3_PART_BYTES });
    expect(Buffer.from(await readAll((await store.get(key))!.body)).equals(onePart)).toBe(true);
    const empty = freshKey();
    expect(await store.put(empty, streamOf(new Uint8Array(0)), { contentType: 'video/mp4' })).toEqual({ bytes: 0 });
    const object = await store.get(empty);
    expect(object!.size).toBe(0);
    expect(await readAll(object!.body)).toHaveLength(0);
  });

  it('sends the hash of every part, so that a part damaged on the way is refused', { timeout: 60_000 }, async () => {
    // A fetch that flips one byte of each body it sends, after the store has hashed and signed it.
    const damaging: typeof fetch = async (input, init) => {
      const body = init?.body instanceof Uint8Array && init.body.byteLength > 0 ? init.body.slice() : init?.body;
      if (body instanceof Uint8Array) body[body.byteLength >> 1]! ^= 0xff;
      return fetch(input, { ...init, body });
    };
    const store = s3OutputStore({ ...settings(), fetch: damaging });
    const key = freshKey();
    await expect(store.put(key, streamOf(patternBytes(1_000)), { contentType: 'video/mp4' })).rejects.toThrow(/^S3 PutObject of .* failed: XAmzContentSHA256Mismatch \(HTTP 400\)$/);
    await expect(store.put(key, streamOf(patternBytes(S3_PART_BYTES + 10)), { contentType: 'video/mp4' })).rejects.toThrow(/^S3 UploadPart of .* failed: XAmzContentSHA256Mismatch \(HTTP 400\)$/);
    expect(await uploadsInProgress()).toEqual([]);
    expect((await s3(`/${PREFIX}/${key}`)).status).toBe(404);
  });

  it('fails on a missing bucket instead of reporting a missing object', async () => {
    const store = s3OutputStore(settings({ bucket: `${bucket}-missing` }));
    await expect(store.get(freshKey())).rejects.toThrow(/GetObject .* failed: NoSuchBucket \(HTTP 404\)$/);
    await expect(store.put(freshKey(), streamOf(patternBytes(10)), { contentType: 'video/mp4' })).rejects.toThrow(/NoSuchBucket/);
  });

  it('names the operation and the reason when the server cannot be reached', async () => {
    const port = await freeLoopbackPort();
    const store = s3OutputStore(settings({ endpoint: `http://127.0.0.1:${port}` }));
    const key = freshKey();
    const failure = (await store.get(key).catch((error: unknown) => error)) as Error;
    expect(failure.message).toBe(`S3 GetObject of ${bucket}/${PREFIX}/${key} failed: ECONNREFUSED`);
  });
});

describe('S3 settings from OUTPUT_STORE and the environment', () => {
  const keys = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

  /** The ConfigError's message, or a failure when none is thrown. */
  function configError(url: string, env: Record<string, string | undefined>): string {
    try {
      s3SettingsFrom(url, env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('expected a ConfigError');
  }

  it('reads bucket and prefix; AWS, virtual-hosted, in us-east-1 by default', () => {
    expect(s3SettingsFrom('s3://videos/vidgate/outputs/', keys)).toEqual({
      bucket: 'videos',
      prefix: 'vidgate/outputs',
      endpoint: 'https://s3.us-east-1.amazonaws.com',
      region: 'us-east-1',
      pathStyle: false,
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: keys.AWS_SECRET_ACCESS_KEY,
    });
    expect(s3SettingsFrom('s3://videos', keys).prefix).toBe('');
    expect(s3SettingsFrom('s3://videos', { ...keys, AWS_DEFAULT_REGION: 'eu-west-3' })).toMatchObject({ region: 'eu-west-3', endpoint: 'https://s3.eu-west-3.amazonaws.com' });
    expect(s3SettingsFrom('s3://videos', { ...keys, AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-3' }).region).toBe('eu-west-1');
    expect(s3SettingsFrom('s3://videos', { ...keys, AWS_SESSION_TOKEN: 'token' }).sessionToken).toBe('token');
  });

  it('goes path-style to a given endpoint, S3_ENDPOINT first, unless S3_FORCE_PATH_STYLE says otherwise', () => {
    const local = { ...keys, AWS_ENDPOINT_URL: 'http://general:1', AWS_ENDPOINT_URL_S3: 'http://s3-only:2' };
    expect(s3SettingsFrom('s3://videos', { ...local, S3_ENDPOINT: 'http://127.0.0.1:9000/' })).toMatchObject({ endpoint: 'http://127.0.0.1:9000', pathStyle: true });
    expect(s3SettingsFrom('s3://videos', local).endpoint).toBe('http://s3-only:2');
    expect(s3SettingsFrom('s3://videos', { ...keys, AWS_ENDPOINT_URL: 'http://general:1' }).endpoint).toBe('http://general:1');
    expect(s3SettingsFrom('s3://videos', { ...local, S3_FORCE_PATH_STYLE: 'false' }).pathStyle).toBe(false);
    expect(s3SettingsFrom('s3://videos', { ...keys, S3_FORCE_PATH_STYLE: 'true' }).pathStyle).toBe(true);
  });

  it('refuses a URL without a bucket, naming OUTPUT_STORE', () => {
    expect(configError('s3:///outputs', keys)).toMatch(/^Invalid configuration:\n {2}- OUTPUT_STORE: the s3:\/\/ URL names no bucket/);
    expect(configError('s3://', keys)).toContain('OUTPUT_STORE: the s3:// URL names no bucket');
    expect(configError('s3://a', keys)).toContain('OUTPUT_STORE: "a" is not a bucket name');
    expect(configError('s3://user:secret@videos/x', keys)).toContain('OUTPUT_STORE: expected s3://bucket or s3://bucket/prefix');
  });

  it('refuses missing credentials, naming each missing variable', () => {
    const both = configError('s3://videos', {});
    expect(both).toContain('AWS_ACCESS_KEY_ID: required');
    expect(both).toContain('AWS_SECRET_ACCESS_KEY: required');
    const secret = configError('s3://videos', { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: '' });
    expect(secret).toContain('AWS_SECRET_ACCESS_KEY: required');
    expect(secret).not.toContain('AWS_ACCESS_KEY_ID');
    expect(configError('s3://videos', { AWS_SECRET_ACCESS_KEY: 'x' })).not.toContain('AWS_SECRET_ACCESS_KEY');
  });

  it('refuses a bad endpoint or path-style switch, naming the variable and never a secret in it', () => {
    expect(configError('s3://videos', { ...keys, S3_ENDPOINT: 'minio:9000' })).toContain('S3_ENDPOINT: expected the S3 API');
    expect(configError('s3://videos', { ...keys, AWS_ENDPOINT_URL: 'ftp://host' })).toContain('AWS_ENDPOINT_URL: expected the S3 API');
    const withSecret = configError('s3://videos', { ...keys, AWS_ENDPOINT_URL_S3: 'https://me:hunter2@s3.example' });
    expect(withSecret).toContain('AWS_ENDPOINT_URL_S3: the URL must not hold credentials');
    expect(withSecret).not.toContain('hunter2');
    expect(configError('s3://videos', { ...keys, S3_FORCE_PATH_STYLE: 'yes' })).toContain('S3_FORCE_PATH_STYLE: expected true or false');
  });

  it('lists every problem at once', () => {
    const message = configError('s3://', { S3_FORCE_PATH_STYLE: 'maybe' });
    expect(message.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(4);
  });
});
