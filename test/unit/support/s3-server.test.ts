import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshBucket, s3TestClient, s3TestServer } from '../../support/fresh-bucket.ts';
import type { S3TestServer } from '../../support/s3-global-setup.ts';
import { startThrowawayS3 } from '../../support/s3-server.ts';
import { lookUpUser } from '../../support/supervised-server.ts';

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    const settle = (accepted: boolean) => {
      socket.destroy();
      resolve(accepted);
    };
    socket.once('connect', () => settle(true));
    socket.once('error', () => settle(false));
    socket.once('timeout', () => settle(false));
  });
}

/** The pids of the cluster's daemons that write pid files (the monitor and the OSD). */
function daemonPids(directory: string): number[] {
  const run = join(directory, 'run');
  return readdirSync(run)
    .filter((name) => name.endsWith('.pid'))
    .map((name) => Number(readFileSync(join(run, name), 'utf8').trim()));
}

describe('the test S3 server', () => {
  let server: S3TestServer;
  beforeAll(async () => {
    server = await s3TestServer();
  }, 120_000);

  it('is Ceph’s radosgw, answering S3 with S3’s errors', async () => {
    const response = await fetch(`${server.endpoint}/no-such-bucket-here`, { method: 'PUT' });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>AccessDenied</Code>');
    // radosgw's request ids: `tx` and the zone's name.
    expect(response.headers.get('x-amz-request-id')).toMatch(/^tx[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-default$/);
  });

  it('gives each fresh bucket to one file, and takes only signed requests', async () => {
    const first = await freshBucket();
    const second = await freshBucket();
    expect(first).not.toBe(second);
    const client = s3TestClient(server);
    expect((await client.fetch(`${server.endpoint}/${first}/object`, { method: 'PUT', body: 'x' })).status).toBe(200);
    expect((await client.fetch(`${server.endpoint}/${second}/object`)).status).toBe(404);
    expect((await fetch(`${server.endpoint}/${first}/object`)).status).toBe(403);
    const wrong = s3TestClient(server, 'not-the-secret-key');
    const refused = await wrong.fetch(`${server.endpoint}/${first}/object`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('listens on 127.0.0.1 only', async () => {
    const url = new URL(server.endpoint);
    expect(url.hostname).toBe('127.0.0.1');
    expect(await accepts('127.0.0.1', Number(url.port))).toBe(true);
    expect(await accepts('127.0.0.2', Number(url.port))).toBe(false);
    expect(await accepts('::1', Number(url.port))).toBe(false);
  });
});

describe('a throwaway S3 server', () => {
  it('runs as Debian’s ceph user when the tests run as root, and is gone after stop()', { timeout: 120_000 }, async () => {
    const s3 = await startThrowawayS3();
    const port = Number(new URL(s3.endpoint).port);
    const pids = daemonPids(s3.directory);
    expect(pids).toHaveLength(2);
    if (process.getuid?.() === 0) {
      const ceph = lookUpUser('ceph') ?? lookUpUser('nobody');
      for (const pid of pids) expect(statSync(`/proc/${pid}`).uid).toBe(ceph!.uid);
    }
    expect(await accepts('127.0.0.1', port)).toBe(true);

    await s3.stop();
    expect(await accepts('127.0.0.1', port)).toBe(false);
    expect(existsSync(s3.directory)).toBe(false);
    for (const pid of pids) expect(existsSync(`/proc/${pid}`)).toBe(false);
  });
});
