/**
 * `npm run bench`: what the gateway costs on its hot paths, measured in one run beside a floor (a
 * minimal Hono + undici proxy making the same upstream call, bench/floor-proxy.ts), against an
 * upstream that answers at once (bench/instant-upstream.ts). The create is also compared with a
 * second floor, the first plus the writes this gateway's fixed rules require (the crash-safe
 * write-ahead and the key's booking, bench/floor-write-ahead.ts), so that what they cost is told
 * apart from what the gateway adds. Rounds of floor and gateway alternate,
 * so a noisy neighbour hits both. Servers run pinned to one core and the load generator to another
 * when `taskset` exists. Prints figures and ratios; asserts nothing.
 *
 *   npm run bench                                   # about six minutes
 *   BENCH_ROUND_MS=5000 BENCH_ROUNDS=5 BENCH_JOBS=100000 npm run bench
 *   BENCH_ONLY=webhooks,events npm run bench       # some sections only
 *   BENCH_ONLY=outputs npm run bench                # copying a 200 MB video, serving it (about a minute)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openSqliteJobStore } from '../src/node/sqlite-job-store.ts';
import { cpuMicros, median, rssBytes, runLoad, type LoadResult, type RequestSpec } from './load.ts';
import { outputsFigures } from './outputs.ts';
import { figuresBlock, keepPrinted, ratioText, writeFiguresBlock, type PathFigures } from './readme-figures.ts';
import { eventStreamFanout, webhookLatency } from './push.ts';
import { storeRecord } from './records.ts';
import { workerColdStart } from './worker-cold-start.ts';
import { benchGatewayEnv, createJob, ensureBuiltServer, GATEWAY_ENTRY, GATEWAY_NODE_FLAGS, createSpec as create, FINISHING_PROMPT, getSpec as get, PINNED, readUntilCompleted as refreshOnce, ROOT, startServer as start, auth, type Server } from './servers.ts';

const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 3_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const JOBS = Number(process.env.BENCH_JOBS ?? 100_000);
/** `BENCH_ONLY=webhooks,events` runs only those sections (paths, coalescing, webhooks, events, store, rss, startup, worker, outputs). */
const ONLY = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
const wanted = (section: string) => !ONLY || ONLY.includes(section);
/** `BENCH_PATHS=create,finished`: only the paths whose names contain one of these. */
const PATHS = process.env.BENCH_PATHS?.split(',').map((name) => name.trim());

async function main(): Promise<void> {
  const printed = keepPrinted();
  console.log(`vidgate bench: Node ${process.versions.node}, ${ROUNDS} interleaved rounds of ${ROUND_MS} ms, ${CONCURRENCY} concurrent`);
  console.log(`the gateway as npm start runs it: node ${[...GATEWAY_NODE_FLAGS, GATEWAY_ENTRY].join(' ')}`);
  console.log(PINNED ? 'servers pinned to CPU 1, load generator to CPU 0 (taskset)' : 'taskset not available: processes are not pinned');
  if (PINNED) spawnSync('taskset', ['-pc', '0', String(process.pid)]);
  await ensureBuiltServer();
  const upstream = await start('bench/instant-upstream.ts', {});
  const gatewayEnv = (extra: Record<string, string>) => benchGatewayEnv(upstream.url, extra);
  // The default freshness (2 s): a live job's reads are answered from the store, one refresh per window.
  const fresh = await start(GATEWAY_ENTRY, gatewayEnv({}));
  const stale = await start(GATEWAY_ENTRY, gatewayEnv({ POLL_FRESHNESS_MS: '0' }));
  const floor = await start('bench/floor-proxy.ts', { UPSTREAM_URL: upstream.url });
  // The create's second floor: the first plus the writes the fixed rules require (write-ahead, booking).
  const writeAhead = await start('bench/floor-write-ahead.ts', { UPSTREAM_URL: upstream.url });
  let constant: Server | undefined;
  try {
    const live = await createJob(fresh.url, 'a lighthouse');
    const liveStale = await createJob(stale.url, 'a lighthouse');
    const done = await createJob(fresh.url, FINISHING_PROMPT);
    await refreshOnce(fresh.url, done);
    // The finished poll's second floor: the gateway's own answer for that job, sent as a constant by a bare Hono app.
    constant = await start('bench/floor-constant.ts', { ANSWER: await (await fetch(`${fresh.url}/v1/jobs/${done}`, { headers: auth })).text() });
    const paths: [string, Server, RequestSpec, RequestSpec, SecondFloor?][] = [
      ['poll, live job, store fresh', fresh, get(`/v1/jobs/${live}`), get('/v1/jobs/live-1')],
      ['poll, live job, store stale', stale, get(`/v1/jobs/${liveStale}`), get('/v1/jobs/live-1')],
      ['poll, finished job', fresh, get(`/v1/jobs/${done}`), get('/v1/jobs/done-1'), { label: 'constant answer', server: constant }],
      ['create', fresh, create(), create(), { label: 'write-ahead', server: writeAhead }],
      ['list (20 jobs)', fresh, get('/v1/jobs?limit=20'), get('/v1/jobs/live-1')],
    ];
    const figures: PathFigures[] = [];
    if (wanted('paths')) {
      console.log('\npath                           |      who |   req/s | CPU µs/req |  p50 ms |  p99 ms | vs floor (req/s, CPU)');
      for (const [name, gateway, gatewaySpec, floorSpec, secondFloor] of paths.filter(([name]) => !PATHS || PATHS.some((part) => name.includes(part)))) {
        figures.push(await compare(name, gateway, gatewaySpec, floor, floorSpec, secondFloor));
      }
    }
    if (wanted('coalescing')) await coalescing(upstream);
    if (wanted('webhooks')) await webhookLatency(startGateway, freePort);
    if (wanted('events')) await eventStreamFanout(startGateway);
    if (wanted('store')) await storeWriteCost();
    if (wanted('rss')) await rssAfterJobs(upstream);
    if (wanted('startup')) await startupTimes(upstream);
    if (wanted('worker')) console.log(`\n${await workerColdStart()}`);
    if (wanted('outputs')) await outputsFigures({ start, upstream, pinned: PINNED, rounds: ROUNDS, roundMs: ROUND_MS });
    if (process.env.BENCH_README === '1') {
      writeFiguresBlock(join(ROOT, 'README.md'), figuresBlock(runDescription(), figures, printed()));
      console.log('\nREADME.md: the figures between its bench markers are this run\'s');
    }
  } finally {
    for (const server of [fresh, stale, floor, writeAhead, constant, upstream]) server?.stop();
  }
}



