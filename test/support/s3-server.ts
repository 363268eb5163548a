/**
 * A throwaway S3-compatible server for tests: Ceph's RADOS Gateway (radosgw) from Debian's packages
 * (`apt-get install ceph-mon ceph-osd radosgw`), on a single-node cluster in a temp dir, serving S3 on
 * a free loopback port, removed after.
 *
 * Why Ceph: it is a real S3 implementation from Debian, and it checks SigV4 signatures and payload
 * hashes, keeps multipart uploads (with their 5 MiB minimum part size), ranges and content types as
 * S3 does, and answers with S3's error codes. (s3rver and other Node fakes do not check enough;
 * MinIO, Garage and SeaweedFS are not packaged for Debian bookworm, nor is an rclone recent enough
 * to serve S3.)
 *
 * The cluster is the smallest radosgw runs on: one monitor, one OSD keeping its objects in memory
 * (memstore; pools of one copy), the gateway on the beast frontend, cephx between them, and one S3
 * user with generated keys. It starts in about two seconds (with the monitor's Paxos rounds
 * shortened, see cephConf) and holds some 150 MB, so a run shares one:
 * test/support/s3-global-setup.ts starts it when a test file first asks
 * (test/support/fresh-bucket.ts). As root it runs as Debian's `ceph` user (else `nobody`), under the
 * supervisor of test/support/supervised-server.ts, which removes the temp dir however it ends.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { freeLoopbackPort, isRunning, spawnSupervisor, superviseChild, unprivilegedUser, type Supervisor } from './supervised-server.ts';

/** A running throwaway S3 server, and the keys of its one user. */
export interface ThrowawayS3 {
  /** `http://127.0.0.1:<port>`: the S3 API, path-style. */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The temp dir holding the cluster; gone once it has stopped. */
  directory: string;
  stop(): Promise<void>;
}

/** Any region will do: radosgw signs and checks with the region the request names. */
export const S3_TEST_REGION = 'us-east-1';

/** What the cluster needs from Debian's ceph-mon, ceph-osd, ceph-common and radosgw packages. */
const COMMANDS = ['ceph-mon', 'ceph-osd', 'radosgw', 'radosgw-admin', 'ceph', 'ceph-authtool', 'monmaptool'];
const START_ATTEMPTS = 3;
const READY_TIMEOUT_MS = 90_000;

/**
 * The cluster's supervisor (the script says what it does), run as `bash -c` so that the cluster's
 * user needs no access to the checkout; without its comments, which `ps` would show.
 */
const SUPERVISOR = readFileSync(fileURLToPath(new URL('./ceph-cluster.sh', import.meta.url)), 'utf8').replace(/^\s*#.*\n/gm, '');

/** Throws, saying what to install, unless every command the cluster needs is on PATH. */
export function assertCephInstalled(): void {
  const path = (process.env.PATH ?? '/usr/bin:/bin').split(delimiter);
  const missing = COMMANDS.filter((command) => !path.some((dir) => existsSync(join(dir, command))));
  if (missing.length > 0) {
    throw new Error(`No ${missing.join(', ')}: the S3 tests run Ceph's radosgw; install Debian's packages (apt-get install ceph-mon ceph-osd radosgw)`);
  }
}

/**
 * Starts a throwaway S3 server and resolves once it answers S3 requests. A port taken between
 * choosing and binding it is retried on other ones.
 */
export async function startThrowawayS3(): Promise<ThrowawayS3> {
  assertCephInstalled();
  for (let attempt = 1; ; attempt++) {
    try {
      return await startCluster();
    } catch (error) {
      const portTaken = error instanceof Error && /address already in use|bind unable|failed to bind/i.test(error.message);
      if (!portTaken || attempt === START_ATTEMPTS) throw error;
    }
  }
}

async function startCluster(): Promise<ThrowawayS3> {
  const user = unprivilegedUser(['ceph', 'nobody'], 'Ceph');
  const directory = await mkdtemp(join(tmpdir(), 'vidgate-s3-'));
  const [monPort, rgwPort] = (await distinctFreePorts(2)) as [number, number];
  const fsid = randomUUID();
  const monAddress = `[v2:127.0.0.1:${monPort}]`;
  const accessKeyId = `VIDGATE${randomBytes(8).toString('hex').toUpperCase()}`;
  const secretAccessKey = randomBytes(30).toString('base64url');
  try {
    await writeFile(join(directory, 'ceph.conf'), cephConf(directory, fsid, monAddress, rgwPort));
    if (user) {
      await chown(directory, user.uid, user.gid);
      await chown(join(directory, 'ceph.conf'), user.uid, user.gid);
    }
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const child = spawnSupervisor({
    shell: '/bin/bash',
    script: SUPERVISOR,
    name: 'vidgate-s3',
    args: [directory, fsid, monAddress, randomUUID(), accessKeyId, secretAccessKey],
    directory,
    user,
  });
  const supervisor = superviseChild(child, directory);
  const endpoint = `http://127.0.0.1:${rgwPort}`;
  try {
    await waitUntilServing(endpoint, child, supervisor);
  } catch (error) {
    await supervisor.stop();
    throw error;
  }
  return { endpoint, region: S3_TEST_REGION, accessKeyId, secretAccessKey, directory, stop: supervisor.stop };
}

/** `count` different free loopback ports (two calls could otherwise hand out the same one). */
async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freeLoopbackPort());
  return [...ports];
}

/**
 * The cluster's one configuration file. `$name` is Ceph's own metavariable (mon.a, osd.0, client.rgw).
 * Everything lives in `directory`; nothing is read from /etc/ceph or written to /var.
 */
function cephConf(directory: string, fsid: string, monAddress: string, rgwPort: number): string {
  return `[global]
fsid = ${fsid}
mon host = ${monAddress}
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
keyring = ${directory}/keyring
auth allow insecure global id reclaim = false
run dir = ${directory}/run
admin socket = ${directory}/run/$name.asok
pid file = ${directory}/run/$name.pid
log file = ${directory}/log/$name.log
crash dir = ${directory}/crash
# One OSD holding one copy of everything: pools of size one, one placement group each.
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 1
osd pool default pgp num = 1
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
# Monitor decisions (pool creation, the OSD's boot) take a round of Paxos each, proposed once a
# second by default: radosgw's first start would take a minute. One node, so no need to batch.
paxos propose interval = 0.01
paxos min wait = 0.001
# A nearly full disk must not stop the monitor (it would at 5 % free): the data is in memory anyway.
mon data avail warn = 1
mon data avail crit = 0
mon data = ${directory}/mon
osd data = ${directory}/osd
osd objectstore = memstore
memstore device bytes = ${2 * 1024 * 1024 * 1024}
rgw data = ${directory}/rgw
rgw frontends = beast endpoint=127.0.0.1:${rgwPort}
rgw thread pool size = 32
rgw enable usage log = false
rgw dynamic resharding = false
rgw run sync thread = false
`;
}

/** Resolves once radosgw answers HTTP (it starts listening only when it is ready to serve); fails if the supervisor exits first. */
async function waitUntilServing(endpoint: string, child: ChildProcess, supervisor: Supervisor): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (!isRunning(child)) {
      throw new Error(`The Ceph cluster exited (${child.exitCode ?? child.signalCode}) before radosgw served S3:\n${supervisor.output()}`);
    }
    try {
      const response = await fetch(endpoint, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`radosgw did not answer on ${endpoint} within ${READY_TIMEOUT_MS} ms (${String(lastError)}):\n${supervisor.output()}`);
}
