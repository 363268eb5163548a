/**
 * What the throwaway servers of the tests (PostgreSQL in test/support/postgres.ts, Ceph's S3 gateway
 * in test/support/s3-server.ts) share: a free loopback port, an unprivileged user to run as when we
 * are root, and a shell supervisor that owns a temp dir and removes it however the server ends: a
 * normal stop(), this process exiting, or this process being killed. On Linux
 * `setpriv --pdeathsig` tells the supervisor when this process dies, even by SIGKILL.
 *
 * Each server brings its own supervisor script. The contract: it runs the server in the background
 * (so that a signal interrupts its `wait`), stops it on SIGTERM (in that server's quickest clean
 * way), and removes the temp dir before it exits.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** A user to run a server as. */
export interface ServerUser {
  name: string;
  uid: number;
  gid: number;
}

const DEFAULT_STOP_TIMEOUT_MS = 10_000;

// Supervisors of this process still running, each with its synchronous stop.
const running = new Set<() => void>();
let exitHandlersInstalled = false;

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

/** The user `name` of the passwd database (`getent`), if there is one. */
export function lookUpUser(name: string): ServerUser | undefined {
  try {
    const [, , uid, gid] = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim().split(':');
    return { name, uid: Number(uid), gid: Number(gid) };
  } catch {
    return undefined;
  }
}

/**
 * The user a server runs as: ourselves (`undefined`) unless we are root, else the first of `names`
 * that exists. `server` names the server in the error when none does.
 */
export function unprivilegedUser(names: string[], server: string): ServerUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of names) {
    const user = lookUpUser(name);
    if (user) return user;
  }
  throw new Error(`Running as root, and none of the users ${names.join(', ')} exists to run ${server} as`);
}

export interface SupervisorSpawn {
  /** The interpreter of `script`: `/bin/sh`, or `/bin/bash` for a script that needs bash. */
  shell: string;
  script: string;
  /** `$0` of the script: what `ps` shows. */
  name: string;
  args: string[];
  /** The temp dir the supervisor owns; also its working directory. */
  directory: string;
  user: ServerUser | undefined;
  /** Added to a minimal environment (PATH, LC_ALL=C, TZ=UTC). */
  env?: Record<string, string>;
}

/**
 * The supervisor as this process's child, in its own process group (so a terminal's Ctrl-C reaches
 * it only through us), as the server's user. Node switches the user itself (setgid, setuid and no
 * supplementary groups before exec); setpriv, which execs in place, only adds the parent-death signal.
 */
export function spawnSupervisor(options: SupervisorSpawn): ChildProcess {
  const command = [...parentDeathSignal(), options.shell, '-c', options.script, options.name, ...options.args];
  return spawn(command[0]!, command.slice(1), {
    cwd: options.directory,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', TZ: 'UTC', ...options.env },
    ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
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

export interface Supervisor {
  /** The last of what the supervisor printed (the server's errors), for error messages. */
  output(): string;
  /** SIGTERM to the supervisor, SIGKILL to its whole group after the stop timeout; then the temp dir is gone. Safe to call more than once. */
  stop(): Promise<void>;
}

/** Keeps the supervisor's output and stops it: by stop(), or synchronously when this process exits first. */
export function superviseChild(child: ChildProcess, directory: string, stopTimeoutMs = DEFAULT_STOP_TIMEOUT_MS): Supervisor {
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stopOnExit = () => stopSync(child, directory, stopTimeoutMs);
  running.add(stopOnExit);
  installExitHandlers();
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (isRunning(child)) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => killGroup(child), stopTimeoutMs);
        await exited;
        clearTimeout(timer);
      }
      // The supervisor removes it; this covers a supervisor that was killed itself.
      await rm(directory, { recursive: true, force: true });
      running.delete(stopOnExit);
    })());
  return { output: () => output, stop };
}

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
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
function stopSync(child: ChildProcess, directory: string, stopTimeoutMs: number): void {
  if (isRunning(child)) child.kill('SIGTERM');
  const deadline = Date.now() + stopTimeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (existsSync(directory) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 20);
  if (!existsSync(directory)) return;
  killGroup(child);
  rmSync(directory, { recursive: true, force: true });
}
