/** The bench's processes: starting a server script (pinned when `taskset` exists), the gateway's bench settings, and the requests every figure repeats. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNodeServer } from '../scripts/build-node.ts';
import { freshBuiltServer } from '../src/node/built-server.ts';
import type { RequestSpec } from './load.ts';

/** The project's root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const KEY = 'bench-gateway-key-0001';
export const auth = { authorization: `Bearer ${KEY}` };
export const PINNED = spawnSync('taskset', ['-V']).status === 0;

/** What `npm start` runs: the entry, which loads the bundled server when it is fresh. */
export const GATEWAY_ENTRY = 'src/node.mjs';

/** The scripts that run the gateway: the entry, the entry behind the memory figure's hook, and the sources the profiles run. */
const GATEWAY_SCRIPTS = new Set([GATEWAY_ENTRY, 'bench/gc-on-signal.ts', 'src/node/main.ts']);

/** Node's flags in `npm start` (the young generation's cap), read from package.json so that every gateway the bench starts runs as users run it. */
export const GATEWAY_NODE_FLAGS = startFlags(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start as string);

function startFlags(script: string): string[] {
  const flags = new RegExp(`^exec node((?: --[\\w-]+(?:=\\S+)?)*) ${GATEWAY_ENTRY}$`).exec(script)?.[1];
  if (flags === undefined) throw new Error(`the bench cannot read Node's flags from the start script ${JSON.stringify(script)}`);
  return flags.split(' ').filter(Boolean);
}

/**
 * Builds the server's bundle when it is missing or older than the sources (as `npm install` would
 * have), so that the bench measures what `npm start` runs, not a fallback to the sources.
 */
export async function ensureBuiltServer(): Promise<void> {
  if (freshBuiltServer(ROOT)) return;
  const manifest = await buildNodeServer();
  console.log(`(rebuilt the Node server's bundle from ${manifest.inputs.length} files: the sources had changed since it was built)`);
}

export interface Server {
  url: string;
  pid: number;
  /** Milliseconds from spawning the process to its "listening" line. */
  startedInMs: number;
  stop(): void;
  /** Stops it and resolves once it has exited (a CPU profile is written by then). */
  stopAndWait(): Promise<void>;
}

/** The data directories handed out by {@link benchGatewayEnv}, removed when the bench exits. */
const dataDirs: string[] = [];
process.once('exit', () => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** A gateway's bench settings: the instant upstream as Krea, its own data directory (removed when the bench exits), no background polling. */
export function benchGatewayEnv(upstreamUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'vidgate-bench-'));
  dataDirs.push(dir);
  return { GATEWAY_API_KEYS: KEY, JOB_ID_SECRET: 'bench-job-id-secret-0123456789', KREA_API_KEY: 'upstream-key', KREA_BASE_URL: upstreamUrl, VIDGATE_DATA_DIR: dir, POLL_INTERVAL_MS: '3600000', ...extra };
}

export function getSpec(path: string): RequestSpec {
  return { method: 'GET', path, headers: auth, expect: 200 };
}

export function createSpec(): RequestSpec {
  return { method: 'POST', path: '/v1/jobs', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'krea/kling/kling-2.5', prompt: 'a lighthouse at dusk', duration: 5 }), expect: 202 };
}

export async function createJob(url: string, prompt: string): Promise<string> {
  const response = await fetch(`${url}/v1/jobs`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'krea/kling/kling-2.5', prompt }) });
  if (response.status !== 202) throw new Error(`create failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** The prompt of a job that finishes at once, its video a small file on the instant upstream (so the gateway's copy of it completes). */
export const FINISHING_PROMPT = 'a lighthouse [big:4096]';

/**
 * Reads a job until the gateway has seen it finished and copied its videos: what a finished job is
 * in a default gateway (an output store), answered with a signed link to the copy on every read.
 */
export async function readUntilCompleted(url: string, id: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const job = (await (await fetch(`${url}/v1/jobs/${id}`, { headers: auth })).json()) as { status: string; videos: { storage?: string }[] };
    if (job.status === 'completed' && job.videos.every((video) => video.storage !== 'pending')) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the finished job never read as completed with its videos copied');
}

/** Starts a server script (Node 24, pinned to CPU 1 when possible) and resolves with the port it prints. */
export function startServer(script: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<Server> {
  const command = PINNED ? 'taskset' : process.execPath;
  const gatewayFlags = GATEWAY_SCRIPTS.has(script) ? GATEWAY_NODE_FLAGS : [];
  const args = [...(PINNED ? ['-c', '1', process.execPath] : []), ...gatewayFlags, ...nodeArgs, script];
  const spawned = performance.now();
  const child: ChildProcess = spawn(command, args, { cwd: ROOT, env: { PATH: process.env.PATH, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /listening (\d+)/.exec(output)?.[1] ?? /(?:Gateway:\s+|listening on )http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1];
      if (!port) return;
      const startedInMs = performance.now() - spawned;
      // From here on the output (a JSON line per request) is read and dropped.
      child.stdout!.off('data', onData).on('data', () => {});
      child.stderr!.off('data', onData).on('data', () => {});
      const stop = () => void child.kill('SIGTERM');
      resolve({ url: `http://127.0.0.1:${port}`, pid: child.pid!, startedInMs, stop, stopAndWait: () => (stop(), exited) });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}:\n${output}`)));
  });
}
