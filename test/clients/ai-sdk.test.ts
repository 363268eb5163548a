/**
 * The Vercel AI SDK provider (`vidgate/ai-sdk`, the built package as a user installs it) driven by
 * the `ai` package's `experimental_generateVideo`, against a live gateway and the emulators over
 * loopback. The gateway's background driver moves jobs here (every 20 ms), and reads answer from
 * the store, so the provider's `Prefer: wait` long-polls are what sees a job finish.
 */
import { createHash } from 'node:crypto';
import { APICallError, InvalidArgumentError, type Experimental_VideoModelV4OperationWebhook as OperationWebhook } from '@ai-sdk/provider';
import { experimental_generateVideo as generateVideo } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVidgate, vidgate as vidgateFromEnv, VidgateJobError } from 'vidgate/ai-sdk';
import { callsOf, KEYS, useStack } from '../support/stack.ts';
import { startWebhookReceiver, TEST_WEBHOOK_SECRET, type WebhookReceiver } from '../support/webhook-receiver.ts';

// The SDK logs every warning to the console; the tests read them from the result.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const stack = useStack({ POLL_INTERVAL_MS: '20', POLL_FRESHNESS_MS: '60000', WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, ALLOWED_PRIVATE_HOSTS: '127.0.0.1' });
const vidgate = (apiKey: string = KEYS.gateway, fetch?: typeof globalThis.fetch) => createVidgate({ baseURL: stack.gateway.url, apiKey, ...(fetch ? { fetch } : {}) });

/** A 1×1 PNG. */
const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAHnOEDgAAAABJRU5ErkJggg==', 'base64'));

let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(() => receiver.close());
beforeEach(() => {
  receiver.received.length = 0;
});

/** The job as the gateway stored it, from the listing (what a client of the gateway sees). */
async function storedJob(id: string): Promise<any> {
  const listing = await stack.request('GET', '/v1/jobs?limit=100');
  const job = listing.body.data.find((each: { id: string }) => each.id === id);
  if (!job) throw new Error(`job ${id} is not in the listing`);
  return job;
}

