/**
 * The bench's outputs figures (the gateway's own copy of each video):
 *
 * 1. Copying a large result (200 MB): a Krea job of the instant upstream whose result is a file on
 *    that upstream; from the job's completion until `videos[0].storage` is `stored`, the gateway's
 *    RSS sampled meanwhile, beside the floor: the same file fetched into a file stream by a minimal
 *    Node process (bench/fetch-to-file.ts).
 * 2. Serving the stored copy, whole and by random 1 MiB ranges, through the signed link, beside a
 *    plain static file server on the very same file (bench/static-files.ts), rounds alternating.
 *
 * MB here is 2^20 bytes. Prints figures and ratios; asserts nothing beyond the copy being whole.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { cpuMicros, median, rssBytes } from './load.ts';
import { GATEWAY_ENTRY } from './servers.ts';

export interface OutputsServer {
  url: string;
  pid: number;
  stop(): void;
}

export interface OutputsDeps {
  /** Starts a server script (pinned like the others) and resolves once it listens. */
  start(script: string, env: Record<string, string>): Promise<OutputsServer>;
  /** The instant upstream (bench/instant-upstream.ts): Krea's routes and the large files. */
  upstream: OutputsServer;
  /** Whether servers run on CPU 1 (`taskset`); the copy floor then runs there too. */
  pinned: boolean;
  rounds: number;
  roundMs: number;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KEY = 'bench-gateway-key-0001';
const auth = { authorization: `Bearer ${KEY}` };
const MB = 1024 * 1024;
const COPY_BYTES = Number(process.env.BENCH_OUTPUT_MB ?? 200) * MB;
const RANGE_BYTES = MB;
const POLL_MS = 20;
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => (bytes / MB).toFixed(1);

interface Video {
  url: string;
  storage?: string;
  storage_error?: string;
  bytes?: number;
  sha256?: string;
}

interface GatewayCopy {
  id: string;
  video: Video;
  /** When the gateway first answered the job as completed, when the provider's file was asked for, when the job first read as stored. */
  completedAt: number;
  requestedAt: number;
  storedAt: number;
  idleRss: number;
  peakRss: number;
  /** The kernel's peak RSS over the copy (VmHWM after a reset), when it can be reset. */
  hwm: number | undefined;
  cpuMs: number;
  upstreamCpuMs: number;
}

interface FloorCopy {
  bytes: number;
  ms: number;
  /** Of `ms`, the final fsync. */
  syncMs: number;
  idleRss: number;
  peakRss: number;
  cpuMs: number;
  upstreamCpuMs: number;
}

