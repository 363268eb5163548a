/**
 * The bench's push figures (issue 11): how long a client waits for its webhook after the provider
 * has finished a job, with and without Krea's own webhook as the gateway's wake-up, beside the
 * floor of Krea calling the client directly; and what 1,000 event-stream clients on one job cost
 * (upstream polls, RSS, CPU), beside the same job with no client watching. The Krea emulator runs
 * here on its own clock; the gateway is a separate process, as in the rest of the bench.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { Agent, request } from 'undici';
import { providers } from '../providers/index.ts';
import { startEmulator, type RunningEmulator } from '../src/node/sandbox.ts';
import { cpuMicros, rssBytes } from './load.ts';

export interface GatewayServer {
  url: string;
  pid: number;
  stop(): void;
}

export type StartGateway = (env: Record<string, string>, port?: number) => Promise<GatewayServer>;

const SECRET = `whsec_${Buffer.from('vidgate bench webhook secret 012').toString('base64')}`;
const KEY = 'bench-gateway-key-0001';
const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const kreaProvider = providers.find((provider) => provider.name === 'krea')!;
/** Krea's walk in the emulator: queued, four running steps, then the end (providers/krea/emulator.ts). */
const STEPS_TO_END = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A receiver that verifies each webhook with `standardwebhooks` and notes when each job's arrived. */
async function receiver(): Promise<{ url: string; arrivals: Map<string, number>; rejected: () => number; close(): Promise<void> }> {
  const verifier = new Webhook(SECRET);
  const arrivals = new Map<string, number>();
  let rejected = 0;
  const server: HttpServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = performance.timeOrigin + performance.now();
      const body = Buffer.concat(chunks).toString();
      const path = req.url ?? '';
      if (path.startsWith('/direct/')) {
        // Krea's own (unsigned) call, straight to the client: the floor.
        arrivals.set(path.slice('/direct/'.length), at);
      } else {
        try {
          const payload = verifier.verify(body, req.headers as Record<string, string>) as { type: string; data: { id: string } };
          if (payload.type === 'job.completed') arrivals.set(payload.data.id, at);
        } catch {
          rejected += 1;
        }
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    rejected: () => rejected,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function percentiles(values: number[]): { p50: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/** When the emulator ended each job of a run, by the prompt's tag: its create's arrival plus the walk. */
function endsByTag(krea: RunningEmulator, msPerStep: number): Map<string, number> {
  const ends = new Map<string, number>();
  for (const call of krea.emulator.control.requests) {
    const tag = (call.body as { prompt?: string } | undefined)?.prompt?.match(/#(\S+)/)?.[1];
    if (call.kind === 'create' && tag) ends.set(tag, call.at + STEPS_TO_END * msPerStep);
  }
  return ends;
}

/**
 * Completion → client's webhook, per job: the gateway with `PUBLIC_URL` (Krea's call wakes it),
 * the same without an output store (by default `job.completed` waits for the video's copy, so that
 * it carries the durable link), the gateway without `PUBLIC_URL` (it learns of the end at its next
 * poll, on Krea's default schedule), and the floor: Krea's own webhook sent straight to the client.
 */
export async function webhookLatency(startGateway: StartGateway, freePort: () => Promise<number>): Promise<void> {
  const jobs = Number(process.env.BENCH_WEBHOOK_JOBS ?? 40);
  const msPerStep = 300;
  const krea = await startEmulator(kreaProvider, { progression: { mode: 'timed', msPerStep } });
  const client = await receiver();
  const base = { GATEWAY_API_KEYS: KEY, JOB_ID_SECRET: 'bench-job-id-secret-0123456789', KREA_API_KEY: 'upstream-key', KREA_BASE_URL: krea.url, WEBHOOK_SECRET: SECRET, ALLOWED_PRIVATE_HOSTS: '127.0.0.1' };
  console.log(`\ncompletion to webhook (${jobs} Krea jobs per row, each ending ${STEPS_TO_END * msPerStep} ms after its create; Krea's default poll schedule):`);
  console.log('who                                      |  p50 ms |  p99 ms | delivered | vs floor (p50)');
  try {
    const floor = await runLatency('floor: Krea calls the client itself', jobs, krea, msPerStep, client, async (tag, prompt) => {
      const { statusCode, body } = await request(`${krea.url}/generate/video/kling/kling-2.5`, {
        method: 'POST',
        headers: { authorization: 'Bearer upstream-key', 'content-type': 'application/json', 'x-webhook-url': `${client.url}/direct/${tag}` },
        body: JSON.stringify({ prompt }),
      });
      await body.dump();
      if (statusCode !== 200) throw new Error(`direct create answered ${statusCode}`);
      return tag;
    });
    const variants: { name: string; wakeUp: boolean; env: Record<string, string> }[] = [
      { name: 'gateway + Krea wake-up (PUBLIC_URL)', wakeUp: true, env: {} },
      { name: '  the same, OUTPUT_STORE=none', wakeUp: true, env: { OUTPUT_STORE: 'none' } },
      { name: 'gateway, polling only', wakeUp: false, env: {} },
    ];
    for (const { name, wakeUp, env } of variants) {
      const port = await freePort();
      const gateway = await startGateway({ ...base, ...env, ...(wakeUp ? { PUBLIC_URL: `http://127.0.0.1:${port}` } : {}) }, port);
      try {
        await runLatency(name, jobs, krea, msPerStep, client, async (_tag, prompt) => {
          const { statusCode, body } = await request(`${gateway.url}/v1/jobs`, { method: 'POST', headers: auth, body: JSON.stringify({ model: 'krea/kling/kling-2.5', prompt, webhook_url: `${client.url}/hooks` }) });
          const job = (await body.json()) as { id: string };
          if (statusCode !== 202) throw new Error(`create answered ${statusCode}`);
          return job.id;
        }, floor);
      } finally {
        gateway.stop();
      }
    }
    if (client.rejected() > 0) console.log(`  (${client.rejected()} webhooks failed verification)`);
  } finally {
    await client.close();
    await krea.close();
  }
}

async function runLatency(
  name: string,
  jobs: number,
  krea: RunningEmulator,
  msPerStep: number,
  client: Awaited<ReturnType<typeof receiver>>,
  create: (tag: string, prompt: string) => Promise<string>,
  floor?: number,
): Promise<number> {
  krea.emulator.control.reset();
  client.arrivals.clear();
  const keyByTag = new Map<string, string>();
  for (let n = 0; n < jobs; n++) {
    const tag = `${name.length}-${n}-${Date.now()}`;
    keyByTag.set(tag, await create(tag, `a lighthouse #${tag}`));
    // Spread the creates, so that the jobs end at different points of the gateway's poll schedule.
    await sleep(37);
  }
  await until(() => client.arrivals.size >= jobs, 60_000);
  const ends = endsByTag(krea, msPerStep);
  const latencies = [...keyByTag].flatMap(([tag, key]) => {
    const arrived = client.arrivals.get(key);
    const ended = ends.get(tag);
    return arrived === undefined || ended === undefined ? [] : [arrived - ended];
  });
  const { p50, p99 } = percentiles(latencies);
  const ratio = floor === undefined ? '' : `${(p50 / floor).toFixed(1)}x`;
  console.log(`${name.padEnd(40)} | ${p50.toFixed(1).padStart(7)} | ${p99.toFixed(1).padStart(7)} | ${`${latencies.length}/${jobs}`.padStart(9)} | ${ratio}`);
  return p50;
}

/**
 * 1,000 clients on one job's event stream: upstream polls (the driver's schedule is the target),
 * and the gateway's RSS and CPU, beside the same job watched by nobody.
 */
export async function eventStreamFanout(startGateway: StartGateway): Promise<void> {
  const clients = Number(process.env.BENCH_SSE_CLIENTS ?? 1_000);
  const msPerStep = 1_500;
  const krea = await startEmulator(kreaProvider, { progression: { mode: 'timed', msPerStep } });
  const env = { GATEWAY_API_KEYS: KEY, JOB_ID_SECRET: 'bench-job-id-secret-0123456789', KREA_API_KEY: 'upstream-key', KREA_BASE_URL: krea.url, POLL_INTERVAL_MS: '1000' };
  console.log(`\n${clients.toLocaleString('en')} event-stream clients on one job (Krea job of ${(STEPS_TO_END * msPerStep) / 1000} s, POLL_INTERVAL_MS 1000):`);
  console.log('watchers | upstream polls | terminal events | gateway RSS MB (idle → peak) | gateway CPU ms over the job');
  try {
    for (const watchers of [0, clients]) {
      const gateway = await startGateway(env);
      const agent = new Agent({ connections: clients + 10, keepAliveTimeout: 60_000, bodyTimeout: 0, headersTimeout: 0 });
      try {
        krea.emulator.control.reset();
        const idle = rssBytes(gateway.pid);
        const cpuBefore = cpuMicros(gateway.pid);
        const { body } = await request(`${gateway.url}/v1/jobs`, { method: 'POST', headers: auth, body: JSON.stringify({ model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' }) });
        const { id } = (await body.json()) as { id: string };
        let peak = idle;
        const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(gateway.pid))), 100);
        const streams = Array.from({ length: watchers }, () => watch(gateway.url, id, agent));
        const ended = await Promise.all(streams);
        if (watchers === 0) await waitForEnd(gateway.url, id, STEPS_TO_END * msPerStep + 3_000);
        clearInterval(sampler);
        peak = Math.max(peak, rssBytes(gateway.pid));
        const cpu = (cpuMicros(gateway.pid) - cpuBefore) / 1000;
        const polls = krea.emulator.control.requests.filter((call) => call.kind === 'poll').length;
        const terminal = ended.filter(Boolean).length;
        const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
        console.log(`${String(watchers).padStart(8)} | ${String(polls).padStart(14)} | ${`${terminal}/${watchers}`.padStart(15)} | ${`${mb(idle)} → ${mb(peak)}`.padStart(28)} | ${cpu.toFixed(0)}`);
      } finally {
        await agent.close();
        gateway.stop();
      }
    }
  } finally {
    await krea.close();
  }
}

/** One client's stream; true when its last event is the completed job. */
async function watch(url: string, id: string, agent: Agent): Promise<boolean> {
  const { body } = await request(`${url}/v1/jobs/${id}/events`, { headers: { authorization: `Bearer ${KEY}`, accept: 'text/event-stream' }, dispatcher: agent });
  let last = '';
  for await (const chunk of body) last = (last + chunk.toString()).slice(-4_096);
  return /"status":"completed"/.test(last.slice(last.lastIndexOf('event: job')));
}

/** With nobody watching, only the driver moves the job: wait out its walk, then read it once (a finished job is not polled). */
async function waitForEnd(url: string, id: string, ms: number): Promise<void> {
  await sleep(ms);
  const { body } = await request(`${url}/v1/jobs/${id}`, { headers: { authorization: `Bearer ${KEY}` } });
  const job = (await body.json()) as { status: string };
  if (job.status !== 'completed') throw new Error(`the unwatched job is ${job.status} after ${ms} ms`);
}