/**
 * Alternating rounds of the floor and the gateway on one path; the sums, then the ratios. A second
 * floor (the create's write-ahead floor, the finished poll's constant answer), sent the gateway's
 * request, takes its turn in each round too, and the gateway's CPU is also given as a multiple of it.
 */
async function compare(name: string, gateway: Server, gatewaySpec: RequestSpec, floor: Server, floorSpec: RequestSpec, second?: SecondFloor): Promise<PathFigures> {
  // Warm them up (V8 optimizes the hot functions in the first thousands of requests).
  await runLoad(gateway.url, () => gatewaySpec, CONCURRENCY, 1_500);
  await runLoad(floor.url, () => floorSpec, CONCURRENCY, 1_500);
  if (second) await runLoad(second.server.url, () => gatewaySpec, CONCURRENCY, 1_500);
  const totals = { gateway: empty(), floor: empty(), second: empty() };
  for (let round = 0; round < ROUNDS; round++) {
    add(totals.floor, await measured(floor, floorSpec));
    if (second) add(totals.second, await measured(second.server, gatewaySpec));
    add(totals.gateway, await measured(gateway, gatewaySpec));
  }
  const [g, f] = [summary(totals.gateway), summary(totals.floor)];
  const s = second && { label: second.label, side: summary(totals.second) };
  console.log(row(name, 'floor', f, ''));
  if (!s) console.log(row('', 'gateway', g, ratioText(g, f)));
  else {
    console.log(row(`  + ${s.label}`, 'floor', s.side, ratioText(s.side, f)));
    console.log(row('', 'gateway', g, `${ratioText(g, f)} (CPU ${(g.cpu / s.side.cpu).toFixed(2)}x the ${s.label} floor)`));
  }
  const ratios = roundRatios(totals.gateway, totals.floor);
  console.log(`${''.padEnd(30)} |   rounds | CPU ratio of each round to the floor's just before it: ${ratios.text}`);
  return { name, floor: f, gateway: g, ...(s ? { second: s } : {}), medianRatio: ratios.median };
}

/** A path's second floor, sent the gateway's request in each round: the least some part of the gateway's work costs. */
interface SecondFloor {
  label: string;
  server: Server;
}

/** What the README's block says of the run it comes from. */
function runDescription(): string {
  const pinning = PINNED ? 'the servers pinned to CPU 1 and the load generator to CPU 0' : 'no pinning (taskset not available)';
  const sections = ONLY ? `; sections: ${ONLY.join(', ')}` : '';
  const paths = PATHS ? `; paths: ${PATHS.join(', ')}` : '';
  return `Written by \`BENCH_README=1 npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.versions.node}, ${cpus().length} CPUs, ${pinning}, ${ROUNDS} interleaved rounds of ${ROUND_MS} ms per path, ${CONCURRENCY} concurrent${sections}${paths}.`;
}

/**
 * Each round's gateway CPU per request over the floor's of the same round, and their median: a
 * round pair runs seconds apart, so a neighbour's load that comes and goes moves both sides of it,
 * where the sums over the run mix busy rounds of one side with quiet rounds of the other.
 */
