/**
 * Waiting for a job instead of polling it (DESIGN §6): `GET /v1/jobs/{id}/events` and
 * `Prefer: wait=N`, over the real Node server. Here jobs only move when a test polls them, so the
 * upstream polls can be counted exactly: waiters must add none.
 */
import { withUnsignedLinks } from '../support/links.ts';
import { describe, expect, it } from 'vitest';
import { watcherCount } from '../../src/jobs/watch.ts';
import { openEventStream } from '../support/sse.ts';
import { callsOf, KEYS, useStack } from '../support/stack.ts';

const stack = useStack();
const kling = { model: 'krea/kling/kling-2.5', prompt: 'a lighthouse' };
const auth = (key: string = KEYS.gateway) => ({ authorization: `Bearer ${key}` });
const kreaPolls = () => callsOf(stack.emulator('krea'), 'poll').length;
const open = (id: string, key?: string) => openEventStream(`${stack.gateway.url}/v1/jobs/${id}/events`, auth(key));

/** Polls the job to the end, returning every answer (the create's included). */
async function driveToEnd(first: any): Promise<any[]> {
  const seen = [first];
  while (!['completed', 'failed', 'cancelled'].includes(seen.at(-1).status)) seen.push((await stack.poll(first.id)).body);
  return seen;
}

async function eventually(check: () => boolean, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const visibleChanges = (seen: any[]) => seen.filter((job, index) => index === 0 || job.status !== seen[index - 1].status || job.progress !== seen[index - 1].progress);

describe('GET /v1/jobs/{id}/events', () => {
  it('sends the job now, then on every change of status or progress, and ends after the terminal event', async () => {
    const created = await stack.create(kling);
    const stream = await open(created.body.id);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await stream.waitFor(1);
    const seen = await driveToEnd(created.body);
    await stream.ended;
    expect(stream.events.map((event) => event.event)).toEqual(visibleChanges(seen).map(() => 'job'));
    expect(stream.events.map((event) => JSON.parse(event.data))).toEqual(visibleChanges(seen));
  });

  it('costs no upstream poll, however many clients watch one job', async () => {
    const created = await stack.create(kling);
    const streams = await Promise.all(Array.from({ length: 50 }, () => open(created.body.id)));
    await Promise.all(streams.map((stream) => stream.waitFor(1)));
    expect(kreaPolls()).toBe(0);
    const seen = await driveToEnd(created.body);
    await Promise.all(streams.map((stream) => stream.ended));
    // Exactly the polls the test made itself.
    expect(kreaPolls()).toBe(seen.length - 1);
    for (const stream of streams) expect(withUnsignedLinks(JSON.parse(stream.events.at(-1)!.data))).toEqual(withUnsignedLinks(seen.at(-1)));
  });

  it('frees a client’s watcher as soon as it disconnects', async () => {
    const created = await stack.create(kling);
    const streams = await Promise.all([open(created.body.id), open(created.body.id)]);
    await Promise.all(streams.map((stream) => stream.waitFor(1)));
    expect(watcherCount(stack.gateway.lifecycle, created.body.id)).toBe(2);
    streams[0]!.close();
    await eventually(() => watcherCount(stack.gateway.lifecycle, created.body.id) === 1);
    streams[1]!.close();
    await eventually(() => watcherCount(stack.gateway.lifecycle, created.body.id) === 0);
  });

  it('sends a finished job once and ends', async () => {
    const created = await stack.create(kling);
    const seen = await driveToEnd(created.body);
    const stream = await open(created.body.id);
    await stream.ended;
    expect(stream.events.map((event) => JSON.parse(event.data))).toEqual([seen.at(-1)]);
  });

  it('is the owner’s: another key, or an unknown id, is a 404', async () => {
    const created = await stack.create(kling);
    const other = await fetch(`${stack.gateway.url}/v1/jobs/${created.body.id}/events`, { headers: auth(KEYS.otherGateway) });
    expect(other.status).toBe(404);
    expect(((await other.json()) as any).error.code).toBe('job_not_found');
    const unknown = await fetch(`${stack.gateway.url}/v1/jobs/job_nope/events`, { headers: auth() });
    expect(unknown.status).toBe(404);
  });
});

describe('Prefer: wait=N on GET /v1/jobs/{id}', () => {
  it('holds the answer until the job is terminal, and says it applied the preference', async () => {
    const created = await stack.create(kling);
    const waiting = stack.request('GET', `/v1/jobs/${created.body.id}`, { headers: { prefer: 'wait=20' } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const seen = await driveToEnd((await stack.poll(created.body.id)).body);
    const answer = await waiting;
    expect(answer.status).toBe(200);
    expect(answer.headers.get('preference-applied')).toBe('wait=20');
    expect(answer.body).toEqual(seen.at(-1));
  });

  it('answers with the job as it is once N seconds passed, polling the provider no more than a plain read', async () => {
    const created = await stack.create(kling);
    const started = Date.now();
    const answer = await stack.request('GET', `/v1/jobs/${created.body.id}`, { headers: { prefer: 'respond-async, wait=1' } });
    // Held for the second asked (a lower bound: the wait itself, not a speed).
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('preference-applied')).toBe('wait=1');
    expect(answer.body.status).toBe('queued');
    expect(kreaPolls()).toBe(1);
  });

  it.each(['wait=0', 'wait=abc', 'handling=lenient'])('ignores %s', async (prefer) => {
    const created = await stack.create(kling);
    // Honoured, it would hold the answer of a job nothing moves on until the test times out.
    const answer = await stack.request('GET', `/v1/jobs/${created.body.id}`, { headers: { prefer } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('preference-applied')).toBeNull();
  });

  it('takes more than 60 seconds as 60', async () => {
    const created = await stack.create(kling);
    const waiting = stack.request('GET', `/v1/jobs/${created.body.id}`, { headers: { prefer: 'wait=600' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await driveToEnd((await stack.poll(created.body.id)).body);
    expect((await waiting).headers.get('preference-applied')).toBe('wait=60');
  });
});

describe('Prefer: wait=N on POST /v1/jobs', () => {
  it('still answers 202 with the Location, after holding it for up to N seconds', async () => {
    const started = Date.now();
    const answer = await stack.request('POST', '/v1/jobs', { body: kling, headers: { prefer: 'wait=1' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(answer.status).toBe(202);
    expect(answer.headers.get('location')).toBe(`/v1/jobs/${answer.body.id}`);
    expect(answer.headers.get('preference-applied')).toBe('wait=1');
    expect(answer.body.status).toBe('queued');
  });
});
