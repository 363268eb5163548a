/**
 * vitest globalSetup of the `node` project: one throwaway S3 server (Ceph's radosgw,
 * test/support/s3-server.ts) per run, started only when a test file first asks for it (over
 * test/support/control-channel.ts), so runs without S3 tests pay nothing. Test files use
 * test/support/fresh-bucket.ts.
 */
import type { TestProject } from 'vitest/node';
import { serveControlChannel, type ControlAddress } from './control-channel.ts';
import { startThrowawayS3, type ThrowawayS3 } from './s3-server.ts';

/** What a test file is told: where the server is and the keys of its one user. */
export type S3TestServer = Pick<ThrowawayS3, 'endpoint' | 'region' | 'accessKeyId' | 'secretAccessKey'>;

declare module 'vitest' {
  interface ProvidedContext {
    /** Where a test file asks for the run's S3 server (see test/support/fresh-bucket.ts). */
    s3Control: ControlAddress;
  }
}

/** Starts the control channel; the returned teardown stops the server, if one was started. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server: Promise<ThrowawayS3> | undefined;
  const channel = await serveControlChannel(async (): Promise<S3TestServer> => {
    const { endpoint, region, accessKeyId, secretAccessKey } = await (server ??= startThrowawayS3());
    return { endpoint, region, accessKeyId, secretAccessKey };
  });
  project.provide('s3Control', channel.address);
  return async () => {
    channel.close();
    const started = await server?.catch(() => undefined);
    await started?.stop();
  };
}