function roundRatios(gateway: Totals, floor: Totals): { text: string; median: number } {
  const ratios = gateway.rounds.map((cpu, index) => cpu / floor.rounds[index]!);
  const middle = median(ratios);
  return { text: `${ratios.map((ratio) => `${ratio.toFixed(2)}x`).join(' ')} (median ${middle.toFixed(2)}x)`, median: middle };
}

interface Totals {
  requests: number;
  seconds: number;
  cpu: number;
  p50: number[];
  p99: number[];
  failures: number;
  /** CPU µs per request of each round. */
  rounds: number[];
}

function empty(): Totals {
  return { requests: 0, seconds: 0, cpu: 0, p50: [], p99: [], failures: 0, rounds: [] };
}

async function measured(server: Server, spec: RequestSpec): Promise<LoadResult & { cpu: number }> {
  const before = cpuMicros(server.pid);
  const result = await runLoad(server.url, () => spec, CONCURRENCY, ROUND_MS);
  return { ...result, cpu: cpuMicros(server.pid) - before };
}

function add(totals: Totals, result: LoadResult & { cpu: number }): void {
  totals.requests += result.requests;
  totals.seconds += result.seconds;
  totals.cpu += result.cpu;
  totals.p50.push(result.p50);
  totals.p99.push(result.p99);
  totals.failures += result.failures;
  totals.rounds.push(result.cpu / result.requests);
}

function summary(totals: Totals) {
  return { rps: totals.requests / totals.seconds, cpu: totals.cpu / totals.requests, p50: median(totals.p50), p99: median(totals.p99), failures: totals.failures };
}

function row(name: string, who: string, figures: ReturnType<typeof summary>, ratio: string): string {
  const failed = figures.failures > 0 ? `  (${figures.failures} unexpected answers)` : '';
  return `${name.padEnd(30)} | ${who.padStart(8)} | ${figures.rps.toFixed(0).padStart(7)} | ${figures.cpu.toFixed(1).padStart(10)} | ${figures.p50.toFixed(2).padStart(7)} | ${figures.p99.toFixed(2).padStart(7)} | ${ratio}${failed}`;
}

/** 1,000 clients polling one live job for 10 s at the default freshness: how many polls reach the provider. */
async function coalescing(upstream: Server): Promise<void> {
  const gateway = await start(GATEWAY_ENTRY, benchGatewayEnv(upstream.url));
  try {
    const id = await createJob(gateway.url, 'a lighthouse');
    const upstreamId = (await (await fetch(`${upstream.url}/__stats`)).json()) as { created: number };
    const before = await pollsOf(upstream, `live-${upstreamId.created}`);
    const seconds = 10;
    const result = await runLoad(gateway.url, () => get(`/v1/jobs/${id}`), 1_000, seconds * 1000);
    const polls = (await pollsOf(upstream, `live-${upstreamId.created}`)) - before;
    const windows = seconds / 2;
    console.log(`\n1,000 concurrent pollers on one live job for ${seconds} s (POLL_FRESHNESS_MS 2000): ${result.requests} answers (${result.rps.toFixed(0)}/s, p99 ${result.p99.toFixed(1)} ms, ${result.failures} not 200), ${polls} upstream polls = ${(polls / windows).toFixed(2)} per freshness window`);
  } finally {
    gateway.stop();
  }
}

async function pollsOf(upstream: Server, id: string): Promise<number> {
  const stats = (await (await fetch(`${upstream.url}/__stats`)).json()) as { polls: Record<string, number> };
  return stats.polls[id] ?? 0;
}

