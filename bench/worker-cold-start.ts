/**
 * The Worker's cold start, started as `npm run dev:worker` starts it (scripts/dev-worker.ts): the
 * sandbox's emulators on loopback, then `wrangler dev` (local workerd, offline, its [build] step
 * included) with the sandbox's keys as `--var`s. Each start is a fresh process with its own port,
 * inspector port and persistence folder. Measured per start: process start → wrangler's "Ready"
 * line (bundling, workerd up), then the first `GET /v1/models` with a key (the isolate loads the
 * bundle, reads the provider catalogs and the configuration, builds the gateway), then a second
 * one (the warm figure to compare with). The line reports the medians of three starts.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { providers } from '../providers/index.ts';
import { spawnWrangler } from '../scripts/wrangler-env.ts';
import type { Env } from '../src/config.ts';
import { startSandbox } from '../src/node/sandbox.ts';

const STARTS = 3;
/** A start that takes longer than this is a failure, not a figure. */
const START_TIMEOUT_MS = 120_000;

interface StartFigures {
  /** Process start → "Ready on …". */
  readyMs: number;
  /** The first request after that, answered. */
  firstRequestMs: number;
  /** The next one. */
  warmRequestMs: number;
}

export async function workerColdStart(): Promise<string> {
  const sandbox = await startSandbox({}, providers);
  try {
    const starts: StartFigures[] = [];
    for (let i = 0; i < STARTS; i++) starts.push(await oneStart(sandbox.env));
    const ready = median(starts.map((start) => start.readyMs));
    const first = median(starts.map((start) => start.firstRequestMs));
    const warm = median(starts.map((start) => start.warmRequestMs));
    const total = median(starts.map((start) => start.readyMs + start.firstRequestMs));
    return (
      `Worker cold start (wrangler dev, local workerd, median of ${STARTS}): ${ms(total)} from process start to the first answered GET /v1/models ` +
      `(ready after ${ms(ready)}; first request ${ms(first)}, the next ${ms(warm)})`
    );
  } finally {
    await sandbox.close();
  }
}

async function oneStart(env: Env): Promise<StartFigures> {
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const persistence = mkdtempSync(join(tmpdir(), 'vidgate-worker-bench-'));
  const names = ['GATEWAY_API_KEYS', 'JOB_ID_SECRET', ...providers.flatMap((provider) => [provider.env.apiKey, provider.env.baseUrl])];
  const vars = names.flatMap((name) => ['--var', `${name}:${String(env[name])}`]);
  const args = ['dev', ...vars, '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort), '--persist-to', persistence, '--show-interactive-dev-session=false'];
  const started = performance.now();
  // Its own process group, so that workerd (wrangler's child) goes with it.
  const wrangler = spawnWrangler(args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  try {
    await readyLine(wrangler);
    const readyMs = performance.now() - started;
    const url = `http://127.0.0.1:${port}/v1/models`;
    const headers = { authorization: `Bearer ${String(env.GATEWAY_API_KEYS).split(',')[0]}` };
    const firstRequestMs = await timedRequest(url, headers);
    const warmRequestMs = await timedRequest(url, headers);
    return { readyMs, firstRequestMs, warmRequestMs };
  } finally {
    await stop(wrangler);
    rmSync(persistence, { recursive: true, force: true });
  }
}

/** Resolves on wrangler's "Ready on http://…" line; rejects if it exits or takes too long first. */
function readyLine(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`wrangler dev was not ready within ${START_TIMEOUT_MS} ms:\n${output.slice(-2_000)}`)), START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready on https?:\/\//.test(output)) {
        cleanUp();
        resolve();
      }
    };
    const onExit = (code: number | null) => fail(new Error(`wrangler dev exited (${code}) before it was ready:\n${output.slice(-2_000)}`));
    function fail(error: Error) {
      cleanUp();
      reject(error);
    }
    function cleanUp() {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      // Keep reading, so a full pipe never blocks the process.
      child.stdout?.resume();
      child.stderr?.resume();
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

async function timedRequest(url: string, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  return performance.now() - started;
}

/** SIGTERM to the process group wrangler leads, then SIGKILL if it is still there after 10 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child.pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  // workerd may outlive wrangler by a moment; it is in the same group.
  signalGroup(child.pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function ms(value: number): string {
  return value >= 1_000 ? `${(value / 1_000).toFixed(2)} s` : `${value.toFixed(1)} ms`;
}
