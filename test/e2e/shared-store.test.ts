/**
 * Several gateway processes behind one load balancer (DESIGN §6 "Driver and freshness"): two real
 * processes on one real PostgreSQL database share the jobs, the store's lease lets one of them
 * drive a job at a time (one upstream poll per job per interval, not two), and when one is killed
 * the other takes over its jobs within a lease.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../providers/emulator-kit/index.ts';
import { freshDatabase } from '../support/fresh-database.ts';
import { call, eventually, killHard, startCluster, type Cluster } from '../support/process-cluster.ts';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const INTERVAL_MS = 300;
const lifecycle = { POLL_INTERVAL_MS: String(INTERVAL_MS), LEASE_MS: '1500', POLL_FRESHNESS_MS: '3600000' };
const kling = (n: number) => ({ model: 'krea/kling/kling-2.5', prompt: `a lighthouse ${n}` });

/** Krea polls per job, with their arrival times. */
function pollsByJob(requests: RecordedRequest[]): Map<string, number[]> {
  const byJob = new Map<string, number[]>();
  for (const request of requests.filter((candidate) => candidate.kind === 'poll')) {
    const id = request.url.split('/').pop()!;
    byJob.set(id, [...(byJob.get(id) ?? []), request.at]);
  }
  return byJob;
}

describe('two gateways on one PostgreSQL database', () => {
  it('serve each other’s jobs and poll each live job once per interval between them', async () => {
    cluster = await startCluster({ progression: { mode: 'timed', msPerStep: 400 }, store: { DATABASE_URL: await freshDatabase() } });
    const [a, b] = [await cluster.spawn(lifecycle), await cluster.spawn(lifecycle)];
    const ids: string[] = [];
    for (let n = 0; n < 6; n++) ids.push((await call(n % 2 === 0 ? a : b, 'POST', '/v1/jobs', kling(n))).body.id);
    for (const id of ids) {
      // Each job is read from the other instance than the one that created it.
      const reader = ids.indexOf(id) % 2 === 0 ? b : a;
      const done = await eventually(async () => ((await call(reader, 'GET', `/v1/jobs/${id}`)).body.status === 'completed' ? true : undefined));
      expect(done).toBe(true);
    }
    const byJob = pollsByJob(cluster.emulators.krea!.emulator.control.requests);
    expect(byJob.size).toBe(6);
    for (const [job, times] of byJob) {
      const gaps = times.slice(1).map((time, index) => time - times[index]!);
      // Two drivers polling the same job would put some polls next to each other.
      expect(Math.min(...gaps), job).toBeGreaterThanOrEqual(INTERVAL_MS / 2);
      expect(times.length, job).toBeLessThanOrEqual(Math.ceil((times.at(-1)! - times[0]!) / INTERVAL_MS) + 2);
    }
    expect(cluster.emulators.krea!.emulator.control.requests.filter((request) => request.kind === 'create')).toHaveLength(6);
  });

  it('leave no job behind when one of them is killed', async () => {
    cluster = await startCluster({ progression: { mode: 'timed', msPerStep: 300 }, store: { DATABASE_URL: await freshDatabase() } });
    const [a, b] = [await cluster.spawn(lifecycle), await cluster.spawn(lifecycle)];
    const ids: string[] = [];
    for (let n = 0; n < 4; n++) ids.push((await call(a, 'POST', '/v1/jobs', kling(n))).body.id);
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
    await killHard(a);
    for (const id of ids) {
      const job = await eventually(async () => {
        const answer = await call(b, 'GET', `/v1/jobs/${id}`);
        return answer.body.status === 'completed' ? answer.body : undefined;
      });
      expect(job.id).toBe(id);
    }
  });
});