export async function outputsFigures(deps: OutputsDeps): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vidgate-bench-outputs-'));
  const gateway = await deps.start(GATEWAY_ENTRY, {
    GATEWAY_API_KEYS: KEY, JOB_ID_SECRET: 'bench-job-id-secret-0123456789', KREA_API_KEY: 'upstream-key', KREA_BASE_URL: deps.upstream.url,
    VIDGATE_DATA_DIR: dir, POLL_FRESHNESS_MS: '0',
  });
  const servers: OutputsServer[] = [gateway];
  try {
    const copies = await copyFigures(deps, gateway, dir);
    const first = copies[0]!;
    const stored = join(dir, 'outputs', first.id, '0');
    const floor = await deps.start('bench/static-files.ts', { FILE: stored, CONTENT_TYPE: 'video/mp4' });
    servers.push(floor);
    await servingFigures(deps, gateway, floor, first);
  } finally {
    for (const server of servers) server.stop();
    await sleep(200);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function copyFigures(deps: OutputsDeps, gateway: OutputsServer, dir: string): Promise<GatewayCopy[]> {
  console.log(`\noutputs: copying a ${mb(COPY_BYTES)} MB result (${COPY_BYTES.toLocaleString('en')} bytes, video/mp4 with Content-Length, from the instant upstream), ${deps.rounds} rounds, floor and gateway alternating:`);
  const floors: FloorCopy[] = [];
  const gateways: GatewayCopy[] = [];
  for (let round = 0; round < deps.rounds; round++) {
    floors.push(await floorCopy(deps, join(dir, `floor-${round}.mp4`)));
    gateways.push(await gatewayCopy(deps, gateway));
  }
  const whole = gateways.filter((copy) => copy.video.bytes === COPY_BYTES);
  if (whole.length !== gateways.length) console.log(`  (${gateways.length - whole.length} copies stored a size other than ${COPY_BYTES} bytes: ${gateways.map((copy) => copy.video.bytes).join(', ')})`);
  const verified = (await sha256Of(join(dir, 'outputs', gateways[0]!.id, '0'))) === gateways[0]!.video.sha256;
  const rate = (ms: number) => COPY_BYTES / MB / (ms / 1000);
  const floorMs = floors.map((copy) => copy.ms);
  const fetchedMs = gateways.map((copy) => copy.storedAt - copy.requestedAt);
  const completedMs = gateways.map((copy) => copy.storedAt - copy.completedAt);
  const rates = (values: number[]) => values.map((ms) => rate(ms).toFixed(0)).join(', ');
  console.log('who                                          | MB/s (median) |     ms | CPU ms | upstream CPU ms | MB/s per round   | vs floor (MB/s)');
  const line = (who: string, values: number[], cpu: number[], upstreamCpu: number[], ratio: string) =>
    console.log(`${who.padEnd(44)} | ${rate(median(values)).toFixed(0).padStart(13)} | ${median(values).toFixed(0).padStart(6)} | ${median(cpu).toFixed(0).padStart(6)} | ${median(upstreamCpu).toFixed(0).padStart(15)} | ${rates(values).padEnd(16)} | ${ratio}`);
  const floorRate = rate(median(floorMs));
  const gatewayCpu = gateways.map((copy) => copy.cpuMs);
  const gatewayUpstreamCpu = gateways.map((copy) => copy.upstreamCpuMs);
  line('floor: fetch → file stream, fsync', floorMs, floors.map((copy) => copy.cpuMs), floors.map((copy) => copy.upstreamCpuMs), '');
  line('gateway: provider file requested → stored', fetchedMs, gatewayCpu, gatewayUpstreamCpu, `${(rate(median(fetchedMs)) / floorRate).toFixed(2)}x`);
  line('gateway: job completed → storage \'stored\'', completedMs, gatewayCpu, gatewayUpstreamCpu, `${(rate(median(completedMs)) / floorRate).toFixed(2)}x`);
  console.log(`  gateway times: the job read every ${POLL_MS} ms; "completed →" also waits for the driver's next scan (every 250 ms). Floor's fsync: ${median(floors.map((copy) => copy.syncMs)).toFixed(0)} ms (median).`);
  console.log('  CPU ms: the copying process (the gateway from its create to stored, polls included); the upstream, the copier and the static floor share CPU 1.');
  const growth = gateways.map((copy) => copy.peakRss - copy.idleRss);
  const perRound = gateways.map((copy) => `${mb(copy.idleRss)} → ${mb(copy.peakRss)} (+${mb(copy.peakRss - copy.idleRss)}${copy.hwm === undefined ? '' : `, VmHWM ${mb(copy.hwm)}`})`).join('; ');
  console.log(`gateway RSS MB during each copy, idle → peak sampled every ${POLL_MS} ms: ${perRound}`);
  console.log(`gateway RSS growth over idle: largest +${mb(Math.max(...growth))} MB (target: below 100 MB); floor process ${mb(median(floors.map((copy) => copy.idleRss)))} → ${mb(median(floors.map((copy) => copy.peakRss)))} MB (maxRSS)`);
  console.log(`stored copies: ${whole.length}/${gateways.length} of ${COPY_BYTES} bytes; the first one's SHA-256 ${verified ? 'matches' : 'DOES NOT match'} the file on disk`);
  return gateways;
}

/** One job with a large result: created, read every 20 ms until its copy is stored, the gateway's RSS sampled meanwhile. */
async function gatewayCopy(deps: OutputsDeps, gateway: OutputsServer): Promise<GatewayCopy> {
  const idleRss = rssBytes(gateway.pid);
  const canReset = resetPeak(gateway.pid);
  const cpuBefore = cpuMicros(gateway.pid);
  const upstreamBefore = cpuMicros(deps.upstream.pid);
  let peakRss = idleRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssBytes(gateway.pid))), POLL_MS);
  try {
    const created = await fetch(`${gateway.url}/v1/jobs`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'krea/kling/kling-2.5', prompt: `a lighthouse [big:${COPY_BYTES}]` }) });
    if (created.status !== 202) throw new Error(`create answered ${created.status}: ${await created.text()}`);
    const { id } = (await created.json()) as { id: string };
    let completedAt: number | undefined;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const response = await fetch(`${gateway.url}/v1/jobs/${id}`, { headers: auth });
      const at = now();
      const job = (await response.json()) as { status: string; videos?: Video[] };
      const video = job.videos?.[0];
      if (job.status === 'completed') completedAt ??= at;
      if (video?.storage === 'stored') {
        clearInterval(sampler);
        peakRss = Math.max(peakRss, rssBytes(gateway.pid));
        const cpuMs = (cpuMicros(gateway.pid) - cpuBefore) / 1000;
        const upstreamCpuMs = (cpuMicros(deps.upstream.pid) - upstreamBefore) / 1000;
        const file = (await upstreamFiles(deps.upstream)).at(-1)!;
        return { id, video, completedAt: completedAt!, requestedAt: file.requestedAt, storedAt: at, idleRss, peakRss, hwm: canReset ? peakOf(gateway.pid) : undefined, cpuMs, upstreamCpuMs };
      }
      if (video?.storage === 'failed' || (job.status !== 'completed' && job.status !== 'queued' && job.status !== 'in_progress')) {
        throw new Error(`the large job ended ${job.status}, copy ${video?.storage}: ${video?.storage_error ?? ''}`);
      }
      if (Date.now() > deadline) throw new Error(`the copy was not stored within 120 s (job ${job.status}, copy ${video?.storage})`);
      await sleep(POLL_MS);
    }
  } finally {
    clearInterval(sampler);
  }
}

