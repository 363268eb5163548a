/** The load generator's side of the bench: concurrent requests for a while, latencies, and a process's CPU time. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  failures: number;
}

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** The status a success answers with. */
  expect: number;
}

/** Sends `spec()` with `concurrency` requests in flight for `ms`, and times each. */
export async function runLoad(origin: string, spec: () => RequestSpec, concurrency: number, ms: number): Promise<LoadResult> {
  const pool = new Pool(origin, { connections: concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + ms;
  const worker = async () => {
    while (performance.now() < deadline) {
      const request = spec();
      const sent = performance.now();
      const { statusCode, body } = await pool.request({ method: request.method, path: request.path, headers: request.headers, body: request.body });
      await body.dump();
      latencies.push(performance.now() - sent);
      if (statusCode !== request.expect) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, seconds, rps: latencies.length / seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), failures };
}

/** The middle value (the upper one of an even count): the bench's figure of several runs or rounds. */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function percentile(sorted: number[], share: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))]!;
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User plus system CPU time of a process so far, in microseconds (Linux `/proc/<pid>/stat`). */
export function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // After "pid (comm) ": state is field 3; utime and stime are fields 14 and 15.
  return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1_000_000;
}

/** Resident set size of a process, in bytes. */
export function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((candidate) => candidate.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
}
