/**
 * The output steps of the driver on the in-memory stores, with a clock the tests move: copies at
 * completion, retention, the held `job.completed` released at its deadline while a copy is still
 * streaming, deletion of a job and its copies, and a copy that finishes after its job was deleted.
 */
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { SAMPLE_MP4 } from '../../../providers/emulator-kit/index.ts';
import { providers } from '../../../providers/index.ts';
import { createGateway, type Gateway } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config.ts';
import { driveJob } from '../../../src/jobs/driver.ts';
import { deleteJob } from '../../../src/jobs/delete.ts';
import type { JobRecord, ScannableJobStore } from '../../../src/jobs/store/job-store.ts';
import { memoryJobStore } from '../../../src/jobs/store/memory-job-store.ts';
import { nodeSha256 } from '../../../src/node/sha256.ts';
import { memoryOutputStore } from '../../../src/outputs/memory-output-store.ts';
import { emulatorEnv, emulatorNetwork, type EmulatorNetwork } from '../../support/emulator-network.ts';

const KEY = 'outputs-gateway-key';
const OWNER = createHash('sha256').update(KEY).digest('hex');
const DAY = 86_400_000;
let network: EmulatorNetwork;
let clock: number;
let store: ScannableJobStore;
let outputs: ReturnType<typeof memoryOutputStore>;

function gateway(env: Record<string, string> = {}): Gateway {
  const config = loadConfig({ GATEWAY_API_KEYS: KEY, JOB_ID_SECRET: 'outputs-job-id-secret-01', POLL_FRESHNESS_MS: '0', POLL_INTERVAL_MS: '3600000', ...emulatorEnv(), ...env }, providers);
  return createGateway({ config, providers, store, fetch: network.fetch, now: () => clock, sleep: async () => {}, instanceId: 'instance-a', outputs: { store: outputs, sha256: nodeSha256, fetch: network.fetch } });
}

async function request(g: Gateway, method: string, path: string, body?: unknown) {
  const response = await g.app.request(`https://gw.example${path}`, { method, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

/** Polls the emulated job to completion (one status per poll). */
async function completed(g: Gateway, body: Record<string, unknown> = {}): Promise<string> {
  const { body: job } = await request(g, 'POST', '/v1/jobs', { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse', ...body });
  for (let i = 0; i < 10; i++) if ((await request(g, 'GET', `/v1/jobs/${job.id}`)).body.status === 'completed') return job.id;
  throw new Error('the job did not complete');
}

/** Runs the driver step on the job, as the scanning driver does once it is due. */
async function drive(g: Gateway, id: string): Promise<JobRecord> {
  const leased = await store.acquireLease(id, 'instance-a', clock, 30_000);
  await driveJob(g.lifecycle, leased!);
  return (await store.get(id))!;
}

beforeEach(async () => {
  network = await emulatorNetwork();
  clock = Date.parse('2026-12-01T10:00:00Z');
  store = memoryJobStore();
  outputs = memoryOutputStore();
});

describe('the driver with an output store', () => {
  it('marks the videos pending at completion and makes the job due, then copies them', async () => {
    const g = gateway();
    const id = await completed(g);
    const pending = (await store.get(id))!;
    expect(pending.videos[0]).toMatchObject({ storage: 'pending' });
    expect(pending.nextPollAt).toBe(clock);
    const done = await drive(g, id);
    expect(done.videos[0]).toMatchObject({ storage: 'stored', bytes: SAMPLE_MP4.byteLength, sha256: createHash('sha256').update(SAMPLE_MP4).digest('hex'), stored_at: clock });
    expect(done.nextPollAt).toBeNull();
    expect(done.leaseHolder).toBeNull();
    expect(outputs.keys()).toEqual([`${id}/0`]);
  });

  it('deletes copies past OUTPUT_RETENTION_DAYS and marks them expired', async () => {
    const g = gateway({ OUTPUT_RETENTION_DAYS: '2' });
    const id = await completed(g);
    const stored = await drive(g, id);
    expect(stored.nextPollAt).toBe(clock + 2 * DAY);
    clock += 2 * DAY - 1;
    expect((await drive(g, id)).videos[0]).toMatchObject({ storage: 'stored' });
    clock += 1;
    const expired = await drive(g, id);
    expect(expired.videos[0]).toMatchObject({ storage: 'expired' });
    expect(expired.nextPollAt).toBeNull();
    expect(outputs.keys()).toEqual([]);
    const shown = await request(g, 'GET', `/v1/jobs/${id}`);
    expect(shown.body.videos[0]).toMatchObject({ storage: 'expired', url: shown.body.videos[0].provider_url });
    const content = await g.app.request(`https://gw.example/v1/jobs/${id}/content`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(content.status).toBe(404);
    expect(((await content.json()) as any).error.code).toBe('video_not_found');
  });

  it('sends a held job.completed at its deadline although the copy is still streaming', async () => {
    const g = gateway({ WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', OUTPUT_WEBHOOK_WAIT_MS: '50' });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    network.emulators.krea!.control.files = async () => {
      await held;
      return undefined;
    };
    const id = await completed(g, { webhook_url: 'https://hooks.example.com/v' });
    expect(await store.listDeliveries(id)).toEqual([]);
    const leased = await store.acquireLease(id, 'instance-a', clock, 30_000);
    const driving = driveJob(g.lifecycle, leased!);
    clock += 50;
    for (let i = 0; i < 100 && (await store.listDeliveries(id)).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    const [delivery] = await store.listDeliveries(id);
    expect(delivery).toMatchObject({ event: 'job.completed' });
    expect(JSON.parse(delivery!.payload).data.videos[0]).toMatchObject({ storage: 'pending', url: expect.stringContaining(`https://gw.example/outputs/${id}/0?`) });
    release();
    await driving;
    expect((await store.get(id))!.videos[0]).toMatchObject({ storage: 'stored' });
    expect(await store.listDeliveries(id)).toHaveLength(1);
  });

  it('deletes a job with its copies, and a copy that lands after the delete is removed', async () => {
    const g = gateway();
    const id = await completed(g);
    await drive(g, id);
    await deleteJob(g.lifecycle, id, OWNER);
    expect(await store.get(id)).toBeUndefined();
    expect(outputs.keys()).toEqual([]);

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    network.emulators.krea!.control.files = async () => {
      await held;
      return undefined;
    };
    const late = await completed(g);
    const leased = await store.acquireLease(late, 'instance-a', clock, 30_000);
    const driving = driveJob(g.lifecycle, leased!);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await deleteJob(g.lifecycle, late, OWNER);
    release();
    await driving;
    expect(await store.get(late)).toBeUndefined();
    expect(outputs.keys()).toEqual([]);
  });
});