async function upstreamFiles(upstream: OutputsServer): Promise<{ bytes: number; requestedAt: number; sentAt: number | null }[]> {
  const stats = (await (await fetch(`${upstream.url}/__stats`)).json()) as { files: { bytes: number; requestedAt: number; sentAt: number | null }[] };
  return stats.files;
}

/** The same file fetched by bench/fetch-to-file.ts, a process of its own on the servers' core. */
async function floorCopy(deps: OutputsDeps, out: string): Promise<FloorCopy> {
  const command = deps.pinned ? 'taskset' : process.execPath;
  const script = join(ROOT, 'bench/fetch-to-file.ts');
  const args = deps.pinned ? ['-c', '1', process.execPath, script] : [script];
  const child = spawn(command, args, { cwd: ROOT, env: { PATH: process.env.PATH, URL: `${deps.upstream.url}/files/big-${COPY_BYTES}.mp4`, OUT: out }, stdio: ['ignore', 'pipe', 'pipe'] });
  const upstreamBefore = cpuMicros(deps.upstream.pid);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const upstreamCpuMs = (cpuMicros(deps.upstream.pid) - upstreamBefore) / 1000;
  rmSync(out, { force: true });
  if (code !== 0) throw new Error(`fetch-to-file exited with ${code}:\n${output}`);
  const result = JSON.parse(output.trim().split('\n').at(-1)!) as Omit<FloorCopy, 'upstreamCpuMs'>;
  if (result.bytes !== COPY_BYTES) throw new Error(`the floor fetched ${result.bytes} bytes, not ${COPY_BYTES}`);
  return { ...result, upstreamCpuMs };
}

/** Resets the kernel's peak RSS of a process (`/proc/<pid>/clear_refs`, 5); false where that is not allowed. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

function peakOf(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((candidate) => candidate.startsWith('VmHWM:'));
    return line ? Number(line.split(/\s+/)[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

interface Transfers {
  requests: number;
  bytes: number;
  seconds: number;
  latencies: number[];
  failures: number;
  /** The server's CPU time, and the load generator's (this process), in µs. */
  serverCpu: number;
  clientCpu: number;
}

interface Mode {
  name: string;
  concurrency: number;
  /** The range to ask for, or none for the whole file. */
  range(): { offset: number; length: number } | undefined;
}

