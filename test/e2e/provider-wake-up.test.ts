/**
 * Krea's own webhooks as a wake-up (DESIGN §6): with `PUBLIC_URL` set, every Krea create carries
 * `X-Webhook-URL` with a per-job unguessable path; Krea's (unsigned) call there makes the gateway
 * read the job from Krea at once. Here the driver's interval is an hour and reads never refresh,
 * so only the wake-up can move a job on. The emulator runs on its own clock and calls back when a
 * job ends, as Krea does.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { providers } from '../../providers/index.ts';
import { startEmulator, type RunningEmulator } from '../../src/node/sandbox.ts';
import { startGateway, type RunningGateway } from '../../src/node/start.ts';
import { wakeUpToken } from '../../src/jobs/wake-up.ts';
import { testProviderKey } from '../support/emulator-network.ts';
import { closedPort } from '../support/stack.ts';
import { startWebhookReceiver, TEST_WEBHOOK_SECRET, type WebhookReceiver } from '../support/webhook-receiver.ts';

const KEY = 'wake-up-gateway-key';
const JOB_ID_SECRET = 'wake-up-job-id-secret-0123456789';
const MS_PER_STEP = 60;
let krea: RunningEmulator;
let gateway: RunningGateway;
let receiver: WebhookReceiver;
let publicUrl: string;

const kreaProvider = providers.find((provider) => provider.name === 'krea')!;
const kreaCalls = (kind: 'create' | 'poll') => krea.emulator.control.requests.filter((request) => request.kind === kind).length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startWith(overrides: Record<string, string | undefined>): Promise<RunningGateway> {
  const port = await closedPort();
  publicUrl = `http://127.0.0.1:${port}`;
  return startGateway({
    providers,
    port,
    log: () => {},
    env: {
      GATEWAY_API_KEYS: KEY,
      JOB_ID_SECRET,
      [kreaProvider.env.apiKey]: testProviderKey('krea'),
      [kreaProvider.env.baseUrl]: krea.url,
      VIDGATE_DATA_DIR: mkdtempSync(join(tmpdir(), 'vidgate-wake-')),
      POLL_INTERVAL_MS: '3600000',
      POLL_FRESHNESS_MS: '3600000',
      WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
      PUBLIC_URL: publicUrl,
      ...overrides,
    },
  });
}

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(gateway.url + path, {
    method,
    headers: { authorization: `Bearer ${KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function until<T>(check: () => Promise<T | undefined>, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

beforeAll(async () => {
  krea = await startEmulator(kreaProvider, { apiKey: testProviderKey('krea'), progression: { mode: 'timed', msPerStep: MS_PER_STEP } });
  receiver = await startWebhookReceiver();
  gateway = await startWith({});
});
afterAll(async () => {
  await gateway.close();
  await krea.close();
  await receiver.close();
});
beforeEach(() => {
  krea.emulator.control.reset();
  receiver.received.length = 0;
});

describe('with PUBLIC_URL set', () => {
  it('gives Krea a per-job wake-up URL under PUBLIC_URL', async () => {
    const created = await api('POST', '/v1/jobs', { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' });
    const [callback] = await until(async () => (krea.emulator.control.callbacks.length > 0 ? krea.emulator.control.callbacks : undefined));
    expect(callback!.url).toMatch(new RegExp(`^${publicUrl}/webhooks/krea/${created.body.id}/[A-Za-z0-9_-]{40,}$`));
    // Let the wake-up's read land here rather than in the next test's counts.
    await until(async () => ((await api('GET', `/v1/jobs/${created.body.id}`)).body.status === 'completed' ? true : undefined));
  });

  it('reads the job from Krea as soon as Krea calls, so completion arrives long before the next poll', async () => {
    const created = await api('POST', '/v1/jobs', { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse', webhook_url: `${receiver.url}/done` });
    const done = await until(async () => {
      const job = await api('GET', `/v1/jobs/${created.body.id}`);
      return job.body.status === 'completed' ? job.body : undefined;
    });
    // One read, the wake-up's: the driver's next poll is an hour away and reads never refresh here.
    const kreaJob = krea.emulator.control.callbacks.find((callback) => callback.url.includes(created.body.id))!.job_id;
    expect(krea.emulator.control.requests.filter((request) => request.kind === 'poll' && request.url === `/jobs/${kreaJob}`)).toHaveLength(1);
    const [webhook] = await receiver.waitFor(1);
    expect(webhook!.payload).toMatchObject({ type: 'job.completed', data: { id: done.id, status: 'completed' } });
  });

  it('answers a wrong or foreign token with 404 and calls no provider', async () => {
    const created = await api('POST', '/v1/jobs', { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' });
    const other = await api('POST', '/v1/jobs', { model: 'krea/kling/kling-2.5', prompt: 'a second lighthouse' });
    const [ownPath, otherPath] = await until(async () => {
      const urls = krea.emulator.control.callbacks.map((callback) => callback.url);
      return urls.length === 2 ? urls : undefined;
    });
    // Both jobs are over (Krea called, the gateway read them); from here on, count again.
    for (const job of [created, other]) await until(async () => ((await api('GET', `/v1/jobs/${job.body.id}`)).body.status === 'completed' ? true : undefined));
    krea.emulator.control.requests.length = 0;
    const otherToken = otherPath!.split('/').pop()!;
    const wrong = [
      `/webhooks/krea/${created.body.id}/not-the-token`,
      `/webhooks/krea/${created.body.id}/${otherToken}`,
      `/webhooks/aimlapi/${created.body.id}/${otherToken}`,
      `/webhooks/nope/${created.body.id}/${otherToken}`,
      `/webhooks/krea/job_unknown/${otherToken}`,
    ];
    for (const path of wrong) {
      const answer = await fetch(gateway.url + path, { method: 'POST', body: '{"status":"completed"}' });
      expect(answer.status, path).toBe(404);
    }
    // Replayed once the job is over: nothing left to wake.
    const replay = await fetch(ownPath!, { method: 'POST', body: '{}' });
    expect(replay.status).toBe(404);
    expect(kreaCalls('poll')).toBe(0);
  });

  it('never trusts the payload: a call for a running job only makes the gateway ask Krea', async () => {
    const created = await api('POST', '/v1/jobs', { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse [backlog]' });
    const token = await wakeUpToken(JOB_ID_SECRET, 'krea', created.body.id);
    const forged = { job_id: 'whatever', status: 'completed', result: { urls: ['https://evil.example/x.mp4'] } };
    const answer = await fetch(`${gateway.url}/webhooks/krea/${created.body.id}/${token}`, { method: 'POST', body: JSON.stringify(forged) });
    expect(answer.status).toBe(204);
    await until(async () => (kreaCalls('poll') >= 1 ? true : undefined));
    // The gateway's state is what Krea answered (still running, unless Krea itself finished meanwhile), never the payload's.
    const job = await api('GET', `/v1/jobs/${created.body.id}`);
    if (job.body.status === 'completed') expect(job.body.videos[0].url).toMatch(new RegExp(`^${krea.url}/files/`));
    else expect(['queued', 'in_progress']).toContain(job.body.status);
    expect(JSON.stringify(job.body)).not.toContain('evil.example');
  });
});

describe('without PUBLIC_URL', () => {
  it('gives Krea no webhook URL', async () => {
    await gateway.close();
    gateway = await startWith({ PUBLIC_URL: undefined });
    // Earlier tests' jobs may still call back; let them, then start counting.
    await sleep(10 * MS_PER_STEP);
    krea.emulator.control.reset();
    try {
      await api('POST', '/v1/jobs', { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' });
      await sleep(10 * MS_PER_STEP);
      expect(kreaCalls('create')).toBe(1);
      expect(krea.emulator.control.callbacks).toEqual([]);
    } finally {
      await gateway.close();
      gateway = await startWith({});
    }
  });
});
