/**
 * The job lifecycle on the in-memory store, with a clock the tests move: freshness, shared
 * refreshes, the backoff schedule, the driver's settling of interrupted creates and vanished jobs,
 * and two instances sharing one store.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { providers } from '../../../providers/index.ts';
import { createGateway, type Gateway } from '../../../src/app.ts';
import { loadConfig, type LifecycleSettings } from '../../../src/config.ts';
import { driveJob } from '../../../src/jobs/driver.ts';
import { nextPollInterval } from '../../../src/jobs/schedule.ts';
import type { JobStore, ScannableJobStore } from '../../../src/jobs/store/job-store.ts';
import { memoryJobStore } from '../../../src/jobs/store/memory-job-store.ts';
import { emulatorEnv, emulatorNetwork, type EmulatorNetwork } from '../../support/emulator-network.ts';

const KEY = 'lifecycle-gateway-key';
let network: EmulatorNetwork;
let clock: number;
let store: ScannableJobStore;

function gateway(env: Record<string, string> = {}, instanceId = 'instance-a'): Gateway {
  const config = loadConfig({ GATEWAY_API_KEYS: KEY, JOB_ID_SECRET: 'lifecycle-job-id-secret-01', ...emulatorEnv(), ...env }, providers);
  return createGateway({ config, providers, store, fetch: network.fetch, now: () => clock, sleep: async () => {}, instanceId });
}

async function request(g: Gateway, method: string, path: string, body?: unknown) {
  const response = await g.app.request(path, { method, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

const kreaPolls = () => network.emulators.krea!.control.requests.filter((call) => call.kind === 'poll').length;
const kling = { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' };

beforeEach(async () => {
  network = await emulatorNetwork();
  clock = Date.parse('2026-12-01T10:00:00Z');
  store = memoryJobStore();
});

describe('reading a live job', () => {
  it('answers from the store while the state is fresher than POLL_FRESHNESS_MS, then refreshes once', async () => {
    const g = gateway({ POLL_FRESHNESS_MS: '2000', POLL_INTERVAL_MS: '3600000' });
    const { body: job } = await request(g, 'POST', '/v1/jobs', kling);
    clock += 1_999;
    await request(g, 'GET', `/v1/jobs/${job.id}`);
    expect(kreaPolls()).toBe(0);
    clock += 1;
    const refreshed = await request(g, 'GET', `/v1/jobs/${job.id}`);
    expect(kreaPolls()).toBe(1);
    expect(refreshed.body.status).toBe('queued');
    await request(g, 'GET', `/v1/jobs/${job.id}`);
    expect(kreaPolls()).toBe(1);
  });

  it('shares one refresh among concurrent readers', async () => {
    const g = gateway({ POLL_FRESHNESS_MS: '0', POLL_INTERVAL_MS: '3600000' });
    const { body: job } = await request(g, 'POST', '/v1/jobs', kling);
    // A provider that takes a moment, so that every reader arrives while the one refresh is in flight.
    network.emulators.krea!.control.faults.add({ on: 'poll', fault: { kind: 'delay', ms: 100 } });
    const answers = await Promise.all(Array.from({ length: 50 }, () => request(g, 'GET', `/v1/jobs/${job.id}`)));
    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([200]));
    expect(kreaPolls()).toBe(1);
  });

  it('does not poll a job another instance is polling: it answers with that instance’s write', async () => {
    const a = gateway({ POLL_FRESHNESS_MS: '1000', POLL_INTERVAL_MS: '3600000' }, 'instance-a');
    const b = gateway({ POLL_FRESHNESS_MS: '1000', POLL_INTERVAL_MS: '3600000' }, 'instance-b');
    const { body: job } = await request(a, 'POST', '/v1/jobs', kling);
    clock += 5_000;
    const leased = (await store.acquireLease(job.id, 'instance-a', clock, 30_000))!;
    const reading = request(b, 'GET', `/v1/jobs/${job.id}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await store.replace({ ...leased, status: 'in_progress', progress: 40, observedAt: clock, leaseHolder: null, leaseUntil: 0 });
    const answer = await reading;
    expect(answer.body).toMatchObject({ status: 'in_progress', progress: 40 });
    expect(kreaPolls()).toBe(0);
  });
});

describe('reading a finished job', () => {
  it('answers from memory within the freshness window, and from the store after it', async () => {
    let reads = 0;
    const base = store;
    store = { ...base, get: async (id) => ((reads += 1), base.get(id)) };
    const g = gateway({ POLL_FRESHNESS_MS: '2000', POLL_INTERVAL_MS: '3600000' });
    const { body: job } = await request(g, 'POST', '/v1/jobs', kling);
    await request(g, 'POST', `/v1/jobs/${job.id}/cancel`);
    reads = 0;
    await request(g, 'GET', `/v1/jobs/${job.id}`);
    await request(g, 'GET', `/v1/jobs/${job.id}`);
    expect(reads).toBe(1);
    clock += 2_000;
    await request(g, 'GET', `/v1/jobs/${job.id}`);
    expect(reads).toBe(2);
  });
});

describe('the polling schedule', () => {
  const lifecycle: LifecycleSettings = { fixedPollIntervalMs: undefined, maxPollIntervalMs: 30_000, freshnessMs: 2_000, leaseMs: 30_000 };

  it('starts at the provider’s interval, backs off by half while nothing changes, up to 30 s, and starts over on a change', () => {
    const seen: number[] = [];
    let interval: number | null = null;
    for (let i = 0; i < 8; i++) seen.push((interval = nextPollInterval(interval, false, 5_000, lifecycle)));
    expect(seen).toEqual([5_000, 7_500, 11_250, 16_875, 25_313, 30_000, 30_000, 30_000]);
    expect(nextPollInterval(30_000, true, 5_000, lifecycle)).toBe(5_000);
  });

  it('uses one fixed interval without backoff when POLL_INTERVAL_MS is set', () => {
    expect(nextPollInterval(100, false, 5_000, { ...lifecycle, fixedPollIntervalMs: 100 })).toBe(100);
  });

  it('schedules each provider on its own interval and the routing configuration’s override', async () => {
    const g = gateway({ VIDGATE_CONFIG: JSON.stringify({ providers: { aimlapi: { poll_interval_ms: 12_000 } } }) });
    const krea = await request(g, 'POST', '/v1/jobs', kling);
    const aimlapi = await request(g, 'POST', '/v1/jobs', { model: 'aimlapi/krea/krea-wan-14b/text-to-video', prompt: 'x' });
    expect((await store.get(krea.body.id))!.nextPollAt).toBe(clock + 5_000);
    expect((await store.get(aimlapi.body.id))!.nextPollAt).toBe(clock + 12_000);
  });
});

describe('the driver', () => {
  async function due(holder = 'instance-a') {
    return store.claimDue(holder, clock, 30_000, 100);
  }

  it('polls a due job with no one asking, and schedules the next poll', async () => {
    const g = gateway({ POLL_INTERVAL_MS: '1000' });
    const { body: job } = await request(g, 'POST', '/v1/jobs', kling);
    clock += 1_000;
    const [leased] = await due();
    await driveJob(g.lifecycle, leased!);
    expect(kreaPolls()).toBe(1);
    expect(await store.get(job.id)).toMatchObject({ leaseHolder: null, nextPollAt: clock + 1_000, observedAt: clock });
  });

  it('settles a create whose instance died as submission_outcome_unknown, and never calls the provider for it', async () => {
    const g = gateway();
    const { body: job } = await request(g, 'POST', '/v1/jobs', kling);
    const record = (await store.get(job.id))!;
    await store.replace({ ...record, operation: null, leaseHolder: 'a-dead-instance', leaseUntil: clock + 30_000, nextPollAt: clock + 30_000 });
    network.reset();
    clock += 29_999;
    expect(await due()).toEqual([]);
    clock += 1;
    const [leased] = await due();
    await driveJob(g.lifecycle, leased!);
    expect(await store.get(job.id)).toMatchObject({ status: 'failed', error: { code: 'submission_outcome_unknown' }, nextPollAt: null });
    expect(network.emulators.krea!.control.requests).toEqual([]);
  });

  it('ends a job its provider no longer knows as failed', async () => {
    const g = gateway({ POLL_INTERVAL_MS: '1000' });
    const { body: job } = await request(g, 'POST', '/v1/jobs', kling);
    network.emulators.krea!.control.faults.add({ on: 'poll', fault: { kind: 'status', status: 404, body: { error: 'The job was not found' } } });
    clock += 1_000;
    await driveJob(g.lifecycle, (await due())[0]!);
    expect(await store.get(job.id)).toMatchObject({ status: 'failed', error: { code: 'provider_job_not_found' }, nextPollAt: null });
  });

  it('backs off after a failed poll and keeps the job', async () => {
    const g = gateway();
    const { body: job } = await request(g, 'POST', '/v1/jobs', kling);
    network.emulators.krea!.control.faults.add({ on: 'poll', fault: { kind: 'status', status: 503 }, times: 0 });
    clock += 5_000;
    await driveJob(g.lifecycle, (await due())[0]!);
    expect(await store.get(job.id)).toMatchObject({ status: 'queued', leaseHolder: null, nextPollAt: clock + 7_500, extra: { last_poll_error: { code: 'provider_unavailable' } } });
  });
});

describe('a store that fails', () => {
  it('makes a create a 503 store_unavailable with no provider call', async () => {
    const failing = { ...memoryJobStore(), create: async () => { throw new Error('disk full'); } } as JobStore;
    const config = loadConfig({ GATEWAY_API_KEYS: KEY, JOB_ID_SECRET: 'lifecycle-job-id-secret-01', ...emulatorEnv() }, providers);
    const g = createGateway({ config, providers, store: failing, fetch: network.fetch, sleep: async () => {} });
    const answer = await request(g, 'POST', '/v1/jobs', kling);
    expect(answer.status).toBe(503);
    expect(answer.body.error.code).toBe('store_unavailable');
    expect(network.emulators.krea!.control.requests).toEqual([]);
  });
});
