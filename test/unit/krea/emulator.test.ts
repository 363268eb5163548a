import { describe, expect, it } from 'vitest';
import { createEmulator, createKreaEmulator } from '../../../providers/krea/emulator.ts';
import type { Emulator, EmulatorOptions } from '../../../providers/emulator-kit/index.ts';

const ORIGIN = 'http://emulator.test';
const AUTH = { authorization: 'Bearer test-key' };

type Json = Record<string, any>;

function call(emulator: Emulator, method: string, path: string, body?: unknown, headers: Record<string, string> = AUTH) {
  const init: RequestInit = { method, headers: { ...headers, 'content-type': 'application/json' } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  return emulator.app.fetch(new Request(`${ORIGIN}${path}`, init));
}

async function create(emulator: Emulator, prompt: string, model = 'kling/kling-2.5'): Promise<Json> {
  const response = await call(emulator, 'POST', `/generate/video/${model}`, { prompt });
  expect(response.status).toBe(200);
  return (await response.json()) as Json;
}

async function poll(emulator: Emulator, jobId: string): Promise<Json> {
  const response = await call(emulator, 'GET', `/jobs/${jobId}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Json;
}

/** Polls until a terminal (or unknown) status and returns every poll. */
async function walk(emulator: Emulator, jobId: string): Promise<Json[]> {
  const seen: Json[] = [];
  for (let i = 0; i < 20; i++) {
    const job = await poll(emulator, jobId);
    seen.push(job);
    if (['completed', 'failed', 'cancelled', 'exploded'].includes(job.status)) return seen;
  }
  throw new Error('job never finished');
}

function emulator(options?: EmulatorOptions): Emulator {
  return createKreaEmulator(options);
}

describe('Krea emulator: requests', () => {
  it('exports createEmulator as the conventional alias', () => {
    expect(createEmulator).toBe(createKreaEmulator);
  });

  it('refuses a request without a bearer token with 401 and Krea’s message', async () => {
    const response = await call(emulator(), 'POST', '/generate/video/kling/kling-2.5', { prompt: 'a cat' }, {});
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'You are not authenticated' });
  });

  it('refuses a wrong token when an API key is configured', async () => {
    const strict = emulator({ apiKey: 'right' });
    const response = await call(strict, 'GET', '/jobs/whatever', undefined, { authorization: 'Bearer wrong' });
    expect(response.status).toBe(401);
  });

  it('answers a create with a queued job and no result yet', async () => {
    const job = await create(emulator(), 'a cat');
    expect(job).toEqual({
      job_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'queued',
      created_at: expect.any(String),
      completed_at: null,
      result: null,
    });
  });

  it('rejects an unknown field with 400 naming it', async () => {
    const response = await call(emulator(), 'POST', '/generate/video/kling/kling-2.5', { prompt: 'a cat', negative_prompt: 'dogs' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as Json;
    expect(body.error).toMatch(/^The request body is invalid: /);
    expect(body.error).toContain('negative_prompt');
  });

  it('rejects a value the route does not allow, naming the field', async () => {
    const response = await call(emulator(), 'POST', '/generate/video/kling/kling-2.5', { prompt: 'a cat', duration: 7 });
    expect(response.status).toBe(400);
    expect(((await response.json()) as Json).error).toContain('duration');
  });

  it('rejects a body that is not a JSON object', async () => {
    const response = await call(emulator(), 'POST', '/generate/video/kling/kling-2.5', 'not json');
    expect(response.status).toBe(400);
    expect(((await response.json()) as Json).error).toMatch(/^The request body is invalid/);
  });

  it('answers 404 with an error body for an unknown model route and an unknown path', async () => {
    const unknownModel = await call(emulator(), 'POST', '/generate/video/kling/kling-9', { prompt: 'a cat' });
    expect(unknownModel.status).toBe(404);
    expect(await unknownModel.json()).toEqual({ error: expect.any(String) });
    const unknownPath = await call(emulator(), 'GET', '/nothing/here');
    expect(unknownPath.status).toBe(404);
    expect(await unknownPath.json()).toEqual({ error: expect.any(String) });
  });

  it('accepts each route’s own fields, such as width and height on alibaba/wan-2.1', async () => {
    const response = await call(emulator(), 'POST', '/generate/video/alibaba/wan-2.1', { prompt: 'a cat', width: 1280, height: 720 });
    expect(response.status).toBe(200);
    const missing = await call(emulator(), 'POST', '/generate/video/alibaba/wan-2.1', { prompt: 'a cat' });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as Json).error).toContain('width');
  });

  it('answers 404 for a job it does not know', async () => {
    const response = await call(emulator(), 'GET', '/jobs/00000000-0000-0000-0000-000000000000');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: expect.any(String) });
  });
});

describe('Krea emulator: job progression', () => {
  it('walks a job through every running status to completed, one step per poll', async () => {
    const kit = emulator();
    const { job_id: jobId } = await create(kit, 'a lighthouse at dusk');
    const polls = await walk(kit, jobId);
    expect(polls.map((job) => job.status)).toEqual(['scheduled', 'processing', 'sampling', 'intermediate-complete', 'completed']);
    const running = polls.slice(0, -1);
    expect(running.every((job) => job.completed_at === null && typeof job.progress === 'number')).toBe(true);
    expect(running.every((job) => JSON.stringify(job.result) === '{}')).toBe(true);
    const progress = running.map((job) => job.progress as number);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(polls.at(-1)).toEqual({
      job_id: jobId,
      status: 'completed',
      created_at: expect.any(String),
      completed_at: expect.any(String),
      result: { urls: [`${ORIGIN}/files/${jobId}.mp4`] },
    });
  });

  it('serves the result URL as an MP4 that starts with an ftyp box', async () => {
    const kit = emulator();
    const { job_id: jobId } = await create(kit, 'a cat');
    const done = (await walk(kit, jobId)).at(-1)!;
    const video = await kit.app.fetch(new Request(done.result.urls[0]));
    expect(video.status).toBe(200);
    expect(video.headers.get('content-type')).toBe('video/mp4');
    const bytes = new Uint8Array(await video.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(4, 8))).toBe('ftyp');
  });

  it('starts a [backlog] job as backlogged', async () => {
    const kit = emulator();
    const job = await create(kit, 'a cat [backlog]');
    expect(job.status).toBe('backlogged');
    expect((await poll(kit, job.job_id)).status).toBe('queued');
  });

  it('ends a [fail] job failed with a top-level error', async () => {
    const kit = emulator();
    const done = (await walk(kit, (await create(kit, 'a cat [fail]')).job_id)).at(-1)!;
    expect(done.status).toBe('failed');
    expect(done.error).toEqual({ code: 'internal_error', message: 'Generation failed (emulated)' });
    expect(done.completed_at).toEqual(expect.any(String));
  });

  it('ends a [fail:result] job failed with the reason only in result.error', async () => {
    const kit = emulator();
    const done = (await walk(kit, (await create(kit, 'a cat [fail:result]')).job_id)).at(-1)!;
    expect(done.status).toBe('failed');
    expect(done.result).toEqual({ error: 'content moderation (emulated)' });
    expect(done).not.toHaveProperty('error');
  });

  it('ends a [fail:moderation] job failed with an nsfw error', async () => {
    const kit = emulator();
    const done = (await walk(kit, (await create(kit, 'a cat [fail:moderation]')).job_id)).at(-1)!;
    expect(done.status).toBe('failed');
    expect(done.error).toEqual({ code: 'nsfw', message: expect.any(String) });
  });

  it('ends a [cancel] job cancelled', async () => {
    const kit = emulator();
    const done = (await walk(kit, (await create(kit, 'a cat [cancel]')).job_id)).at(-1)!;
    expect(done.status).toBe('cancelled');
    expect(done.completed_at).toEqual(expect.any(String));
  });

  it('reports a status outside Krea’s table for [unknown-status]', async () => {
    const kit = emulator();
    const done = (await walk(kit, (await create(kit, 'a cat [unknown-status]')).job_id)).at(-1)!;
    expect(done.status).toBe('exploded');
  });

  it('cancels a running job on DELETE and refuses to cancel a finished one', async () => {
    const kit = emulator();
    const { job_id: jobId } = await create(kit, 'a cat');
    await poll(kit, jobId);
    const cancel = await call(kit, 'DELETE', `/jobs/${jobId}`);
    expect(cancel.status).toBe(200);
    expect(await cancel.json()).toEqual({});
    const after = await poll(kit, jobId);
    expect(after.status).toBe('cancelled');
    expect(after.completed_at).toEqual(expect.any(String));
    expect((await call(kit, 'DELETE', `/jobs/${jobId}`)).status).toBe(400);
    expect((await call(kit, 'DELETE', '/jobs/unknown')).status).toBe(404);
  });

  it('steps timed jobs by the clock instead of by polls', async () => {
    let now = 1_000_000;
    const kit = emulator({ progression: { mode: 'timed', msPerStep: 1000 }, now: () => now });
    const { job_id: jobId } = await create(kit, 'a cat');
    expect((await poll(kit, jobId)).status).toBe('queued');
    now += 2500;
    expect((await poll(kit, jobId)).status).toBe('processing');
    now += 60_000;
    const done = await poll(kit, jobId);
    expect(done.status).toBe('completed');
    expect(done.completed_at).toBe(new Date(now).toISOString());
  });
});

describe('Krea emulator: fault injection', () => {
  it('answers the next create with an injected 429, then normally', async () => {
    const kit = emulator();
    kit.control.faults.add({ on: 'create', fault: { kind: 'status', status: 429, body: { error: 'You have reached the maximum number of concurrent jobs' } } });
    const limited = await call(kit, 'POST', '/generate/video/kling/kling-2.5', { prompt: 'a cat' });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ error: 'You have reached the maximum number of concurrent jobs' });
    await create(kit, 'a cat');
  });

  it('answers a poll with a malformed body when told to', async () => {
    const kit = emulator();
    const { job_id: jobId } = await create(kit, 'a cat');
    kit.control.faults.add({ on: 'poll', fault: { kind: 'malformed' } });
    const response = await call(kit, 'GET', `/jobs/${jobId}`);
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow();
    expect((await poll(kit, jobId)).job_id).toBe(jobId);
  });

  it('records creates and polls by kind without keeping credentials', async () => {
    const kit = emulator();
    const { job_id: jobId } = await create(kit, 'a cat');
    await poll(kit, jobId);
    expect(kit.control.requests.map((request) => [request.kind, request.method, request.authorized])).toEqual([
      ['create', 'POST', true],
      ['poll', 'GET', true],
    ]);
    expect(JSON.stringify(kit.control.requests)).not.toContain('test-key');
  });
});