/** The embedded store's own cost per create (one record insert) and per poll's write, in process. */
async function storeWriteCost(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vidgate-bench-store-'));
  const store = openSqliteJobStore({ path: join(dir, 'vidgate.db') });
  try {
    const count = 5_000;
    const records = Array.from({ length: count }, (_, index) => storeRecord(index));
    let started = performance.now();
    for (const record of records) await store.create(record, { key: record.id, requestHash: 'h', expiresAt: record.createdAt + 86_400_000 });
    const createMicros = ((performance.now() - started) * 1000) / count;
    started = performance.now();
    for (const record of records) await store.replace({ ...record, progress: 50 });
    const replaceMicros = ((performance.now() - started) * 1000) / count;
    console.log(`\njob store write cost (embedded SQLite, WAL, one file): ${createMicros.toFixed(1)} µs per create (record and idempotency key), ${replaceMicros.toFixed(1)} µs per update`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Memory of a gateway as its store fills: after each tenth of the jobs, its RSS, then a full
 * collection (bench/gc-on-signal.ts) and the heap it still uses. RSS also moves with V8's sizing of
 * its young generation, which doubles under sustained load whatever the process keeps; the heap in
 * use after a collection is what the jobs would make grow if the gateway held on to them.
 */
async function rssAfterJobs(upstream: Server): Promise<void> {
  const heapFile = join(mkdtempSync(join(tmpdir(), 'vidgate-bench-heap-')), 'heap.json');
  const gateway = await start('bench/gc-on-signal.ts', benchGatewayEnv(upstream.url, { BENCH_HEAP_FILE: heapFile }), ['--expose-gc']);
  try {
    const spec = create();
    const samples: { jobs: number; rss: number; used: number; youngSize: number }[] = [];
    let made = 0;
    while (made < JOBS) {
      made += await runLoadCount(gateway.url, spec, Math.min(JOBS / 10, JOBS - made));
      const rss = rssBytes(gateway.pid);
      rmSync(heapFile, { force: true });
      process.kill(gateway.pid, 'SIGUSR2');
      const heap = await heapFigures(heapFile);
      samples.push({ jobs: made, rss, ...heap });
    }
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    const growth = (pick: (sample: (typeof samples)[number]) => number) => {
      const [first, last] = [pick(samples[0]!), pick(samples.at(-1)!)];
      return `${mb(first)} → ${mb(last)} MB, ${(((last - first) / first) * 100).toFixed(1)}%`;
    };
    console.log('\ngateway memory while its store fills (MB): jobs | RSS | V8 heap in use after a full collection | V8 young generation');
    for (const sample of samples) console.log(`${sample.jobs.toLocaleString('en').padStart(7)} | ${mb(sample.rss).padStart(6)} | ${mb(sample.used).padStart(6)} | ${mb(sample.youngSize).padStart(6)}`);
    console.log(`from ${samples[0]!.jobs.toLocaleString('en')} to ${made.toLocaleString('en')} jobs: RSS ${growth((sample) => sample.rss)} (target: within 10%); heap in use after a collection ${growth((sample) => sample.used)}`);
  } finally {
    gateway.stop();
    rmSync(dirname(heapFile), { recursive: true, force: true });
  }
}

/** What bench/gc-on-signal.ts wrote after its collection (it writes the file whole, once). */
async function heapFigures(file: string): Promise<{ used: number; youngSize: number }> {
  for (let attempt = 0; attempt < 100; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as { used: number; youngSize: number };
    } catch {
      // Not written yet.
    }
  }
  throw new Error('the gateway never wrote its heap figures');
}

/** Process start to first answer, gateway (embedded store, a fresh data directory) and floor, the median of five starts each. */
async function startupTimes(upstream: Server): Promise<void> {
  const firstAnswer = async (script: string, env: Record<string, string>, path: string) => {
    const spawned = performance.now();
    const server = await start(script, env);
    const response = await fetch(`${server.url}${path}`, { headers: auth });
    await response.arrayBuffer();
    const ms = performance.now() - spawned;
    await server.stopAndWait();
    return { listening: server.startedInMs, answered: ms };
  };
  const runs = async (script: string, env: () => Record<string, string>, path: string) => {
    const results = [];
    for (let run = 0; run < 5; run++) results.push(await firstAnswer(script, env(), path));
    return { listening: median(results.map((result) => result.listening)), answered: median(results.map((result) => result.answered)) };
  };
  const floor = await runs('bench/floor-proxy.ts', () => ({ UPSTREAM_URL: upstream.url }), '/v1/jobs/live-1');
  const gateway = await runs(GATEWAY_ENTRY, () => benchGatewayEnv(upstream.url), '/v1/models');
  console.log(`\nstart to first answer (median of 5): gateway ${gateway.answered.toFixed(0)} ms (listening after ${gateway.listening.toFixed(0)} ms), floor ${floor.answered.toFixed(0)} ms (${floor.listening.toFixed(0)} ms); ${(gateway.answered / floor.answered).toFixed(2)}x`);
}

/** Exactly `count` requests, 32 at a time. */
async function runLoadCount(origin: string, spec: RequestSpec, count: number): Promise<number> {
  let left = count;
  let done = 0;
  const { Pool } = await import('undici');
  const pool = new Pool(origin, { connections: 32 });
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (left > 0) {
        left -= 1;
        const { body } = await pool.request({ method: spec.method, path: spec.path, headers: spec.headers, body: spec.body });
        await body.dump();
        done += 1;
      }
    }),
  );
  await pool.close();
  return done;
}

/** A gateway process on its own data directory (and a chosen port, when it must know its own address). */
async function startGateway(env: Record<string, string>, port?: number): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'vidgate-bench-'));
  const server = await start(GATEWAY_ENTRY, { VIDGATE_DATA_DIR: dir, ...env, ...(port === undefined ? {} : { PORT: String(port) }) });
  return { ...server, stop: () => (server.stop(), rmSync(dir, { recursive: true, force: true })) };
}

/** A loopback port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}




await main();
