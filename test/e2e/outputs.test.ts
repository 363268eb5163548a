/**
 * Durable outputs (DESIGN §6 "Outputs"), end to end on Node: the gateway as `npm start` runs it
 * (the directory output store in its data directory), the emulators serving the result files, and
 * plain `fetch` as a browser's `<video>` would use the signed links (no Authorization header).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SAMPLE_MP4 } from '../../providers/emulator-kit/index.ts';
import { linkSigner } from '../../src/outputs/links.ts';
import { KEYS, startStack, useStack, type Stack } from '../support/stack.ts';

const kling = { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' };
const SAMPLE_SHA256 = createHash('sha256').update(SAMPLE_MP4).digest('hex');

const stack = useStack({ OUTPUT_COPY_RETRY_SCHEDULE_MS: '50,50' });

async function storedJob(target: Stack = stack) {
  const created = await target.create(kling);
  expect(created.status).toBe(202);
  return target.pollUntilStored(created.body.id);
}

/** A GET without the gateway key, as a `<video>` tag makes it. */
function fetchPublic(url: string, headers: Record<string, string> = {}) {
  return fetch(url, { headers });
}

describe('a completed job', () => {
  it('keeps a copy of its video, with size, digest and a signed gateway link', async () => {
    const job = await storedJob();
    const [video] = job.body.videos;
    expect(video).toEqual({
      url: expect.stringMatching(new RegExp(`^${stack.gateway.url}/outputs/${job.body.id}/0\\?expires=\\d+&signature=[A-Za-z0-9_-]{43}$`)),
      provider_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/files\//),
      content_type: 'video/mp4',
      bytes: SAMPLE_MP4.byteLength,
      sha256: SAMPLE_SHA256,
      storage: 'stored',
    });
    const expires = Number(new URL(video.url).searchParams.get('expires'));
    expect(expires * 1000 - Date.now()).toBeGreaterThan(86_400_000 - 60_000);
    expect(expires * 1000 - Date.now()).toBeLessThanOrEqual(86_400_000);
    // The copy is in the data directory's output store, not only at the provider.
    expect(stack.logs.some((line) => line.includes('"event":"output_stored"') && line.includes(job.body.id))).toBe(true);
  });

  it('serves the signed link without a key: the whole file, then ranges, then not-modified', async () => {
    const job = await storedJob();
    const url: string = job.body.videos[0].url;
    const whole = await fetchPublic(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(whole.headers.get('content-length')).toBe(String(SAMPLE_MP4.byteLength));
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('etag')).toBe(`"${SAMPLE_SHA256}"`);
    expect(new Uint8Array(await whole.arrayBuffer())).toEqual(SAMPLE_MP4);

    const first = await fetchPublic(url, { range: 'bytes=0-99' });
    expect(first.status).toBe(206);
    expect(first.headers.get('content-range')).toBe(`bytes 0-99/${SAMPLE_MP4.byteLength}`);
    expect(first.headers.get('content-length')).toBe('100');
    expect(new Uint8Array(await first.arrayBuffer())).toEqual(SAMPLE_MP4.subarray(0, 100));

    const tail = await fetchPublic(url, { range: 'bytes=-10' });
    expect(tail.status).toBe(206);
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(SAMPLE_MP4.subarray(-10));

    const open = await fetchPublic(url, { range: `bytes=${SAMPLE_MP4.byteLength - 5}-` });
    expect(open.status).toBe(206);
    expect(new Uint8Array(await open.arrayBuffer())).toEqual(SAMPLE_MP4.subarray(-5));

    const past = await fetchPublic(url, { range: `bytes=${SAMPLE_MP4.byteLength}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${SAMPLE_MP4.byteLength}`);
    expect((await past.json()).error.code).toBe('range_not_satisfiable');

    const cached = await fetchPublic(url, { 'if-none-match': `"${SAMPLE_SHA256}"` });
    expect(cached.status).toBe(304);

    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(SAMPLE_MP4.byteLength));
  });

  it('serves the owner the same bytes at /v1/jobs/{id}/content, and nobody else', async () => {
    const job = await storedJob();
    const content = await stack.request('GET', `/v1/jobs/${job.body.id}/content`);
    expect(content.status).toBe(200);
    expect(Buffer.from(content.text, 'latin1').byteLength).toBeGreaterThan(0);
    const raw = await fetch(`${stack.gateway.url}/v1/jobs/${job.body.id}/content?index=0`, { headers: { authorization: `Bearer ${KEYS.gateway}`, range: 'bytes=4-11' } });
    expect(raw.status).toBe(206);
    expect(new TextDecoder().decode(await raw.arrayBuffer())).toBe('ftypisom');
    expect(raw.headers.get('x-request-id')).toMatch(/^req_/);

    const other = await stack.request('GET', `/v1/jobs/${job.body.id}/content`, { headers: { authorization: `Bearer ${KEYS.otherGateway}` } });
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('job_not_found');
    const noKey = await fetch(`${stack.gateway.url}/v1/jobs/${job.body.id}/content`);
    expect(noKey.status).toBe(401);
    const second = await stack.request('GET', `/v1/jobs/${job.body.id}/content?index=1`);
    expect(second.status).toBe(404);
    expect(second.body.error.code).toBe('video_not_found');
    const malformed = await stack.request('GET', `/v1/jobs/${job.body.id}/content?index=first`);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: 'invalid_request', param: 'index' });
  });

  it('answers 409 job_not_completed for a job still in progress', async () => {
    const created = await stack.create(kling);
    const content = await stack.request('GET', `/v1/jobs/${created.body.id}/content`);
    expect(content.status).toBe(409);
    expect(content.body.error.code).toBe('job_not_completed');
  });

  it('refuses tampered links with 403 and expired ones with 410, in the envelope', async () => {
    const job = await storedJob();
    const url = new URL(job.body.videos[0].url);
    const forged = new URL(url);
    forged.searchParams.set('signature', `${url.searchParams.get('signature')!.slice(0, -2)}AA`);
    const later = new URL(url);
    later.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
    const otherIndex = new URL(url.href.replace('/0?', '/1?'));
    const unsigned = new URL(url.origin + url.pathname);
    for (const bad of [forged, later, otherIndex, unsigned]) {
      const response = await fetchPublic(bad.href);
      expect(response.status, bad.href).toBe(403);
      const body = await response.json();
      expect(body.error.code).toBe('invalid_signature');
      expect(body.error.request_id).toMatch(/^req_/);
    }
    // A genuine signature whose time is up.
    const expired = linkSigner({ origin: stack.gateway.url, secret: KEYS.jobSecret, ttlSeconds: 60, now: Date.now() - 120_000 }).sign(job.body.id, 0);
    const gone = await fetchPublic(expired);
    expect(gone.status).toBe(410);
    expect((await gone.json()).error.code).toBe('link_expired');
  });

  it('signs a new link on every read, and its links outlive a restart', async () => {
    const job = await storedJob();
    const before = job.body.videos[0].url as string;
    await stack.restartGateway();
    const again = await stack.poll(job.body.id);
    expect(again.body.videos[0].storage).toBe('stored');
    // The restarted gateway listens elsewhere; the old link's path and query still verify there.
    const moved = new URL(before);
    const response = await fetchPublic(`${stack.gateway.url}${moved.pathname}${moved.search}`);
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(SAMPLE_MP4);
  });
});

