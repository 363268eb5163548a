/** Running the real entry (`node src/node.mjs`, what `npm start` runs) as a child process, and `npm start` itself. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The child's environment: only what the test gives, plus a data directory of its own unless given one. */
function childEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return { PATH: process.env.PATH, PORT: '0', VIDGATE_DATA_DIR: mkdtempSync(join(tmpdir(), 'vidgate-process-')), ...env };
}

/** Upper bound on waiting for a process to start or to go away, so a stuck one fails the test instead of hanging it. */
const PROCESS_BOUND_MS = 15_000;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves when the process has exited. */
  exited: Promise<Exit>;
  /** The URL an emulator's banner line gives (`Krea:  emulated at …`). */
  emulatorUrl(title: string): string;
  /** Sends `signal` and resolves with how the process exited. */
  signal(signal: NodeJS.Signals): Promise<Exit>;
  stop(): Promise<void>;
}

/** Starts the entry and resolves once it prints the address it listens on. */
export function spawnGateway(env: Record<string, string | undefined>, entry = 'src/node.mjs'): Promise<GatewayProcess> {
  return started(spawn(process.execPath, [entry], { cwd: ROOT, env: childEnv(env) }));
}

/**
 * Runs `npm start` (the npm that runs these tests, else the one on PATH) and resolves once the
 * gateway it starts prints its address; `child` is npm itself.
 */
export function spawnNpmStart(env: Record<string, string | undefined>): Promise<GatewayProcess> {
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli && existsSync(npmCli) ? [process.execPath, [npmCli, 'start']] : ['npm', ['start']];
  const npmEnv = { ...childEnv(env), HOME: process.env.HOME, npm_config_update_notifier: 'false', npm_config_loglevel: 'warn', ...env };
  return started(spawn(command, args, { cwd: ROOT, env: npmEnv }));
}

function started(child: ChildProcess): Promise<GatewayProcess> {
  let output = '';
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(?:Gateway:\s+|listening on )(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (!match) return;
      resolve({
        url: match[1]!,
        child,
        output: () => output,
        exited,
        emulatorUrl(title) {
          const line = new RegExp(`${title}:\\s+emulated at (http://\\S+)`).exec(output);
          if (!line) throw new Error(`no emulator line for ${title} in:\n${output}`);
          return line[1]!;
        },
        signal(signal) {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
        stop: () => stop(child, exited),
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(({ code, signal }) => reject(new Error(`exited with ${code ?? signal} before listening:\n${output}`)));
  });
}

function stop(child: ChildProcess, exited: Promise<Exit>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  child.kill('SIGTERM');
  return exited.then(() => undefined);
}

/** Runs the entry to completion (for configurations that must refuse to start). */
export function runGatewayToExit(env: Record<string, string | undefined>, entry = 'src/node.mjs'): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [entry], { cwd: ROOT, env: childEnv(env) });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

/** `pid` and every process below it, from /proc (Linux), parents first. */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (stat) parents.set(Number(entry), stat.ppid);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  return tree;
}

/** Which of `pids` are still running (zombies count as gone), once they have had a bounded while to exit. */
export async function stillRunning(pids: readonly number[]): Promise<number[]> {
  const deadline = Date.now() + PROCESS_BOUND_MS;
  let running = pids.filter(isRunning);
  while (running.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    running = running.filter(isRunning);
  }
  return running;
}

function isRunning(pid: number): boolean {
  const stat = readProcStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

function readProcStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    // `pid (comm) state ppid …`; comm may contain spaces and parentheses, so parse after the last `)`.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: state!, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** Whether a server could listen on this loopback port now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