async function contentOf(id: string, index = 0): Promise<Uint8Array> {
  const response = await fetch(`${stack.gateway.url}/v1/jobs/${id}/content?index=${index}`, { headers: { authorization: `Bearer ${KEYS.gateway}` } });
  expect(response.status).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

function isMp4(bytes: Uint8Array): boolean {
  return bytes.byteLength > 8 && Buffer.from(bytes.subarray(4, 8)).toString('latin1') === 'ftyp';
}

async function jobCount(): Promise<number> {
  return (await stack.request('GET', '/v1/jobs?limit=100')).body.data.length;
}

function jobIdOf(result: { providerMetadata: Record<string, any> }): string {
  return result.providerMetadata.vidgate.jobId;
}

describe('experimental_generateVideo with a vidgate model', () => {
  it('returns the video bytes of the content route, for a job made with the call\'s duration and aspect ratio', async () => {
    const result = await generateVideo({ model: vidgate().video('kling-2.5'), prompt: 'a red fox running through snow', duration: 10, aspectRatio: '9:16' });
    const id = jobIdOf(result);
    expect(isMp4(result.video.uint8Array)).toBe(true);
    expect(result.video.mediaType).toBe('video/mp4');
    expect(Buffer.from(result.video.uint8Array).equals(Buffer.from(await contentOf(id)))).toBe(true);
    const job = await storedJob(id);
    expect(job).toMatchObject({ status: 'completed', model: 'kling-2.5', provider: 'krea', input: { prompt: 'a red fox running through snow', duration: 10, aspect_ratio: '9:16' } });
    expect(result.responses[0]!.modelId).toBe('krea/kling/kling-2.5');
    expect(result.providerMetadata.vidgate).toMatchObject({ jobId: id, provider: 'krea', providerModel: 'kling/kling-2.5', videos: [{ jobId: id, index: 0, contentType: 'video/mp4' }] });
  });

  it('surfaces the job\'s warnings as AI SDK warnings, with the gateway\'s message', async () => {
    // wan-14b counts length in frames: 5 s becomes 78 frames = 4.875 s, which the job says in a warning.
    const result = await generateVideo({ model: vidgate().video('wan-14b'), prompt: 'a lighthouse', duration: 5 });
    const job = await storedJob(jobIdOf(result));
    expect(job.input.duration).toBe(4.875);
    const [adjusted] = job.warnings;
    expect(adjusted).toMatchObject({ code: 'duration_adjusted', field: 'duration', requested: 5, applied: 4.875 });
    expect(result.warnings).toContainEqual({ type: 'unsupported', feature: 'duration', details: adjusted.message });
    expect(result.providerMetadata.vidgate!.warnings).toEqual(job.warnings);
  });

  it('warns about the options the gateway has no field for, and maps a WxH resolution onto its named one', async () => {
    const result = await generateVideo({ model: vidgate().video('veo-3.1'), prompt: 'a lighthouse', resolution: '3840x2160', fps: 30 });
    expect((await storedJob(jobIdOf(result))).input.resolution).toBe('4k');
    expect(result.warnings).toContainEqual(expect.objectContaining({ type: 'unsupported', feature: 'fps' }));

    const unnamed = await generateVideo({ model: vidgate().video('veo-3.1'), prompt: 'a lighthouse', resolution: '1000x1000' });
    expect(unnamed.warnings).toContainEqual(expect.objectContaining({ type: 'unsupported', feature: 'resolution' }));
    // Not sent, so the model's default applies.
    expect((await storedJob(jobIdOf(unnamed))).input.resolution).toBe('720p');
  });

  it('makes one job per video when n is 2', async () => {
    const result = await generateVideo({ model: vidgate().video('kling-2.5'), prompt: 'two foxes', n: 2 });
    expect(result.videos).toHaveLength(2);
    const ids: string[] = (result.providerMetadata as any).vidgate.videos.map((video: { jobId: string }) => video.jobId);
    expect(new Set(ids).size).toBe(2);
    for (const [index, id] of ids.entries()) expect(Buffer.from(result.videos[index]!.uint8Array).equals(Buffer.from(await contentOf(id)))).toBe(true);
  });
});

describe('provider options', () => {
  it('pass the gateway\'s own fields through to the job', async () => {
    const result = await generateVideo({
      model: vidgate().video('kling-2.5'),
      prompt: 'a lighthouse',
      providerOptions: { vidgate: { provider: 'krea', mode: 'pro', metadata: { order: '42' }, provider_options: { krea: { start_video: 'https://example.com/in.mp4' } } } },
    });
    const job = await storedJob(jobIdOf(result));
    expect(job).toMatchObject({ provider: 'krea', metadata: { order: '42' }, input: { mode: 'pro', provider_options: { krea: { start_video: 'https://example.com/in.mp4' } } } });
    expect(callsOf(stack.emulator('krea'), 'create')[0]!.body).toMatchObject({ start_video: 'https://example.com/in.mp4' });
  });

  it('are checked by the gateway, which names a field it does not know', async () => {
    const error = await generateVideo({ model: vidgate().video('kling-2.5'), prompt: 'a lighthouse', providerOptions: { vidgate: { colour: 'red' } } }).catch((caught) => caught);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 400, data: { error: { code: 'unknown_parameter', param: 'colour' } } });
  });

  it('of the wrong type are refused before anything is sent', async () => {
    const before = await jobCount();
    const error = await generateVideo({ model: vidgate().video('kling-2.5'), prompt: 'a lighthouse', providerOptions: { vidgate: { metadata: { order: 42 } } } }).catch((caught) => caught);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(await jobCount()).toBe(before);
  });
});