describe('copies that cannot be made', () => {
  it('retries a failing download with backoff, then stores it', async () => {
    const krea = stack.emulator('krea').emulator.control;
    let failures = 2;
    krea.files = () => (failures-- > 0 ? new Response('busy', { status: 503 }) : undefined);
    const job = await storedJob();
    expect(job.body.videos[0].storage).toBe('stored');
    expect(krea.fileFetches).toBe(3);
  });

  it('gives up after the retry schedule, says why, and hands out the provider URL', async () => {
    const krea = stack.emulator('krea').emulator.control;
    krea.files = () => new Response('gone', { status: 500 });
    const job = await storedJob();
    const [video] = job.body.videos;
    expect(video.storage).toBe('failed');
    expect(video.storage_error).toMatch(/HTTP 500/);
    expect(video.url).toBe(video.provider_url);
    expect(krea.fileFetches).toBe(3);
  });

  it('refuses a result that is not a video, for good', async () => {
    const krea = stack.emulator('krea').emulator.control;
    krea.files = () => new Response('<html>login</html>', { headers: { 'content-type': 'text/html' } });
    const job = await storedJob();
    expect(job.body.videos[0]).toMatchObject({ storage: 'failed', storage_error: expect.stringMatching(/not a video/) });
    expect(krea.fileFetches).toBe(1);
  });

  it('tells a video by its bytes when the type says nothing', async () => {
    const krea = stack.emulator('krea').emulator.control;
    krea.files = () => new Response(SAMPLE_MP4.slice(), { headers: { 'content-type': 'application/octet-stream' } });
    const job = await storedJob();
    expect(job.body.videos[0]).toMatchObject({ storage: 'stored', content_type: 'video/mp4', sha256: SAMPLE_SHA256 });
  });

  it('does not follow a redirect', async () => {
    const krea = stack.emulator('krea').emulator.control;
    krea.files = () => new Response(null, { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } });
    const job = await storedJob();
    expect(job.body.videos[0]).toMatchObject({ storage: 'failed', storage_error: expect.stringMatching(/redirect/) });
    expect(krea.fileFetches).toBe(1);
  });

  it('streams from the provider while the copy is pending', async () => {
    const krea = stack.emulator('krea').emulator.control;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let copyStarted = false;
    krea.files = async (_name, request) => {
      if (copyStarted || request.headers.get('accept')?.startsWith('video/*') !== true) return undefined;
      copyStarted = true;
      await held;
      return undefined;
    };
    const created = await stack.create(kling);
    let job = await stack.pollUntilTerminal(created.body.id);
    for (let i = 0; i < 100 && !copyStarted; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    job = await stack.poll(created.body.id);
    expect(job.body.videos[0].storage).toBe('pending');
    const proxied = await fetchPublic(job.body.videos[0].url);
    expect(proxied.status).toBe(200);
    expect(new Uint8Array(await proxied.arrayBuffer())).toEqual(SAMPLE_MP4);
    release();
    expect((await stack.pollUntilStored(created.body.id)).body.videos[0].storage).toBe('stored');
  });
});

