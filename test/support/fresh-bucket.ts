/**
 * Buckets for test files of the `node` project, on the one S3 server of the run (started by
 * test/support/s3-global-setup.ts the first time a file asks). Each file takes its own fresh bucket,
 * so files running in parallel never see each other's objects.
 */
import { randomBytes } from 'node:crypto';
import { AwsClient } from 'aws4fetch';
import { inject } from 'vitest';
import { askControlChannel } from './control-channel.ts';
import type { S3TestServer } from './s3-global-setup.ts';

let server: Promise<S3TestServer> | undefined;

/** The run's S3 server and its user's keys, starting the server on first use. */
export function s3TestServer(): Promise<S3TestServer> {
  return (server ??= askControlChannel<S3TestServer>(inject('s3Control'), 'S3 server'));
}

/** A client signing as the server's user (retries off: a test sees the first answer). */
export function s3TestClient(server: S3TestServer, secretAccessKey = server.secretAccessKey): AwsClient {
  return new AwsClient({ accessKeyId: server.accessKeyId, secretAccessKey, service: 's3', region: server.region, retries: 0 });
}

/** A new, empty bucket on the run's server; its name. */
export async function freshBucket(): Promise<string> {
  const found = await s3TestServer();
  const bucket = `vidgate-test-${randomBytes(6).toString('hex')}`;
  const response = await s3TestClient(found).fetch(`${found.endpoint}/${bucket}`, { method: 'PUT' });
  if (!response.ok) throw new Error(`Creating bucket ${bucket} failed: HTTP ${response.status} ${await response.text()}`);
  return bucket;
}
