/**
 * The Worker's cold start: `wrangler dev` (local workerd, no network) started on the project as
 * `npm run dev:worker` starts it, then the first request once it says it is ready, which also
 * builds the gateway (configuration, model index) as every new isolate does, then warm requests
 * for comparison. Median of three fresh starts. "Ready" includes wrangler bundling the Worker and
 * starting workerd, which the platform does not pay per isolate; the first request is the part an
 * isolate does pay (loading the bundle is counted in "ready": workerd loads it at startup).
 */
import { createServer } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { spawnWrangler } from '../scripts/wrangler-env.ts';
import { median } from './load.ts';

const KEY = 'bench-gateway-key-0001';
const RUNS = 3;

interface ColdStart {
  readyMs: number;
  firstMs: number;
  warmMs: number;
}

export async function workerColdStart(): Promise<string> {
  const runs: ColdStart[] = [];
  for (let run = 0; run < RUNS; run++) runs.push(await oneColdStart());
  const middle = (pick: (run: ColdStart) => number) => median(runs.map(pick));
  return (
    `Worker cold start (wrangler dev, local workerd, median of ${RUNS}): ready after ${middle((run) => run.readyMs).toFixed(0)} ms ` +
    `(bundling and starting workerd), first request ${middle((run) => run.firstMs).toFixed(1)} ms (the isolate builds its gateway), ` +
    `a warm request ${middle((run) => run.warmMs).toFixed(2)} ms`
  );
}

async function oneColdStart(): Promise<ColdStart> {
  const port = await freePort();
  const vars = { GATEWAY_API_KEYS: KEY, JOB_ID_SECRET: 'bench-job-id-secret-0123456789', KREA_API_KEY: 'upstream-key' };
  const started = performance.now();
  const wrangler = spawnWrangler(['dev', '--port', String(port), '--ip', '127.0.0.1', ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    await readyLine(wrangler);
    const ready = performance.now();
    const request = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/v1/models`, { headers: { authorization: `Bearer ${KEY}` } });
      if (response.status !== 200) throw new Error(`the Worker answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
    };
    await request();
    const first = performance.now();
    const warm: number[] = [];
    for (let index = 0; index < 21; index++) {
      const before = performance.now();
      await request();
      warm.push(performance.now() - before);
    }
    return { readyMs: ready - started, firstMs: first - ready, warmMs: warm.sort((a, b) => a - b)[10]! };
  } finally {
    wrangler.kill('SIGTERM');
    await new Promise((resolve) => wrangler.once('exit', resolve));
  }
}

function readyLine(child: ChildProcess): Promise<void> {
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready on/.test(output)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`wrangler dev exited with ${code}:\n${output}`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await workerColdStart());
