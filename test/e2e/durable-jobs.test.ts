/**
 * Nothing is lost on a crash (DESIGN §6 "Store"): real gateway processes on one embedded SQLite
 * store, killed with SIGKILL. A create interrupted after its record was written becomes
 * `submission_outcome_unknown` after a restart and is never sent again; a job interrupted at any
 * other point is driven to the end by the next process, with no client asking.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { call, eventually, killHard, startCluster, type Cluster } from '../support/process-cluster.ts';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const creates = (c: Cluster) => c.emulators.krea!.emulator.control.requests.filter((request) => request.kind === 'create').length;
const polls = (c: Cluster) => c.emulators.krea!.emulator.control.requests.filter((request) => request.kind === 'poll').length;
const kling = { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' };

describe('a gateway killed mid-create', () => {
  it('leaves a record that the restarted gateway settles as submission_outcome_unknown, without resubmitting', async () => {
    cluster = await startCluster({ progression: { mode: 'per-poll' } });
    const lifecycle = { LEASE_MS: '1000', POLL_INTERVAL_MS: '100' };
    const first = await cluster.spawn(lifecycle);
    cluster.emulators.krea!.emulator.control.faults.add({ on: 'create', fault: { kind: 'hang' } });
    const pending = call(first, 'POST', '/v1/jobs', kling).catch(() => 'connection lost');
    await eventually(() => creates(cluster!) === 1 || undefined);
    await killHard(first);
    expect(await pending).toBe('connection lost');

    const second = await cluster.spawn(lifecycle);
    const settled = await eventually(async () => {
      const listed = await call(second, 'GET', '/v1/jobs');
      const [job] = listed.body.data;
      return job?.status === 'failed' ? job : undefined;
    });
    expect(settled).toMatchObject({ status: 'failed', provider: 'krea', error: { code: 'submission_outcome_unknown' } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(creates(cluster)).toBe(1);
  });
});

describe('a gateway killed while a job runs', () => {
  it('loses nothing: the next gateway drives the job to the end on its own', async () => {
    cluster = await startCluster({ progression: { mode: 'timed', msPerStep: 150 } });
    // Reads never refresh here, so only the driver can move the job on.
    const lifecycle = { LEASE_MS: '1000', POLL_INTERVAL_MS: '100', POLL_FRESHNESS_MS: '3600000' };
    const first = await cluster.spawn(lifecycle);
    const created = await call(first, 'POST', '/v1/jobs', { ...kling, metadata: { order: '7' } });
    expect(created.status).toBe(202);
    await killHard(first);
    const pollsBefore = polls(cluster);

    const second = await cluster.spawn(lifecycle);
    const done = await eventually(async () => {
      const job = await call(second, 'GET', `/v1/jobs/${created.body.id}`);
      return job.body.status === 'completed' ? job.body : undefined;
    });
    expect(done).toMatchObject({ id: created.body.id, metadata: { order: '7' }, videos: [expect.objectContaining({ url: expect.any(String) })] });
    expect(polls(cluster)).toBeGreaterThan(pollsBefore);
    expect(creates(cluster)).toBe(1);
  });
});