describe('images', () => {
  it('sends an inline image as the start_image data: URI, which the gateway hands Krea as an uploaded asset', async () => {
    const result = await generateVideo({ model: vidgate().video('kling-2.5'), prompt: { text: 'the fox wakes up', image: PNG } });
    const job = await storedJob(jobIdOf(result));
    // The job echoes an inline image by its digest; the provider got the image itself, uploaded.
    expect(job.input.start_image).toBe(`data:image/png;sha256=${createHash('sha256').update(PNG).digest('hex')}`);
    const krea = stack.emulator('krea');
    expect(callsOf(krea, 'upload')).toHaveLength(1);
    const asset = (callsOf(krea, 'create')[0]!.body as { start_image: string }).start_image;
    expect(new Uint8Array(await (await fetch(asset)).arrayBuffer())).toEqual(new Uint8Array(PNG));
  });

  it('sends image URLs as given: the first frame as start_image, the last as end_image', async () => {
    const result = await generateVideo({
      model: vidgate().video('kling-2.5'),
      prompt: 'the fox runs from one frame to the other',
      frameImages: [
        { image: 'https://example.com/first.png', frameType: 'first_frame' },
        { image: 'https://example.com/last.png', frameType: 'last_frame' },
      ],
    });
    expect((await storedJob(jobIdOf(result))).input).toMatchObject({ start_image: 'https://example.com/first.png', end_image: 'https://example.com/last.png' });
  });
});

describe('the webhook and poll options', () => {
  it('give the job the webhook URL, and the SDK reads the job when the gateway\'s signed job.completed arrives', async () => {
    const url = `${receiver.url}/hooks/ai-sdk`;
    const webhook = async () => ({
      url,
      received: receiver.waitFor(1).then(([call]): OperationWebhook => ({ headers: { 'webhook-id': call!.id }, body: call!.payload as any })),
    });
    const result = await generateVideo({ model: vidgate().video('kling-2.5'), prompt: 'a lighthouse at dusk', webhook });
    const id = jobIdOf(result);
    expect(Buffer.from(result.video.uint8Array).equals(Buffer.from(await contentOf(id)))).toBe(true);
    expect(receiver.unique().map((call) => [call.payload!.type, call.payload!.data.id, call.path])).toEqual([['job.completed', id, '/hooks/ai-sdk']]);
    const deliveries = await stack.request('GET', `/v1/jobs/${id}/webhook-deliveries`);
    expect(deliveries.body.data).toMatchObject([{ event: 'job.completed', url }]);
  });

  it('with poll, the SDK drives the job itself through doStart and doStatus', async () => {
    const result = await generateVideo({ model: vidgate().video('kling-2.5'), prompt: 'a lighthouse', duration: 5, poll: { intervalMs: 20 } });
    const id = jobIdOf(result);
    expect(Buffer.from(result.video.uint8Array).equals(Buffer.from(await contentOf(id)))).toBe(true);
    expect(await storedJob(id)).toMatchObject({ status: 'completed', input: { duration: 5 } });
  });
});

describe('errors', () => {
  it('a wrong gateway key is the AI SDK\'s APICallError with status 401', async () => {
    const error = await generateVideo({ model: vidgate('not-a-gateway-key').video('kling-2.5'), prompt: 'a lighthouse' }).catch((caught) => caught);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 401, isRetryable: false, data: { error: { code: 'invalid_api_key' } } });
  });

  it('a request the gateway refuses carries the gateway\'s message and code', async () => {
    const refused = await stack.create({ model: 'no-such-model', prompt: 'a lighthouse' });
    const error = await generateVideo({ model: vidgate().video('no-such-model'), prompt: 'a lighthouse' }).catch((caught) => caught);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 422, message: refused.body.error.message, data: { error: { code: 'unknown_model' } } });
  });

  it('a failed job is a VidgateJobError with the job\'s error code and message', async () => {
    const error = await generateVideo({ model: vidgate().video('kling-2.5'), prompt: 'a lighthouse [fail]' }).catch((caught) => caught);
    expect(VidgateJobError.isInstance(error)).toBe(true);
    const job = await storedJob(error.jobId);
    expect(job.status).toBe('failed');
    expect(error).toMatchObject({ status: 'failed', code: job.error.code });
    expect(error.message).toContain(job.error.message);
  });

  it('a job not done within pollTimeoutMs is a VidgateJobError naming it (the client settings are not sent to the gateway)', async () => {
    stack.emulator('krea').emulator.control.faults.add({ on: 'poll', fault: { kind: 'hang' }, times: 0 });
    const error = await generateVideo({ model: vidgate().video('kling-2.5'), prompt: 'a slow lighthouse', providerOptions: { vidgate: { pollTimeoutMs: 1, waitSeconds: 1 } } }).catch((caught) => caught);
    expect(VidgateJobError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'wait_timeout' });
    expect(['queued', 'in_progress']).toContain((await storedJob(error.jobId)).status);
  });

  it('abortSignal stops the wait; the job itself goes on at the gateway', async () => {
    // The provider never answers a poll, so the job stays unfinished while the SDK waits.
    stack.emulator('krea').emulator.control.faults.add({ on: 'poll', fault: { kind: 'hang' }, times: 0 });
    const controller = new AbortController();
    let waiting!: (id: string) => void;
    const waitedOn = new Promise<string>((resolve) => (waiting = resolve));
    const watchingFetch: typeof fetch = (input, init) => {
      const prefer = new Headers(init?.headers).get('prefer');
      if (prefer?.startsWith('wait=')) waiting(/\/v1\/jobs\/([^/?]+)/.exec(String(input))![1]!);
      return fetch(input, init);
    };
    const generating = generateVideo({ model: vidgate(KEYS.gateway, watchingFetch).video('kling-2.5'), prompt: 'a slow lighthouse', abortSignal: controller.signal });
    const id = await waitedOn;
    controller.abort();
    await expect(generating).rejects.toMatchObject({ name: 'AbortError' });
    expect(['queued', 'in_progress']).toContain((await storedJob(id)).status);
  });
});

