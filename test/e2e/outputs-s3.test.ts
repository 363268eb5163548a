/**
 * The gateway with `OUTPUT_STORE=s3://…`, end to end: copies land in a real S3 server (Ceph's
 * radosgw, started by the tests), configured through the usual environment variables, and the
 * signed links serve them back from there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_MP4 } from '../../providers/emulator-kit/index.ts';
import { freshBucket, s3TestClient, s3TestServer } from '../support/fresh-bucket.ts';
import type { S3TestServer } from '../support/s3-global-setup.ts';
import { KEYS, startStack, type Stack } from '../support/stack.ts';

let server: S3TestServer;
let bucket: string;
let stack: Stack;
beforeAll(async () => {
  server = await s3TestServer();
  bucket = await freshBucket();
  stack = await startStack({
    OUTPUT_STORE: `s3://${bucket}/vidgate`,
    S3_ENDPOINT: server.endpoint,
    AWS_REGION: server.region,
    AWS_ACCESS_KEY_ID: server.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.secretAccessKey,
  });
}, 120_000);
afterAll(() => stack?.close());

describe('OUTPUT_STORE=s3://bucket/prefix', () => {
  it('names the bucket at startup, without credentials', () => {
    expect(stack.gateway.outputs).toContain(`s3://${bucket}/vidgate`);
    expect(stack.gateway.outputs).not.toContain(server.secretAccessKey);
  });

  it('copies each finished video into the bucket under the prefix, and serves it from there', async () => {
    const created = await stack.create({ model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' });
    const job = await stack.pollUntilStored(created.body.id);
    expect(job.body.videos[0]).toMatchObject({ storage: 'stored', bytes: SAMPLE_MP4.byteLength });

    const object = await s3TestClient(server).fetch(`${server.endpoint}/${bucket}/vidgate/${created.body.id}/0`);
    expect(object.status).toBe(200);
    expect(object.headers.get('content-type')).toBe('video/mp4');
    expect(new Uint8Array(await object.arrayBuffer())).toEqual(SAMPLE_MP4);

    const fetchesBefore = stack.emulator('krea').emulator.control.fileFetches;
    const range = await fetch(job.body.videos[0].url, { headers: { range: 'bytes=0-11' } });
    expect(range.status).toBe(206);
    expect(new Uint8Array(await range.arrayBuffer())).toEqual(SAMPLE_MP4.subarray(0, 12));
    const content = await fetch(`${stack.gateway.url}/v1/jobs/${created.body.id}/content`, { headers: { authorization: `Bearer ${KEYS.gateway}` } });
    expect(new Uint8Array(await content.arrayBuffer())).toEqual(SAMPLE_MP4);
    expect(stack.emulator('krea').emulator.control.fileFetches).toBe(fetchesBefore);
  });
});
