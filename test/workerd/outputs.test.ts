/**
 * Durable outputs on Workers: the job's Durable Object alarm copies the video into the R2 bucket
 * bound as `VIDEOS` (wrangler.toml), a held `job.completed` carries the durable link, and the
 * signed link serves the copy from R2 with ranges, without a key.
 */
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SAMPLE_MP4 } from '../../providers/emulator-kit/index.ts';
import type { WorkerBindings } from '../../src/worker/bindings.ts';
import { createWorker } from '../../src/worker/create-worker.ts';
import { webhookInbox, type WebhookInbox } from '../support/webhook-inbox.ts';
import { TEST_WEBHOOK_SECRET_TEXT } from '../support/webhook-secret.ts';
import { WORKERD_TEST_BINDINGS } from './support/bindings.ts';
import { runAlarms } from './support/alarms.ts';
import { GATEWAY_ORIGIN, requester, WORKER_ASSETS } from './support/gateway.ts';
import { stubProviders, type ProviderStub } from './support/provider-stub.ts';

interface R2ObjectBodyLike {
  size: number;
  httpMetadata?: { contentType?: string };
  arrayBuffer(): Promise<ArrayBuffer>;
}
const videos = env.VIDEOS as { get(key: string): Promise<R2ObjectBodyLike | null> };

let stub: ProviderStub;
let inbox: WebhookInbox;
let worker: ReturnType<typeof createWorker>;
let extraBindings: Record<string, unknown> = {};
beforeAll(async () => {
  inbox = webhookInbox(TEST_WEBHOOK_SECRET_TEXT);
  stub = await stubProviders({
    [inbox.origin]: (request) => inbox.handle(request),
    [GATEWAY_ORIGIN]: async (request) => worker.fetch(request, bindings()),
  });
});
beforeEach(() => {
  stub.reset();
  inbox.received.length = 0;
  extraBindings = {};
});
afterEach(() => {
  expect(stub.unexpected).toEqual([]);
});
// Not restored: jobs' Durable Object alarms (copies of their videos, webhook retries) go on after the
// last test, and must keep reaching the emulators rather than the real (closed) network.

const bindings = (): WorkerBindings => ({
  ...WORKERD_TEST_BINDINGS,
  JOBS: env.JOBS,
  JOB_OWNERS: env.JOB_OWNERS, ASSETS: WORKER_ASSETS,
  VIDEOS: env.VIDEOS,
  WEBHOOK_SECRET: TEST_WEBHOOK_SECRET_TEXT,
  POLL_INTERVAL_MS: '1',
  POLL_FRESHNESS_MS: '3600000',
  ...extraBindings,
});

function isolate(extra: Record<string, unknown> = {}) {
  extraBindings = extra;
  worker = createWorker({ log: () => {} });
  const fetcher = (request: Request) => worker.fetch(request, bindings());
  return { fetch: fetcher, request: requester(fetcher) };
}

const kling = { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' };


async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes.slice()));
  return [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

describe('outputs on Workers', () => {
  it('copies the video into R2 and serves it by its signed link, with ranges', async () => {
    const gateway = isolate();
    const created = await gateway.request('POST', '/v1/jobs', { body: kling });
    await runAlarms(created.body.id);
    const job = (await gateway.request('GET', `/v1/jobs/${created.body.id}`)).body;
    expect(job.videos[0]).toEqual({
      url: expect.stringMatching(new RegExp(`^${GATEWAY_ORIGIN}/outputs/${job.id}/0\\?expires=\\d+&signature=[\\w-]+$`)),
      provider_url: expect.stringMatching(/^https:\/\/krea\.emulator\.test\/files\//),
      content_type: 'video/mp4',
      bytes: SAMPLE_MP4.byteLength,
      sha256: await sha256Hex(SAMPLE_MP4),
      storage: 'stored',
    });
    const object = await videos.get(`${job.id}/0`);
    expect(object?.size).toBe(SAMPLE_MP4.byteLength);
    expect(object?.httpMetadata?.contentType).toBe('video/mp4');
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(SAMPLE_MP4);

    const fileFetches = stub.emulators.krea!.control.fileFetches;
    const whole = await gateway.fetch(new Request(job.videos[0].url));
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(new Uint8Array(await whole.arrayBuffer())).toEqual(SAMPLE_MP4);
    const range = await gateway.fetch(new Request(job.videos[0].url, { headers: { range: 'bytes=100-199' } }));
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toBe(`bytes 100-199/${SAMPLE_MP4.byteLength}`);
    expect(new Uint8Array(await range.arrayBuffer())).toEqual(SAMPLE_MP4.subarray(100, 200));
    // Served from R2, not from the provider.
    expect(stub.emulators.krea!.control.fileFetches).toBe(fileFetches);

    // Its first character changed to another one (always a change, whatever the signature starts with).
    const forged = await gateway.fetch(new Request(job.videos[0].url.replace(/signature=(.)/, (_match: string, first: string) => `signature=${first === 'x' ? 'y' : 'x'}`)));
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('invalid_signature');
  });

  it('holds job.completed until the copy is stored, so the webhook carries the durable link', async () => {
    const gateway = isolate();
    const created = await gateway.request('POST', '/v1/jobs', { body: { ...kling, webhook_url: `${inbox.origin}/hooks` } });
    await runAlarms(created.body.id);
    expect(inbox.received).toHaveLength(1);
    const [call] = inbox.received;
    expect(call!.verified).toBe(true);
    expect(call!.payload!.type).toBe('job.completed');
    expect(call!.payload!.data.videos[0]).toMatchObject({ storage: 'stored', url: expect.stringContaining(`${GATEWAY_ORIGIN}/outputs/${created.body.id}/0?`) });
  });

  it('makes no copies with OUTPUT_STORE=none', async () => {
    const gateway = isolate({ OUTPUT_STORE: 'none' });
    const created = await gateway.request('POST', '/v1/jobs', { body: kling });
    await runAlarms(created.body.id);
    const job = (await gateway.request('GET', `/v1/jobs/${created.body.id}`)).body;
    expect(job.videos).toEqual([{ url: expect.stringMatching(/^https:\/\/krea\.emulator\.test\/files\//), content_type: 'video/mp4' }]);
    expect(await videos.get(`${job.id}/0`)).toBeNull();
  });

  it('refuses an S3 URL in OUTPUT_STORE: on Workers copies go to the VIDEOS bucket', async () => {
    const gateway = isolate({ OUTPUT_STORE: 's3://bucket/prefix' });
    const answer = await gateway.request('GET', '/v1/models');
    expect(answer.status).toBe(500);
    expect(answer.body.error.code).toBe('configuration_error');
  });
});