describe('settings', () => {
  it('come from VIDGATE_URL and VIDGATE_API_KEY when not given, and the URL may end in a slash', async () => {
    const saved = { url: process.env.VIDGATE_URL, key: process.env.VIDGATE_API_KEY };
    Object.assign(process.env, { VIDGATE_URL: `${stack.gateway.url}/`, VIDGATE_API_KEY: KEYS.gateway });
    try {
      const result = await generateVideo({ model: vidgateFromEnv.video('kling-2.5'), prompt: 'a lighthouse' });
      expect(isMp4(result.video.uint8Array)).toBe(true);
    } finally {
      for (const [name, value] of [['VIDGATE_URL', saved.url], ['VIDGATE_API_KEY', saved.key]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

/** A fetch that lets the gateway answer, but shows the client `replace(request, answer)` instead when it returns one. */
function interceptingFetch(replace: (request: Request, answer: Response) => Response | undefined) {
  const requests: Request[] = [];
  const intercepting: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    requests.push(request.clone());
    const answer = await fetch(request);
    return replace(request, answer) ?? answer;
  };
  return { fetch: intercepting, requests };
}

const storeUnavailable = () => new Response(JSON.stringify({ error: { code: 'store_unavailable', message: 'The job store is unavailable.' } }), { status: 503, headers: { 'content-type': 'application/json' } });

describe('retries never make a second job', () => {
  it('a read of the job that fails is retried, without creating the job again', async () => {
    let failed = false;
    const client = interceptingFetch((request) => {
      if (failed || !request.headers.get('prefer')) return undefined;
      failed = true;
      return storeUnavailable();
    });
    const before = await jobCount();
    const result = await generateVideo({ model: vidgate(KEYS.gateway, client.fetch).video('kling-2.5'), prompt: 'a lighthouse' });
    expect(failed).toBe(true);
    expect(isMp4(result.video.uint8Array)).toBe(true);
    expect(client.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
    expect(await jobCount()).toBe(before + 1);
  });

  it('a create the SDK retries carries the same Idempotency-Key, so the gateway answers with the first job', async () => {
    // The gateway creates the job, but the client sees a 503 and the SDK retries the call.
    let failed = false;
    const client = interceptingFetch((request) => {
      if (failed || request.method !== 'POST') return undefined;
      failed = true;
      return storeUnavailable();
    });
    const before = await jobCount();
    const result = await generateVideo({ model: vidgate(KEYS.gateway, client.fetch).video('kling-2.5'), prompt: 'a lighthouse' });
    const creates = client.requests.filter((request) => request.method === 'POST');
    expect(creates).toHaveLength(2);
    const [first, second] = creates.map((request) => request.headers.get('idempotency-key'));
    expect(first).toMatch(/^aisdk_/);
    expect(second).toBe(first);
    expect(await jobCount()).toBe(before + 1);
    expect((await storedJob(jobIdOf(result))).status).toBe('completed');
  });
});