describe('size cap', () => {
  it('refuses a video over MAX_OUTPUT_BYTES, declared or streamed, and keeps the provider URL', async () => {
    const small = await startStack({ MAX_OUTPUT_BYTES: '1000' });
    try {
      const krea = small.emulator('krea').emulator.control;
      const declared = await storedJob(small);
      expect(declared.body.videos[0]).toMatchObject({ storage: 'failed', storage_error: expect.stringMatching(/MAX_OUTPUT_BYTES/) });
      expect(declared.body.videos[0].url).toBe(declared.body.videos[0].provider_url);
      // No Content-Length: the cap stops the stream.
      krea.files = () => new Response(new ReadableStream({ start(c) { c.enqueue(SAMPLE_MP4.slice()); c.close(); } }), { headers: { 'content-type': 'video/mp4' } });
      const streamed = await storedJob(small);
      expect(streamed.body.videos[0]).toMatchObject({ storage: 'failed', storage_error: expect.stringMatching(/MAX_OUTPUT_BYTES/) });
      // The owner can still download it, from the provider.
      const content = await fetch(`${small.gateway.url}/v1/jobs/${declared.body.id}/content`, { headers: { authorization: `Bearer ${KEYS.gateway}` } });
      expect(content.status).toBe(200);
      expect(new Uint8Array(await content.arrayBuffer())).toEqual(SAMPLE_MP4);
    } finally {
      await small.close();
    }
  });
});

describe('OUTPUT_STORE=none', () => {
  it('hands out the provider URLs, and the content route proxies them', async () => {
    const bare = await startStack({ OUTPUT_STORE: 'none' });
    try {
      const created = await bare.create(kling);
      const job = await bare.pollUntilTerminal(created.body.id);
      expect(job.body.videos).toEqual([{ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/files\//), content_type: 'video/mp4' }]);
      const content = await fetch(`${bare.gateway.url}/v1/jobs/${created.body.id}/content`, { headers: { authorization: `Bearer ${KEYS.gateway}` } });
      expect(content.status).toBe(200);
      expect(new Uint8Array(await content.arrayBuffer())).toEqual(SAMPLE_MP4);
    } finally {
      await bare.close();
    }
  });
});