/** The stored copy served by the gateway (its signed link) and by the static floor, whole and by ranges, rounds alternating. */
async function servingFigures(deps: OutputsDeps, gateway: OutputsServer, floor: OutputsServer, copy: GatewayCopy): Promise<void> {
  const size = copy.video.bytes!;
  const signed = new URL(copy.video.url);
  const gatewayPath = `${signed.pathname}${signed.search}`;
  const modes: Mode[] = [
    { name: 'whole file, 4 concurrent', concurrency: 4, range: () => undefined },
    { name: '1 MiB random ranges, 16 concurrent', concurrency: 16, range: () => ({ offset: Math.floor(Math.random() * (size - RANGE_BYTES + 1)), length: RANGE_BYTES }) },
  ];
  console.log(`
outputs: serving the stored ${mb(size)} MB copy, ${deps.rounds} interleaved rounds of ${deps.roundMs} ms per row; gateway: the signed link (no auth), floor: node:http + fs.createReadStream on the same file`);
  console.log('what                               |     who |    MB/s |  req/s | p50 ms | p99 ms | server CPU ms/GB | client CPU | vs floor (MB/s, CPU/GB)');
  for (const mode of modes) {
    await transfers(gateway.url, gatewayPath, mode, size, 500, gateway.pid);
    await transfers(floor.url, '/video.mp4', mode, size, 500, floor.pid);
    const totals = { gateway: [] as Transfers[], floor: [] as Transfers[] };
    for (let round = 0; round < deps.rounds; round++) {
      totals.floor.push(await transfers(floor.url, '/video.mp4', mode, size, deps.roundMs, floor.pid));
      totals.gateway.push(await transfers(gateway.url, gatewayPath, mode, size, deps.roundMs, gateway.pid));
    }
    const [g, f] = [summary(totals.gateway), summary(totals.floor)];
    console.log(servingRow(mode.name, 'floor', f, ''));
    console.log(servingRow('', 'gateway', g, `${(g.mbps / f.mbps).toFixed(2)}x, ${(g.cpuPerGb / f.cpuPerGb).toFixed(2)}x`));
  }
}

function summary(rounds: Transfers[]) {
  const sum = (pick: (round: Transfers) => number) => rounds.reduce((total, round) => total + pick(round), 0);
  const seconds = sum((round) => round.seconds);
  const bytes = sum((round) => round.bytes);
  const latencies = rounds.flatMap((round) => round.latencies).sort((a, b) => a - b);
  const at = (share: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * share))] ?? 0;
  return {
    mbps: bytes / MB / seconds,
    rps: sum((round) => round.requests) / seconds,
    p50: at(0.5),
    p99: at(0.99),
    cpuPerGb: sum((round) => round.serverCpu) / 1000 / (bytes / (1024 * MB)),
    clientShare: sum((round) => round.clientCpu) / 1e6 / seconds,
    failures: sum((round) => round.failures),
  };
}

function servingRow(name: string, who: string, figures: ReturnType<typeof summary>, ratio: string): string {
  const failed = figures.failures > 0 ? `  (${figures.failures} unexpected answers)` : '';
  return `${name.padEnd(34)} | ${who.padStart(7)} | ${figures.mbps.toFixed(0).padStart(7)} | ${figures.rps.toFixed(0).padStart(6)} | ${figures.p50.toFixed(1).padStart(6)} | ${figures.p99.toFixed(1).padStart(6)} | ${figures.cpuPerGb.toFixed(0).padStart(16)} | ${`${(figures.clientShare * 100).toFixed(0)}%`.padStart(10)} | ${ratio}${failed}`;
}

/** One GET whose body is counted as it arrives and dropped (a raw dispatch: no stream per response, so the load generator stays cheap). */
function countedGet(pool: Pool, path: string, headers: Record<string, string>): Promise<{ statusCode: number; got: number }> {
  return new Promise((resolve, reject) => {
    let statusCode = 0;
    let got = 0;
    pool.dispatch({ method: 'GET', path, headers }, {
      onRequestStart: () => {},
      onResponseStart: (_controller, status) => void (statusCode = status),
      onResponseData: (_controller, chunk) => void (got += chunk.byteLength),
      onResponseEnd: () => resolve({ statusCode, got }),
      onResponseError: (_controller, error) => reject(error),
    });
  });
}

/** `mode.concurrency` GETs in flight for `ms`, each body read to its end and counted; a request must answer the status and length its range asks for. */
async function transfers(origin: string, path: string, mode: Mode, size: number, ms: number, serverPid: number): Promise<Transfers> {
  const pool = new Pool(origin, { connections: mode.concurrency, pipelining: 1, keepAliveTimeout: 60_000, bodyTimeout: 60_000 });
  const latencies: number[] = [];
  let bytes = 0;
  let failures = 0;
  const serverBefore = cpuMicros(serverPid);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + ms;
  const worker = async () => {
    while (performance.now() < deadline) {
      const range = mode.range();
      const sent = performance.now();
      const { statusCode, got } = await countedGet(pool, path, range ? { range: `bytes=${range.offset}-${range.offset + range.length - 1}` } : {});
      latencies.push(performance.now() - sent);
      bytes += got;
      if (statusCode !== (range ? 206 : 200) || got !== (range ? range.length : size)) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: mode.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const client = process.cpuUsage(clientBefore);
  const serverCpu = cpuMicros(serverPid) - serverBefore;
  await pool.close();
  return { requests: latencies.length, bytes, seconds, latencies, failures, serverCpu, clientCpu: client.user + client.system };
}
