/**
 * How much latency the gateway adds. Starts the real entry (`node src/node.ts`, sandbox mode: the
 * gateway and the emulators in one child process, so this load generator does not share their
 * event loop), then times the same provider poll made directly and through the gateway,. Prints figures; asserts nothing (these machines are shared
 * and noisy: compare runs, not thresholds).
 *
 *   npm run bench                         # defaults: 2000 requests, concurrency 8
 *   BENCH_REQUESTS=5000 BENCH_CONCURRENCY=32 npm run bench
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const KEY = 'vidgate-sandbox-key';

async function main(): Promise<void> {
  const child = await startSandboxProcess();
  try {
    const job = await createJob(child.gateway);
    const kreaJobId = await createDirectKreaJob(child.krea);
    const direct = await measure(() => fetch(`${child.krea}/jobs/${kreaJobId}`, { headers: { authorization: 'Bearer sandbox' } }));
    const viaGateway = await measure(() => fetch(`${child.gateway}/v1/jobs/${job.id}`, { headers: { authorization: `Bearer ${KEY}` } }));
    const cached = await measureCachedPoll(child.gateway);
    const rejected = await measure(() => post(child.gateway, { model: 'krea/kling/kling-2.5', prompt: 'x', duration: 7 }), 422);
    report('poll, direct to the emulator', direct);
    report('poll, through the gateway', viaGateway);
    report('poll of a terminal job (cache)', cached);
    report('create rejected by validation', rejected);
    console.log(`\ngateway overhead on a poll: p50 ${(viaGateway.p50 - direct.p50).toFixed(3)} ms, p99 ${(viaGateway.p99 - direct.p99).toFixed(3)} ms`);
  } finally {
    child.stop();
  }
}

/** `node src/node.ts` without keys; the banner says where the gateway and the Krea emulator listen. */
function startSandboxProcess(): Promise<{ gateway: string; krea: string; stop(): void }> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const child = spawn(process.execPath, ['src/node.ts'], { cwd: root, env: { PATH: process.env.PATH, PORT: '0', SANDBOX_STEP_MS: '1' } });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const gateway = /Gateway:\s+(\S+)/.exec(output)?.[1];
      const krea = /Krea:\s+emulated at (\S+)/.exec(output)?.[1];
      if (gateway && krea) resolve({ gateway, krea, stop: () => child.kill() });
    });
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}: ${output}`)));
  });
}

async function createJob(url: string): Promise<{ id: string }> {
  const response = await post(url, { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse at dusk', duration: 5 });
  return (await response.json()) as { id: string };
}

/** A job created on the emulator itself, to time the same poll without the gateway in between. */
async function createDirectKreaJob(emulatorUrl: string): Promise<string> {
  const created = await fetch(`${emulatorUrl}/generate/video/kling/kling-2.5`, {
    method: 'POST',
    headers: { authorization: 'Bearer sandbox', 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'direct' }),
  });
  return ((await created.json()) as { job_id: string }).job_id;
}

async function measureCachedPoll(url: string) {
  const job = await createJob(url);
  for (let i = 0; i < 20; i++) {
    const body = (await (await fetch(`${url}/v1/jobs/${job.id}`, { headers: { authorization: `Bearer ${KEY}` } })).json()) as { status: string };
    if (body.status === 'completed') break;
  }
  return measure(() => fetch(`${url}/v1/jobs/${job.id}`, { headers: { authorization: `Bearer ${KEY}` } }));
}

function post(url: string, body: unknown): Promise<Response> {
  return fetch(`${url}/v1/jobs`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

interface Figures {
  p50: number;
  p90: number;
  p99: number;
  perSecond: number;
}

/** Runs REQUESTS calls, CONCURRENCY at a time (after a warm-up), and returns latency percentiles in ms. */
async function measure(call: () => Promise<Response>, expectedStatus = 200): Promise<Figures> {
  for (let i = 0; i < 50; i++) await (await call()).arrayBuffer();
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next++ < REQUESTS) {
      const t0 = performance.now();
      const response = await call();
      await response.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (response.status !== expectedStatus) throw new Error(`unexpected status ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), perSecond: latencies.length / elapsed };
}

function report(name: string, figures: Figures): void {
  const ms = (value: number) => `${value.toFixed(3).padStart(8)} ms`;
  console.log(`${name.padEnd(34)} p50 ${ms(figures.p50)}  p90 ${ms(figures.p90)}  p99 ${ms(figures.p99)}  ${figures.perSecond.toFixed(0).padStart(6)} req/s`);
}

/** The gateway's own work per request, without any network: sealing and opening job ids. */
